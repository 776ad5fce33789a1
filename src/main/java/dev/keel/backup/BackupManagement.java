package dev.keel.backup;

import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import dev.keel.audit.AuditEntry;
import dev.keel.audit.AuditTrail;
import dev.keel.jobs.JobQueue;
import dev.keel.jobs.JobRequest;
import dev.keel.shared.KeelProblemException;
import dev.keel.shared.KeelProblemException.FieldProblem;
import dev.keel.shared.Page;
import dev.keel.shared.ProblemType;
import dev.keel.storage.ObjectStore;
import dev.keel.tenancy.TenantScope;
import dev.keel.tenancy.Tenants;

/**
 * Keel's backups: request them (they run as {@code backup-create} jobs, one per kind at a time), list
 * and download them, verify them by restoring, and restore them — guarded, audited, never into the live
 * database by accident. Platform-level actions are recorded in the platform tenant's audit trail, a
 * tenant restore also in that tenant's.
 */
@Service
public class BackupManagement {

	static final String CREATE_JOB = "backup-create";

	static final String VERIFY_JOB = "backup-verify";

	private final BackupRepository repository;

	private final BackupRunner runner;

	private final BackupVerification verification;

	private final BackupRestores restores;

	private final JobQueue jobs;

	private final Tenants tenants;

	private final AuditTrail audit;

	private final ObjectStore store;

	private final TransactionTemplate tx;

	private final Clock clock;

	private final BackupProperties properties;

	BackupManagement(BackupRepository repository, BackupRunner runner, BackupVerification verification, BackupRestores restores,
			JobQueue jobs, Tenants tenants, AuditTrail audit, ObjectStore store, TransactionTemplate tx, Clock clock, BackupProperties properties) {
		this.repository = repository;
		this.runner = runner;
		this.verification = verification;
		this.restores = restores;
		this.jobs = jobs;
		this.tenants = tenants;
		this.audit = audit;
		this.store = store;
		this.tx = tx;
		this.clock = clock;
		this.properties = properties;
	}

	/** Payload of {@code backup-create}: a record to run, or (schedules) a type to start a record for. */
	record CreateJob(UUID backupId, BackupType type, String triggeredBy) {
	}

	/** Payload of {@code backup-verify}: a backup, or none for the latest unverified full backup. */
	record VerifyJob(UUID backupId) {
	}

	/** Records a backup as IN_PROGRESS and queues it; 409 while one of the same kind is queued or running. */
	public Backup request(BackupType type, UUID tenantId, String triggeredBy) {
		validate(type, tenantId);
		UUID id = UUID.randomUUID();
		String singleton = CREATE_JOB + ":" + type + ((tenantId != null) ? ":" + tenantId : "");
		this.tx.executeWithoutResult((s) -> {
			this.repository.insert(id, type, tenantId, triggeredBy, this.clock.instant());
			if (this.jobs.enqueue(JobRequest.of(CREATE_JOB, new CreateJob(id, type, triggeredBy)).singletonKey(singleton)).isEmpty()) {
				s.setRollbackOnly();
				throw new KeelProblemException(BackupProblems.ALREADY_RUNNING, "a " + type + " backup"
						+ ((tenantId != null) ? " of tenant " + tenantId : "") + " is already queued or running");
			}
		});
		auditPlatform("backup.requested", id, Map.of("type", type.name(), "tenantId", String.valueOf(tenantId)));
		return get(id);
	}

	/** Takes a backup now in the calling thread (CLI, schedules); returns the finished record. */
	public Backup createNow(BackupType type, UUID tenantId, String triggeredBy) {
		validate(type, tenantId);
		return runNow(type, tenantId, triggeredBy);
	}

	/**
	 * The final TENANT backup of a deleted tenant, taken by the purge before its rows go (operators
	 * cannot back up a deleted tenant through the API; this is the one path that may).
	 */
	public Backup createFinalTenantBackup(UUID tenantId, String triggeredBy) {
		this.tenants.byId(tenantId).orElseThrow(() -> new KeelProblemException(ProblemType.NOT_FOUND, "no tenant " + tenantId));
		return runNow(BackupType.TENANT, tenantId, triggeredBy);
	}

	private Backup runNow(BackupType type, UUID tenantId, String triggeredBy) {
		UUID id = UUID.randomUUID();
		this.repository.insert(id, type, tenantId, triggeredBy, this.clock.instant());
		try {
			this.runner.run(id);
		}
		catch (RuntimeException ex) {
			// Recorded as FAILED, logged and published by the runner; the record says why.
		}
		return get(id);
	}

	/** A scheduled run: skipped while a backup of the same type is still running. */
	void runScheduled(BackupType type, String triggeredBy) {
		if (this.repository.running(type, null, this.clock.instant().minus(BackupCleanup.STALE_AFTER))) {
			return;
		}
		UUID id = UUID.randomUUID();
		this.repository.insert(id, type, null, triggeredBy, this.clock.instant());
		this.runner.run(id);
	}

	void runJob(CreateJob job) {
		if (job.backupId() != null) {
			this.runner.run(job.backupId());
		}
		else {
			runScheduled(job.type(), (job.triggeredBy() != null) ? job.triggeredBy() : "schedule");
		}
	}

