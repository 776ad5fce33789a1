package dev.keel.files;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The upload allowlist (seed §5.8): the media types Keel accepts, their file extensions and their own
 * size limits. The global {@code MAX_UPLOAD_SIZE_MB} still caps every type.
 */
enum FileType {

	JPEG("image/jpeg", List.of("jpg", "jpeg"), 10, true, Set.of("image/jpg", "image/pjpeg")),
	PNG("image/png", List.of("png"), 10, true, Set.of("image/x-png")),
	WEBP("image/webp", List.of("webp"), 10, true, Set.of()),
	PDF("application/pdf", List.of("pdf"), 25, false, Set.of("application/x-pdf")),
	XLSX("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", List.of("xlsx"), 50, false, Set.of());

	private final String mediaType;

	private final List<String> extensions;

	private final long maxBytes;

	private final boolean image;

	private final Set<String> aliases;

	FileType(String mediaType, List<String> extensions, int maxMegabytes, boolean image, Set<String> aliases) {
		this.mediaType = mediaType;
		this.extensions = extensions;
		this.maxBytes = maxMegabytes * 1024L * 1024L;
		this.image = image;
		this.aliases = aliases;
	}

	String mediaType() {
		return this.mediaType;
	}

	List<String> extensions() {
		return this.extensions;
	}

	long maxBytes() {
		return this.maxBytes;
	}

	boolean image() {
		return this.image;
	}

	/** Whether a client-declared Content-Type names this type (parameters and case ignored). */
	boolean declaredAs(String declared) {
		String bare = declared.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
		return this.mediaType.equals(bare) || this.aliases.contains(bare);
	}

	static Optional<FileType> byExtension(String extension) {
		String e = extension.toLowerCase(Locale.ROOT);
		return Arrays.stream(values()).filter((t) -> t.extensions.contains(e)).findFirst();
	}

	static Optional<FileType> byMediaType(String mediaType) {
		return Arrays.stream(values()).filter((t) -> t.mediaType.equals(mediaType)).findFirst();
	}

	static String allowed() {
		return String.join(", ", Arrays.stream(values()).map(FileType::mediaType).toList());
	}

}
