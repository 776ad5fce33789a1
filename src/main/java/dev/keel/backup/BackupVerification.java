package dev.keel.backup;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

import dev.keel.audit.AuditEntry;
import dev.keel.audit.AuditTrail;
import dev.keel.database.ConnectionSettings;
import dev.keel.database.DatabaseEndpoints;
import dev.keel.shared.KeelProblemException;
import dev.keel.tenancy.TenantScope;

/**
 * A backup is VERIFIED only after it was restored and compared: the object's SHA-256 must match the
 * record, then it is restored into a scratch database {@code keel_verify_<epochSeconds>_<random>} on the live server
 * (created by the owner role, which needs {@code CREATEDB}) and every table's row count — and for
 * Keel's format the checksum of a re-export — must match what the backup recorded. Any difference in
 * content (checksum, rows, a corrupt file) marks the backup FAILED naming the first one; a verification
 * that could not run (no scratch database, tool missing, connection errors) keeps the status and records
 * {@code metadata.lastVerificationError}. Both log at ERROR and publish {@link BackupFailed}. The
 * scratch database is dropped whatever happens; a FAILED backup's object is kept (see
 * {@link BackupRepository#referenced}).
 */
@Component
class BackupVerification {

	private static final Logger log = LoggerFactory.getLogger(BackupVerification.class);

	private final BackupRepository repository;

	private final BackupRunner runner;

	private final DatabaseRestore restore;

	private final DatabaseEndpoints endpoints;

	private final AuditTrail audit;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	BackupVerification(BackupRepository repository, BackupRunner runner, DatabaseRestore restore, DatabaseEndpoints endpoints,
			AuditTrail audit, ApplicationEventPublisher events, Clock clock) {
		this.repository = repository;
		this.runner = runner;
		this.restore = restore;
		this.endpoints = endpoints;
		this.audit = audit;
		this.events = events;
		this.clock = clock;
	}

	void requireVerifiable(Backup b) {
		if (b.storageKey() == null || !(b.status().usable() || b.status() == BackupStatus.FAILED && b.sha256() != null)) {
			throw new KeelProblemException(BackupProblems.NOT_RESTORABLE, "backup " + b.id() + " cannot be verified (status " + b.status()
					+ ", type " + b.type() + "): only completed backups with an object can");
		}
	}

	void verify(Backup b) {
		requireVerifiable(b);
		long t0 = System.nanoTime();
		Map<String, Object> details = new LinkedHashMap<>();
		String failure;
		try {
			failure = check(b, details).orElse(null);
		}
		catch (Exception ex) {
			failure = ex.getClass().getSimpleName() + ": " + ex.getMessage();
			if (!isContentFailure(ex)) {
				details.put("durationMillis", (System.nanoTime() - t0) / 1_000_000);
				notRun(b, failure, details);
				return;
			}
		}
		details.put("durationMillis", (System.nanoTime() - t0) / 1_000_000);
		if (failure == null) {
			this.repository.verified(b.id(), this.clock.instant(), details);
			log.info("Backup {} verified: restored into {} and every table matched", b.id(), details.get("scratchDatabase"));
			audit("backup.verified", b, details);
		}
		else {
			details.put("failure", failure);
			this.repository.verificationFailed(b.id(), failure, details);
			log.error("Backup {} failed verification: {}", b.id(), failure);
			audit("backup.verification_failed", b, details);
			this.events.publishEvent(new BackupFailed(b.id(), b.type(), b.tenantId(), "verify", failure));
		}
	}

	/**
	 * Whether an exception says the backup's content is bad (corrupt file, data the schema rejects) —
	 * as opposed to the infrastructure (scratch database, tool, connections), which says nothing about it.
	 */
	static boolean isContentFailure(Throwable ex) {
		for (Throwable t = ex; t != null; t = t.getCause()) {
			if (t instanceof SnapshotFile.CorruptBackupException || t instanceof java.util.zip.ZipException
					|| t instanceof java.io.EOFException) {
				return true;
			}
			if (t instanceof java.sql.SQLException sql && sql.getSQLState() != null
					&& (sql.getSQLState().startsWith("22") || sql.getSQLState().startsWith("23"))) {
				return true;
			}
		}
		return false;
	}

	/** The verification could not run: the status stays, the error is recorded, logged and alerted. */
	private void notRun(Backup b, String error, Map<String, Object> details) {
		details.put("error", error);
		details.put("at", this.clock.instant().toString());
		this.repository.verificationNotRun(b.id(), error, details);
		log.error("Backup {} could not be verified (infrastructure, status stays {}): {}", b.id(), b.status(), error);
		audit("backup.verification_not_run", b, details);
		this.events.publishEvent(new BackupFailed(b.id(), b.type(), b.tenantId(), "verify-infrastructure", error));
	}

	private Optional<String> check(Backup b, Map<String, Object> details) throws Exception {
		String sha = this.runner.sha256Of(b.storageKey());
		details.put("sha256", sha);
		if (!sha.equals(b.sha256())) {
			return Optional.of("object checksum mismatch: stored object has SHA-256 " + sha + ", the record says " + b.sha256());
		}
		ConnectionSettings owner = this.endpoints.owner();
		String scratch = TargetDatabases.createScratch(owner);
		details.put("scratchDatabase", scratch);
		try {
			ConnectionSettings target = TargetDatabases.withDatabase(owner, scratch);
			Map<String, Long> restored = this.restore.restore(b, target);
			details.put("restoredRows", restored.values().stream().mapToLong(Long::longValue).sum());
			return this.restore.compare(b, target);
		}
		finally {
			try {
				TargetDatabases.dropScratch(owner, scratch);
			}
			catch (Exception ex) {
				log.error("Could not drop scratch database {}: {}", scratch, ex.getMessage());
			}
		}
	}

	private void audit(String action, Backup b, Map<String, Object> details) {
		this.audit.record(TenantScope.PLATFORM, AuditEntry.of(action, "backup", b.id(), null, details));
	}

}
