package dev.keel.backup;

import org.springframework.http.HttpStatus;

import dev.keel.shared.ProblemType;

/** Problem types of backup and restore; each names the rule that refused the request. */
public final class BackupProblems {

	/** The backup id (or tenant slug) typed back as confirmation does not match. */
	public static final ProblemType CONFIRMATION_MISMATCH = new ProblemType("backup-confirmation-mismatch",
			"Restore confirmation does not match", HttpStatus.BAD_REQUEST);

	/** A restore target that is the live database or not empty. */
	public static final ProblemType TARGET_REFUSED = new ProblemType("restore-target-refused", "Restore target refused",
			HttpStatus.CONFLICT);

	/** The backup is not in a state (or of a type) that allows the operation. */
	public static final ProblemType NOT_RESTORABLE = new ProblemType("backup-not-usable", "Backup not usable for this operation",
			HttpStatus.CONFLICT);

	/** A backup of the same kind is already queued or running. */
	public static final ProblemType ALREADY_RUNNING = new ProblemType("backup-already-running", "Backup already running",
			HttpStatus.CONFLICT);

	private BackupProblems() {
	}

}
