package dev.keel.backup;

/** Where a backup is in its life: written → checksummed ({@code COMPLETED}) → restored and compared ({@code VERIFIED}). */
public enum BackupStatus {

	IN_PROGRESS, COMPLETED, FAILED, EXPIRED, VERIFIED;

	/** Whether the backup's object is a usable backup. */
	public boolean usable() {
		return this == COMPLETED || this == VERIFIED;
	}

}
