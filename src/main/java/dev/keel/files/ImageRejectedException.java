package dev.keel.files;

/**
 * The image can never be processed: corrupt, truncated, not of its declared format, or too large.
 * Retrying cannot help, so the caller marks the file {@code rejected} and shows {@link #reason()}.
 * Transient trouble (the source file vanished, the output disk is full) is an {@code IOException}
 * instead, which a job may retry.
 */
public final class ImageRejectedException extends Exception {

	private static final long serialVersionUID = 1L;

	private final String reason;

	public ImageRejectedException(String reason) {
		this(reason, null);
	}

	public ImageRejectedException(String reason, Throwable cause) {
		super(reason, cause);
		this.reason = reason;
	}

	/** A short human sentence such as "corrupt JPEG data" or "image too large: 12000x12000". */
	public String reason() {
		return this.reason;
	}

}
