package dev.keel.backup;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * One {@code database_backups} record.
 *
 * @param storageKey the object under {@code backups/}, {@code null} for INCREMENTAL checkpoints
 * @param format {@code keel-snapshot}, {@code pg_dump-custom} or {@code wal-checkpoint}
 * @param metadata schema version, server version, tables with row counts and checksums, WAL position…
 */
public record Backup(UUID id, BackupType type, BackupStatus status, UUID tenantId, String storageKey, String format,
		Long sizeBytes, String sha256, Instant startedAt, Instant completedAt, Instant expiresAt, Instant verifiedAt,
		String error, String triggeredBy, Map<String, Object> metadata) {
}
