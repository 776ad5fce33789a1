package dev.keel.files;

import java.util.Locale;
import java.util.Optional;

/** The image formats the pipeline decodes, each with its content type and file extension. */
public enum ImageFormat {

	JPEG("image/jpeg", "jpg", "JPEG"),
	PNG("image/png", "png", "PNG"),
	WEBP("image/webp", "webp", "WebP");

	private final String contentType;

	private final String extension;

	private final String label;

	ImageFormat(String contentType, String extension, String label) {
		this.contentType = contentType;
		this.extension = extension;
		this.label = label;
	}

	public String contentType() {
		return this.contentType;
	}

	public String extension() {
		return this.extension;
	}

	/** Human name used in rejection reasons ("corrupt JPEG data"). */
	public String label() {
		return this.label;
	}

	/** The format for a sniffed content type such as {@code image/jpeg}; empty for anything else. */
	public static Optional<ImageFormat> fromContentType(String contentType) {
		if (contentType == null) {
			return Optional.empty();
		}
		String normalized = contentType.strip().toLowerCase(Locale.ROOT);
		for (ImageFormat format : values()) {
			if (format.contentType.equals(normalized)) {
				return Optional.of(format);
			}
		}
		return Optional.empty();
	}

}
