/**
 * Backups that are proven by restores: FULL snapshots (pg_dump or Keel's own streamed COPY format),
 * TENANT exports, WAL checkpoints, verification by restoring into a scratch database, retention, and
 * guarded restores (CLI and {@code /admin/backups}). Entry service: {@link dev.keel.backup.BackupManagement}.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = { "database", "tenancy", "identity", "storage", "jobs", "audit",
		"runtime", "shared" })
package dev.keel.backup;
