package dev.keel.backup;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import dev.keel.audit.AuditEntry;
import dev.keel.audit.AuditTrail;
import dev.keel.database.DatabaseEndpoints;
import dev.keel.storage.ObjectInfo;
import dev.keel.storage.ObjectStore;
import dev.keel.tenancy.TenantScope;

/**
 * Keeps the records honest and storage bounded ({@code backup-cleanup}, daily, and at start-up):
 * <ul>
 * <li>a record IN_PROGRESS whose writer stopped beating for {@link #STALE_AFTER} (process killed,
 * crash) becomes FAILED "interrupted" — a backup job retried later re-runs it;</li>
 * <li>usable backups past their expiry lose their object and become EXPIRED (with keep-monthly, the
 * first full backup of each month stays);</li>
 * <li>objects under {@code backups/} that no usable or running record references and that are older
 * than {@link #ORPHAN_GRACE} are deleted (a put is atomic and precedes COMPLETED, so such an object
 * is the leftover of an attempt that never completed);</li>
 * <li>verification scratch databases ({@code keel_verify_<epochSeconds>_…}) older than the same grace
 * and without a connection are dropped (a crash during verification leaves them).</li>
 * </ul>
 */
@Component
class BackupCleanup {

	static final Duration STALE_AFTER = BackupRunner.HEARTBEAT.multipliedBy(6);

	static final Duration ORPHAN_GRACE = Duration.ofHours(1);

	private static final Logger log = LoggerFactory.getLogger(BackupCleanup.class);

	private final BackupRepository repository;

	private final ObjectStore store;

	private final BackupProperties properties;

	private final AuditTrail audit;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	private final DatabaseEndpoints endpoints;

	BackupCleanup(BackupRepository repository, ObjectStore store, BackupProperties properties, AuditTrail audit,
			ApplicationEventPublisher events, Clock clock, DatabaseEndpoints endpoints) {
		this.endpoints = endpoints;
		this.repository = repository;
		this.store = store;
		this.properties = properties;
		this.audit = audit;
		this.events = events;
		this.clock = clock;
	}

	@EventListener(ApplicationReadyEvent.class)
	void atStartup() {
		try {
			recoverInterrupted();
		}
		catch (RuntimeException ex) {
			log.warn("Backup recovery at start-up failed: {}", ex.getMessage());
		}
	}

	/** All steps; returns what each did. */
	Map<String, Object> run() throws Exception {
		Map<String, Object> done = new LinkedHashMap<>();
		done.put("interrupted", recoverInterrupted());
		done.put("expired", expire());
		done.put("orphansDeleted", deleteOrphans());
		done.put("scratchDatabasesDropped", dropStaleScratchDatabases());
		log.info("Backup cleanup: {}", done);
		return done;
	}

	int recoverInterrupted() {
		int n = 0;
		for (Backup b : this.repository.interrupted(this.clock.instant().minus(STALE_AFTER))) {
			String reason = "interrupted: the backup stopped without completing (no sign of life since before "
					+ this.clock.instant().minus(STALE_AFTER) + ")";
			this.repository.fail(b.id(), reason, this.clock.instant());
			log.error("Backup {} {} was interrupted; marked FAILED", b.type(), b.id());
			this.events.publishEvent(new BackupFailed(b.id(), b.type(), b.tenantId(), "interrupted", reason));
			n++;
		}
		return n;
	}

	int expire() throws Exception {
		int n = 0;
		for (Backup b : this.repository.expired(this.clock.instant(), this.properties.keepMonthly())) {
			// The record first: a backup whose object is gone must never look usable. An object whose
			// delete fails is no longer referenced, so the orphan sweep removes it later.
			if (!this.repository.expire(b.id())) {
				continue;
			}
			if (b.storageKey() != null) {
				try {
					this.store.delete(b.storageKey());
				}
				catch (Exception ex) {
					log.warn("Backup {} expired, but its object {} could not be deleted yet (the orphan sweep retries): {}", b.id(),
							b.storageKey(), ex.getMessage());
				}
			}
			this.audit.record(TenantScope.PLATFORM, AuditEntry.of("backup.expired", "backup", b.id(), null,
					Map.of("storageKey", String.valueOf(b.storageKey()), "expiresAt", b.expiresAt().toString())));
			n++;
		}
		return n;
	}

	int deleteOrphans() throws Exception {
		Instant cutoff = this.clock.instant().minus(ORPHAN_GRACE);
		int n = 0;
		try (Stream<ObjectInfo> objects = this.store.list("backups/")) {
			for (ObjectInfo o : (Iterable<ObjectInfo>) objects::iterator) {
				if (o.lastModified() != null && o.lastModified().isBefore(cutoff) && !this.repository.referenced(o.key())) {
					this.store.delete(o.key());
					log.warn("Deleted orphan backup object {} ({} bytes): no completed backup references it", o.key(), o.sizeBytes());
					n++;
				}
			}
		}
		return n;
	}

	/**
	 * Drops verification scratch databases a crash left behind: named {@code keel_verify_<epochSeconds>_…},
	 * older than {@link #ORPHAN_GRACE} and without a connection (a running verification holds one). The
	 * drop is not forced, so a verification that connects in between makes it fail harmlessly.
	 */
	int dropStaleScratchDatabases() {
		Instant cutoff = this.clock.instant().minus(ORPHAN_GRACE);
		int n = 0;
		try (Connection c = TargetDatabases.connect(this.endpoints.owner())) {
			List<String> candidates = new ArrayList<>();
			try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
					select d.datname from pg_database d where d.datname like 'keel\\_verify\\_%'
					  and not exists (select 1 from pg_stat_activity a where a.datname = d.datname)""")) {
				while (rs.next()) {
					candidates.add(rs.getString(1));
				}
			}
			for (String name : candidates) {
				Matcher m = TargetDatabases.SCRATCH_NAME.matcher(name);
				if (!m.matches() || !Instant.ofEpochSecond(Long.parseLong(m.group(1))).isBefore(cutoff)) {
					continue;
				}
				try (Statement s = c.createStatement()) {
					s.execute("drop database if exists " + name);
					log.warn("Dropped scratch database {} left behind by an interrupted verification", name);
					n++;
				}
				catch (SQLException ex) {
					log.warn("Could not drop scratch database {} (SQLState {})", name, ex.getSQLState());
				}
			}
		}
		catch (SQLException ex) {
			log.warn("Scratch database sweep failed (SQLState {})", ex.getSQLState());
		}
		return n;
	}

}
