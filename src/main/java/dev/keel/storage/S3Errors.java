package dev.keel.storage;

import java.io.IOException;
import java.util.Set;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Turns SDK exceptions into {@link IOException}s whose message says what an operator must fix (the
 * bucket does not exist, the credentials are rejected, the endpoint is unreachable), naming the
 * endpoint host and bucket but never credentials. The messages reach logs and {@code /health}.
 */
final class S3Errors {

	private static final Set<String> CREDENTIAL_CODES = Set.of("InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidToken", "ExpiredToken",
			"InvalidSecurity", "AuthorizationHeaderMalformed");

	private S3Errors() {
	}

	static IOException failure(S3Connection connection, String action, String key, SdkException ex) {
		String what = "S3 " + action + " of '" + key + "' in " + connection.where();
		if (ex instanceof S3Exception s3) {
			String code = (s3.awsErrorDetails() != null) ? s3.awsErrorDetails().errorCode() : null;
			if ("NoSuchBucket".equals(code)) {
				return new IOException(what + " failed: the bucket does not exist", ex);
			}
			if (code != null && CREDENTIAL_CODES.contains(code)) {
				return new IOException(what + " failed: the credentials were rejected (" + code + "); check S3_ACCESS_KEY and S3_SECRET_KEY", ex);
			}
			if ("AccessDenied".equals(code)) {
				return new IOException(what + " failed: access denied; the credentials lack permission on this bucket", ex);
			}
			if (code == null && s3.statusCode() == 403) {
				// HEAD responses carry no error body: wrong credentials and missing permission look alike.
				return new IOException(what + " failed: access denied (HTTP 403); check S3_ACCESS_KEY, S3_SECRET_KEY and the bucket policy", ex);
			}
			String message = (s3.awsErrorDetails() != null) ? s3.awsErrorDetails().errorMessage() : null;
			return new IOException(what + " failed: " + ((code != null) ? code : "HTTP error") + " (HTTP " + s3.statusCode() + ")"
					+ ((message != null) ? ": " + firstLine(message) : ""), ex);
		}
		String message = (ex.getMessage() != null) ? firstLine(ex.getMessage()) : ex.getClass().getSimpleName();
		if (message.contains("credentials")) {
			return new IOException(what + " failed: no credentials (set S3_ACCESS_KEY and S3_SECRET_KEY or provide them to the AWS default chain): " + message, ex);
		}
		return new IOException(what + " failed: " + message, ex);
	}

	/** HeadBucket answers with a status only (no error body), so the status is all there is to explain. */
	static IOException bucketFailure(S3Connection connection, SdkException ex) {
		if (ex instanceof S3Exception s3) {
			String where = connection.where();
			return switch (s3.statusCode()) {
				case 404 -> new IOException("S3 " + where + " does not exist", ex);
				case 403 -> new IOException("S3 " + where + " refuses these credentials; check S3_ACCESS_KEY, S3_SECRET_KEY and the bucket policy", ex);
				case 301, 400 -> new IOException("S3 " + where + " cannot be used with S3_REGION=" + connection.region() + " (HTTP " + s3.statusCode() + ")", ex);
				default -> failure(connection, "check", connection.bucket(), ex);
			};
		}
		return failure(connection, "check", connection.bucket(), ex);
	}

	private static String firstLine(String s) {
		int nl = s.indexOf('\n');
		return (nl > 0) ? s.substring(0, nl) : s;
	}

}
