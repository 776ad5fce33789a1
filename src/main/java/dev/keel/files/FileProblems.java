package dev.keel.files;

import dev.keel.shared.ProblemType;

import org.springframework.http.HttpStatus;

/** The file pipeline's problem types (documented in docs/files.md). */
final class FileProblems {

	static final ProblemType REJECTED = new ProblemType("upload-rejected", "Upload rejected", HttpStatus.BAD_REQUEST);

	static final ProblemType TOO_LARGE = new ProblemType("upload-too-large", "Upload too large", HttpStatus.CONTENT_TOO_LARGE);

	static final ProblemType INFECTED = new ProblemType("upload-infected", "Upload infected", HttpStatus.UNPROCESSABLE_CONTENT);

	static final ProblemType SCANNER_UNAVAILABLE = new ProblemType("virus-scanner-unavailable", "Virus scanner unavailable",
			HttpStatus.SERVICE_UNAVAILABLE);

	static final ProblemType QUOTA_EXCEEDED = new ProblemType("storage-quota-exceeded", "Storage quota exceeded",
			HttpStatus.INSUFFICIENT_STORAGE);

	static final ProblemType SIGNED_URL_INVALID = new ProblemType("signed-url-invalid", "Signed link invalid or expired",
			HttpStatus.FORBIDDEN);

	/** The file is not {@code stored} (still {@code processing}, or {@code rejected}): no content, thumbnail or link. */
	static final ProblemType NOT_READY = new ProblemType("file-not-ready", "File not ready", HttpStatus.CONFLICT);

	private FileProblems() {
	}

}
