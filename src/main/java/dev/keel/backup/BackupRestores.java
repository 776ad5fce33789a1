package dev.keel.backup;

import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.keel.audit.AuditEntry;
import dev.keel.audit.AuditTrail;
import dev.keel.database.ConnectionSettings;
import dev.keel.shared.KeelProblemException;
import dev.keel.shared.KeelProblemException.FieldProblem;
import dev.keel.shared.ProblemType;
import dev.keel.tenancy.TenantScope;
import dev.keel.tenancy.Tenants;

/**
 * The guards in front of every restore. A full backup restores only into a new database named
 * explicitly ({@code targetUrl}, checked by {@link RestoreTargets}: never the live one, never a
 * database that holds anything), and only with the backup id typed back. A tenant
 * backup restores with the tenant's slug typed back, as {@code replace} (same tenant) or {@code clone}
 * (new tenant with {@code newSlug}). Each check fails with a problem naming its rule before anything
 * is changed; every restore is audited.
 */
@Component
class BackupRestores {

	private static final Logger log = LoggerFactory.getLogger(BackupRestores.class);

	private static final Pattern SLUG = Pattern.compile("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$");

	private final DatabaseRestore restore;

	private final TenantRestore tenantRestore;

	private final RestoreTargets targets;

	private final Tenants tenants;

	private final AuditTrail audit;

	BackupRestores(DatabaseRestore restore, TenantRestore tenantRestore, RestoreTargets targets, Tenants tenants, AuditTrail audit) {
		this.restore = restore;
		this.tenantRestore = tenantRestore;
		this.targets = targets;
		this.tenants = tenants;
		this.audit = audit;
	}

	Map<String, Object> restore(Backup b, BackupManagement.RestoreRequest r) {
		if (b.type() == BackupType.INCREMENTAL) {
			throw new KeelProblemException(BackupProblems.NOT_RESTORABLE, "an INCREMENTAL backup is a WAL checkpoint: restore it on the "
					+ "database host (point-in-time recovery), see docs/operations/backup-and-restore.md");
		}
		if (!b.status().usable() || b.storageKey() == null) {
			throw new KeelProblemException(BackupProblems.NOT_RESTORABLE, "backup " + b.id() + " is " + b.status()
					+ "; only COMPLETED or VERIFIED backups can be restored");
		}
		try {
			return (b.type() == BackupType.TENANT) ? restoreTenant(b, r) : restoreFull(b, r);
		}
		catch (KeelProblemException ex) {
			throw ex;
		}
		catch (SnapshotFile.CorruptBackupException ex) {
			// The backup's content, not the server, is the problem: damaged, or holding a table the
			// target's migrations do not create (one made outside Keel's migrations).
			log.error("Restore of backup {} refused: {}", b.id(), ex.getMessage());
			throw new KeelProblemException(BackupProblems.NOT_RESTORABLE, "restore of backup " + b.id() + " refused: " + ex.getMessage()
					+ afterFailure(b));
		}
		catch (Exception ex) {
			// The detail stays generic: driver messages can carry URLs and network details.
			log.error("Restore of backup {} failed", b.id(), this.targets.redacted(ex, r.targetUrl()));
			throw new KeelProblemException(ProblemType.INTERNAL_ERROR, "restore of backup " + b.id()
					+ " failed; quote the correlation id when reporting it" + afterFailure(b));
		}
	}

	/** What a failed restore left behind: a tenant restore is one transaction, a full one migrated the target first. */
	private static String afterFailure(Backup b) {
		if (b.type() == BackupType.TENANT) {
			return "; rolled back, nothing changed";
		}
		if (PgDumpTool.FORMAT.equals(b.format())) {
			return "; pg_restore ran in one transaction, but recreate the target database before restoring again";
		}
		return "; the data was rolled back, but Keel's migrations were already committed in the target database — drop and "
				+ "recreate it before restoring again";
	}

