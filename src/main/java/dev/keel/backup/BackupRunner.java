package dev.keel.backup;

import java.io.InputStream;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

import dev.keel.database.DatabaseEndpoints;
import dev.keel.storage.ObjectStore;
import dev.keel.storage.StorageKeys;
import dev.keel.storage.StoredObject;

/**
 * Takes backups: FULL/ON_DEMAND (pg_dump when a compatible one can read every row, else Keel's
 * snapshot), TENANT (Keel's snapshot of one tenant) and INCREMENTAL checkpoints (WAL position, no
 * object). The object is written completely, with its SHA-256, before the record flips to COMPLETED;
 * while writing, the record's heartbeat moves every {@link #HEARTBEAT}, so a record whose writer died
 * is recognisable (see {@link BackupCleanup}).
 */
@Component
class BackupRunner {

	static final Duration HEARTBEAT = Duration.ofSeconds(20);

	private static final Logger log = LoggerFactory.getLogger(BackupRunner.class);

	private final BackupRepository repository;

	private final ObjectStore store;

	private final DatabaseEndpoints endpoints;

	private final BackupProperties properties;

	private final BackupMetrics metrics;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().factory());

	BackupRunner(BackupRepository repository, ObjectStore store, DatabaseEndpoints endpoints, BackupProperties properties,
			BackupMetrics metrics, ApplicationEventPublisher events, Clock clock) {
		this.repository = repository;
		this.store = store;
		this.endpoints = endpoints;
		this.properties = properties;
		this.metrics = metrics;
		this.events = events;
		this.clock = clock;
	}

	@jakarta.annotation.PreDestroy
	void stop() {
		this.heartbeats.shutdownNow();
	}

	/** Runs the backup of an existing record (a job attempt); a finished record is left alone. */
	void run(UUID id) {
		Backup b = this.repository.find(id).orElse(null);
		Instant now = this.clock.instant();
		if (b == null || !this.repository.start(id, now, now.minus(BackupCleanup.STALE_AFTER))) {
			log.info("Backup {} is not pending (status {}, or another writer is alive); nothing to do", id,
					(b != null) ? b.status() : "missing");
			return;
		}
		long t0 = System.nanoTime();
		var beat = this.heartbeats.scheduleAtFixedRate(heartbeat(id), HEARTBEAT.toSeconds(), HEARTBEAT.toSeconds(), TimeUnit.SECONDS);
		try {
			if (b.type() == BackupType.INCREMENTAL) {
				checkpoint(b);
			}
			else {
				write(b);
			}
			Duration took = Duration.ofNanos(System.nanoTime() - t0);
			Backup done = this.repository.find(id).orElseThrow();
			long size = (done.sizeBytes() != null) ? done.sizeBytes() : 0;
			this.metrics.success(b.type(), took, size, done.completedAt());
			log.info("Backup {} {} completed: {} bytes in {} ms ({})", b.type(), id, size, took.toMillis(), done.format());
			this.events.publishEvent(new BackupCompleted(id, b.type(), b.tenantId(), size, took));
		}
		catch (Exception ex) {
			String reason = ex.getClass().getSimpleName() + ": " + ex.getMessage();
			this.repository.fail(id, reason, this.clock.instant());
			this.metrics.failure(b.type(), Duration.ofNanos(System.nanoTime() - t0));
			log.error("Backup {} {} failed: {}", b.type(), id, reason, ex);
			this.events.publishEvent(new BackupFailed(id, b.type(), b.tenantId(), "backup", reason));
			throw new IllegalStateException("backup " + id + " failed: " + reason, ex);
		}
		finally {
			beat.cancel(false);
		}
	}

	/**
	 * One beat. A periodic task whose run throws is never run again, and a record without beats is
	 * declared dead while still being written — so a failing beat (database blip) is logged, not thrown.
	 */
	Runnable heartbeat(UUID id) {
		return () -> {
			try {
				this.repository.heartbeat(id, this.clock.instant());
			}
			catch (RuntimeException ex) {
				log.warn("Backup {}: heartbeat failed, retrying in {} s: {}", id, HEARTBEAT.toSeconds(), ex.getMessage());
			}
		};
	}

	private void write(Backup b) throws Exception {
		Instant started = this.clock.instant();
		ZonedDateTime at = started.atZone(ZoneOffset.UTC);
		Map<String, Object> header = new LinkedHashMap<>();
		header.put("backupId", b.id().toString());
		header.put("type", b.type().name());
		header.put("createdAt", started.toString());
		header.put("triggeredBy", b.triggeredBy());
		try (Connection c = TargetDatabases.connect(this.endpoints.owner())) {
			Optional<PgDumpTool> pgDump = (b.type() == BackupType.TENANT) ? Optional.empty() : usablePgDump(c);
			String ext = pgDump.isPresent() ? PgDumpTool.EXTENSION : SnapshotFile.EXTENSION;
			String key = StorageKeys.of("backups", b.type().name().toLowerCase(java.util.Locale.ROOT), String.valueOf(at.getYear()),
					String.format("%02d", at.getMonthValue()), b.id() + "." + ext);
			Map<String, Object> metadata = new LinkedHashMap<>();
			StoredObject stored;
			if (pgDump.isPresent()) {
				PgDumpTool tool = pgDump.get();
				metadata.putAll(header);
				metadata.put("format", PgDumpTool.FORMAT);
				metadata.put("serverVersion", KeelSnapshot.serverVersion(c));
				metadata.put("schemaVersion", KeelSnapshot.schemaVersion(c));
				metadata.put("pgDumpMajor", tool.major());
				Map<String, Long> counts = new LinkedHashMap<>();
				stored = StreamingUpload.upload(this.store, key, "application/octet-stream",
						(out) -> counts.putAll(tool.dump(c, this.endpoints.owner(), out)));
				metadata.put("tables", counts.entrySet().stream().map((e) -> Map.<String, Object>of("name", e.getKey(), "rows", e.getValue())).toList());
			}
			else {
				Map<String, Object> manifest = new LinkedHashMap<>();
				stored = StreamingUpload.upload(this.store, key, "application/gzip",
						(out) -> manifest.putAll(KeelSnapshot.export(c, out, header, b.tenantId())));
				metadata.putAll(manifest);
			}
			Instant now = this.clock.instant();
			this.repository.complete(b.id(), stored.key(), (String) metadata.get("format"), stored.sizeBytes(), stored.sha256(), now,
					now.plus(Duration.ofDays(this.properties.retentionDays())), metadata);
		}
	}

	/** pg_dump only when it is new enough for the server and the owner role can read every row. */
	private Optional<PgDumpTool> usablePgDump(Connection c) throws Exception {
		int serverMajor = c.getMetaData().getDatabaseMajorVersion();
		Optional<PgDumpTool> tool = PgDumpTool.find(this.properties.pgDumpPath(), serverMajor);
		if (tool.isEmpty() && this.properties.pgDumpPath() != null && !this.properties.pgDumpPath().isBlank()) {
			log.warn("BACKUP_PG_DUMP_PATH {} is not an executable pg_dump of major version >= {}; using Keel's snapshot format",
					this.properties.pgDumpPath(), serverMajor);
		}
		if (tool.isPresent() && !PgDumpTool.bypassesRls(c)) {
			log.info("pg_dump {} found but role {} does not bypass row-level security; using Keel's snapshot format",
					tool.get().major(), this.endpoints.owner().user());
			return Optional.empty();
		}
		return tool;
	}

	/** INCREMENTAL: the WAL position now, for a point-in-time restore on the database host. */
	private void checkpoint(Backup b) throws Exception {
		Map<String, Object> metadata = new LinkedHashMap<>();
		metadata.put("type", b.type().name());
		metadata.put("triggeredBy", b.triggeredBy());
		try (Connection c = TargetDatabases.connect(this.endpoints.owner()); var s = c.createStatement()) {
			metadata.put("serverVersion", KeelSnapshot.serverVersion(c));
			metadata.put("schemaVersion", KeelSnapshot.schemaVersion(c));
			try (var rs = s.executeQuery("select pg_current_wal_lsn()::text, now()")) {
				rs.next();
				metadata.put("walLsn", rs.getString(1));
				metadata.put("serverTime", rs.getTimestamp(2).toInstant().toString());
			}
			optional(c, "select pg_walfile_name(pg_current_wal_lsn())", "walFile", metadata);
			optional(c, "select timeline_id::text from pg_control_checkpoint()", "timeline", metadata);
		}
		Instant now = this.clock.instant();
		this.repository.complete(b.id(), null, "wal-checkpoint", 0, null, now, now.plus(Duration.ofDays(this.properties.retentionDays())),
				metadata);
	}

	/** Facts some roles or servers (replicas, managed services) do not expose: recorded when readable. */
	private static void optional(Connection c, String sql, String name, Map<String, Object> metadata) {
		try (var s = c.createStatement(); var rs = s.executeQuery(sql)) {
			if (rs.next()) {
				metadata.put(name, rs.getString(1));
			}
		}
		catch (Exception ex) {
			metadata.put(name + "Unavailable", ex.getMessage());
		}
	}

	/** SHA-256 of a stored object, streamed. */
	String sha256Of(String key) throws Exception {
		var digest = SnapshotFile.sha256();
		try (InputStream in = this.store.get(key)) {
			byte[] buf = new byte[256 * 1024];
			int n;
			while ((n = in.read(buf)) > 0) {
				digest.update(buf, 0, n);
			}
		}
		return HexFormat.of().formatHex(digest.digest());
	}

}
