package dev.keel.backup;

/** What a backup holds. */
public enum BackupType {

	/** A consistent snapshot of the whole database (scheduled). */
	FULL,
	/** A WAL-position checkpoint; no object (PITR belongs to the database host). */
	INCREMENTAL,
	/** Every tenant-owned row of one tenant and its tenant row. */
	TENANT,
	/** A full snapshot requested by an operator outside the schedule. */
	ON_DEMAND

}
