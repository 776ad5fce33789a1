package dev.keel.shared;

import java.net.URI;

import org.springframework.http.HttpStatus;

/**
 * A stable, documented problem type: clients switch on {@link #uri()}, people read {@link #title()}.
 * Modules declare their own constants next to the code that raises them.
 */
public record ProblemType(String slug, String title, HttpStatus status) {

	public static final String BASE = "https://keel.dev/problems/";

	public static final ProblemType NOT_FOUND = new ProblemType("not-found", "Resource not found", HttpStatus.NOT_FOUND);
	public static final ProblemType METHOD_NOT_ALLOWED = new ProblemType("method-not-allowed", "Method not allowed", HttpStatus.METHOD_NOT_ALLOWED);
	public static final ProblemType UNSUPPORTED_MEDIA_TYPE = new ProblemType("unsupported-media-type", "Unsupported media type", HttpStatus.UNSUPPORTED_MEDIA_TYPE);
	public static final ProblemType NOT_ACCEPTABLE = new ProblemType("not-acceptable", "Not acceptable", HttpStatus.NOT_ACCEPTABLE);
	public static final ProblemType MALFORMED_REQUEST = new ProblemType("malformed-request", "Malformed request", HttpStatus.BAD_REQUEST);
	public static final ProblemType VALIDATION_FAILED = new ProblemType("validation-failed", "Validation failed", HttpStatus.BAD_REQUEST);
	public static final ProblemType PAYLOAD_TOO_LARGE = new ProblemType("payload-too-large", "Payload too large", HttpStatus.CONTENT_TOO_LARGE);
	public static final ProblemType UNAUTHORIZED = new ProblemType("unauthorized", "Authentication required", HttpStatus.UNAUTHORIZED);
	public static final ProblemType FORBIDDEN = new ProblemType("forbidden", "Forbidden", HttpStatus.FORBIDDEN);
	public static final ProblemType CONFLICT = new ProblemType("conflict", "Conflict", HttpStatus.CONFLICT);
	public static final ProblemType INTERNAL_ERROR = new ProblemType("internal-error", "Internal error", HttpStatus.INTERNAL_SERVER_ERROR);
	public static final ProblemType SERVICE_UNAVAILABLE = new ProblemType("service-unavailable", "Service unavailable", HttpStatus.SERVICE_UNAVAILABLE);

	public URI uri() {
		return URI.create(BASE + this.slug);
	}

}