	private void validate(BackupType type, UUID tenantId) {
		if (type == null) {
			throw invalid("type", "required", "type is required: FULL, ON_DEMAND, TENANT or INCREMENTAL");
		}
		if (type == BackupType.TENANT) {
			if (tenantId == null) {
				throw invalid("tenantId", "required", "a TENANT backup needs tenantId");
			}
			Tenants.Tenant t = this.tenants.byId(tenantId)
				.orElseThrow(() -> new KeelProblemException(ProblemType.NOT_FOUND, "no tenant " + tenantId));
			if (Tenants.Tenant.DELETED.equals(t.status())) {
				throw new KeelProblemException(BackupProblems.NOT_RESTORABLE, "tenant " + tenantId + " is deleted; it can no longer be backed up",
						List.of(new FieldProblem("tenantId", "not-deleted", "tenant is deleted")));
			}
		}
		else if (tenantId != null) {
			throw invalid("tenantId", "only-for-tenant", "tenantId is only allowed with type TENANT");
		}
	}

	public Backup get(UUID id) {
		return this.repository.find(id).orElseThrow(() -> new KeelProblemException(ProblemType.NOT_FOUND, "no backup " + id));
	}

	/** Newest first, filtered; {@code cursor} is opaque. */
	public Page<Backup> list(BackupType type, BackupStatus status, UUID tenantId, String cursor, int limit) {
		Instant afterStarted = null;
		UUID afterId = null;
		if (cursor != null && !cursor.isBlank()) {
			try {
				String[] parts = Page.decodeCursor(cursor).split("\\|", 2);
				afterStarted = Instant.parse(parts[0]);
				afterId = UUID.fromString(parts[1]);
			}
			catch (RuntimeException ex) {
				throw invalid("cursor", "format", "cursor is not one this endpoint issued");
			}
		}
		List<Backup> rows = this.repository.page(type, status, tenantId, afterStarted, afterId, limit + 1);
		return Page.of(rows, limit, (b) -> b.startedAt() + "|" + b.id());
	}

	/** Last success per type, counts per status, total size of usable backups. */
	public Map<String, Object> summary() {
		Map<String, Object> summary = new LinkedHashMap<>(this.repository.summary());
		java.time.ZonedDateTime now = this.clock.instant().atZone(java.time.ZoneOffset.UTC);
		Map<String, Object> next = new LinkedHashMap<>();
		if (this.properties.enabled()) {
			next.put("FULL", String.valueOf(org.springframework.scheduling.support.CronExpression.parse(this.properties.springCron()).next(now)));
			next.put("INCREMENTAL", String.valueOf(org.springframework.scheduling.support.CronExpression.parse("0 0 * * * *").next(now)));
		}
		summary.put("nextScheduled", next);
		return summary;
	}

	/** Queues a verification of {@code id} (202). */
	public Backup requestVerify(UUID id) {
		Backup b = get(id);
		this.verification.requireVerifiable(b);
		this.jobs.enqueue(JobRequest.of(VERIFY_JOB, new VerifyJob(id)).singletonKey(VERIFY_JOB + ":" + id));
		return b;
	}

	/** Verifies now: checksum, restore into a scratch database, compare. Returns the updated record. */
	public Backup verify(UUID id) {
		Backup b = get(id);
		this.verification.verify(b);
		return get(id);
	}

	void runVerifyJob(VerifyJob job) {
		if (job.backupId() != null) {
			verify(job.backupId());
		}
		else {
			this.repository.latestUnverifiedFull().ifPresent((b) -> verify(b.id()));
		}
	}

	/** The stored object of a backup, for streaming to the caller (audited). */
	public Download download(UUID id) throws java.io.IOException {
		Backup b = get(id);
		if (b.storageKey() == null || !b.status().usable()) {
			throw new KeelProblemException(BackupProblems.NOT_RESTORABLE, "backup " + id + " has no downloadable object (status "
					+ b.status() + ", type " + b.type() + ")");
		}
		InputStream in = this.store.get(b.storageKey());
		auditPlatform("backup.downloaded", id, Map.of("sizeBytes", b.sizeBytes()));
		return new Download(b, in);
	}

	/** A restore, guarded as described by {@link BackupRestores}; returns what was restored. */
	public Map<String, Object> restore(UUID id, RestoreRequest request) {
		return this.restores.restore(get(id), request);
	}

	/** A download: the record and its open object (the caller closes it). */
	public record Download(Backup backup, InputStream content) {
	}

	/**
	 * What a restore needs: {@code confirm} = the backup id (full) or the tenant's slug (tenant);
	 * {@code targetUrl} for a full restore; {@code mode} {@code replace}/{@code clone} and
	 * {@code newSlug} for a tenant restore.
	 */
	public record RestoreRequest(String confirm, String targetUrl, String mode, String newSlug) {
	}

	void auditPlatform(String action, UUID backupId, Map<String, Object> after) {
		this.audit.record(TenantScope.PLATFORM, AuditEntry.of(action, "backup", backupId, null, after));
	}

	static KeelProblemException invalid(String field, String rule, String message) {
		return new KeelProblemException(ProblemType.VALIDATION_FAILED, message, List.of(new FieldProblem(field, rule, message)));
	}

}