	private Map<String, Object> restoreFull(Backup b, BackupManagement.RestoreRequest r) throws Exception {
		if (r.confirm() == null || !r.confirm().trim().equals(b.id().toString())) {
			throw confirmation("confirm", "the backup id " + b.id() + " must be typed back as confirm");
		}
		ConnectionSettings target = this.targets.check(r.targetUrl());
		String identity = RestoreTargets.identity(target);
		long t0 = System.nanoTime();
		Map<String, Long> rows = this.restore.restore(b, target);
		Map<String, Object> result = result(b, rows, t0);
		result.put("target", identity);
		this.audit.record(TenantScope.PLATFORM, AuditEntry.of("backup.restored", "backup", b.id(), null, result));
		log.info("Backup {} restored into {} ({} rows)", b.id(), identity, result.get("rows"));
		return result;
	}

	private Map<String, Object> restoreTenant(Backup b, BackupManagement.RestoreRequest r) throws Exception {
		Tenants.Tenant tenant = this.tenants.byId(b.tenantId())
			.orElseThrow(() -> new KeelProblemException(BackupProblems.NOT_RESTORABLE, "tenant " + b.tenantId() + " no longer exists"));
		if (r.confirm() == null || !r.confirm().trim().equals(tenant.slug())) {
			throw confirmation("confirm", "the tenant's slug " + tenant.slug() + " must be typed back as confirm");
		}
		String mode = (r.mode() != null) ? r.mode() : "";
		if (!mode.equals("replace") && !mode.equals("clone")) {
			throw BackupManagement.invalid("mode", "one-of", "mode must be replace or clone");
		}
		this.tenantRestore.requireLiveSchemaVersion(b);
		long t0 = System.nanoTime();
		if (mode.equals("replace")) {
			Map<String, Object> result = result(b, this.tenantRestore.replace(b), t0);
			result.put("mode", "replace");
			result.put("tenantId", tenant.id().toString());
			this.audit.record(tenant.id(), AuditEntry.of("backup.restored", "tenant", tenant.id(), null, result));
			this.audit.record(TenantScope.PLATFORM, AuditEntry.of("backup.restored", "backup", b.id(), null, result));
			return result;
		}
		String slug = r.newSlug();
		if (slug == null || !SLUG.matcher(slug).matches()) {
			throw BackupManagement.invalid("newSlug", "pattern", "newSlug must be 3-63 lowercase letters, digits or inner hyphens");
		}
		if (this.tenants.bySlug(slug).isPresent()) {
			throw new KeelProblemException(ProblemType.CONFLICT, "slug " + slug + " is taken",
					List.of(new FieldProblem("newSlug", "unique", "slug " + slug + " is taken")));
		}
		UUID newId = UUID.randomUUID();
		Map<String, Long> rows;
		try {
			rows = this.tenantRestore.cloneAs(b, newId, slug);
		}
		catch (SQLException ex) {
			if (!"23505".equals(ex.getSQLState())) {
				throw ex;
			}
			// Taken between the check above and the insert (or another unique value of the clone).
			boolean slugTaken = this.tenants.bySlug(slug).isPresent();
			throw new KeelProblemException(ProblemType.CONFLICT, slugTaken ? "slug " + slug + " is taken"
					: "the clone conflicts with existing data (a unique value); nothing was created",
					slugTaken ? List.of(new FieldProblem("newSlug", "unique", "slug " + slug + " is taken")) : List.of());
		}
		Map<String, Object> result = result(b, rows, t0);
		result.put("mode", "clone");
		result.put("tenantId", newId.toString());
		result.put("slug", slug);
		result.put("clonedFrom", tenant.id().toString());
		this.audit.record(newId, AuditEntry.of("backup.cloned", "tenant", newId, null, result));
		this.audit.record(TenantScope.PLATFORM, AuditEntry.of("backup.cloned", "backup", b.id(), null, result));
		return result;
	}

	private static Map<String, Object> result(Backup b, Map<String, Long> rows, long t0) {
		Map<String, Object> result = new LinkedHashMap<>();
		result.put("backupId", b.id().toString());
		result.put("tables", rows);
		result.put("rows", rows.values().stream().mapToLong(Long::longValue).sum());
		result.put("durationMillis", (System.nanoTime() - t0) / 1_000_000);
		return result;
	}

	private static KeelProblemException confirmation(String field, String message) {
		return new KeelProblemException(BackupProblems.CONFIRMATION_MISMATCH, message, List.of(new FieldProblem(field, "matches", message)));
	}

}
