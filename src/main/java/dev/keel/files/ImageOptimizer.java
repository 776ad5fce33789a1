package dev.keel.files;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The image step of the {@code file-process} job: auto-rotate, strip metadata, bound the size,
 * re-encode and make a thumbnail. One implementation is wired in {@link FilesConfiguration}; the
 * seam keeps the pipeline independent of the image library.
 */
interface ImageOptimizer {

	/**
	 * Optimises {@code source} (of the sniffed {@code type}) into files under {@code workDir}. Throws
	 * {@link Rejected} when the image cannot be decoded (the upload is rejected, never retried) and
	 * {@link IOException} for failures worth a retry.
	 */
	Result optimize(Path source, FileType type, Path workDir) throws Rejected, IOException;

	/**
	 * The optimised image (may be {@code source} itself when it is kept as it is) and its thumbnail
	 * ({@code null} for none).
	 */
	record Result(Path image, String contentType, Path thumbnail, String thumbnailContentType, int width, int height) {
	}

	/** The image is corrupt or unsupported; {@code reason} is shown on the file record. */
	final class Rejected extends Exception {

		Rejected(String reason, Throwable cause) {
			super(reason, cause);
		}

	}

}
