package dev.keel.backup;

import java.util.UUID;

/**
 * A backup or a verification failed; alerting listens to this.
 *
 * @param stage {@code backup}, {@code verify} or {@code interrupted}
 */
public record BackupFailed(UUID backupId, BackupType type, UUID tenantId, String stage, String reason) {
}
