package dev.keel.backup;

import java.time.Duration;
import java.util.UUID;

/** A backup was written and its checksum recorded (or a checkpoint taken). */
public record BackupCompleted(UUID backupId, BackupType type, UUID tenantId, long sizeBytes, Duration duration) {
}
