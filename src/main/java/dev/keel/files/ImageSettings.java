package dev.keel.files;

import java.time.Duration;

/**
 * Limits and quality of the image pipeline. {@link #DEFAULTS} follow SPEC C9 (2048 px, 200 px
 * thumbnail); the pixel and byte limits bound memory, see {@code docs/decisions/0401-image-processing.md}.
 *
 * @param maxSide longest side of the processed image; smaller images are never enlarged
 * @param thumbnailSide longest side of the thumbnail; smaller images are never enlarged
 * @param jpegQuality JPEG encoder quality, 0 to 1
 * @param maxPixels width × height above which an image is rejected before its pixels are decoded
 * @param maxSourceBytes source files larger than this are rejected without being read
 * @param decodeTimeout decoding that takes longer is abandoned and the image rejected (a CPU bomb
 * guard: a 50-megapixel photo decodes in a few seconds)
 */
public record ImageSettings(int maxSide, int thumbnailSide, float jpegQuality, long maxPixels, long maxSourceBytes,
		Duration decodeTimeout) {

	public static final ImageSettings DEFAULTS = new ImageSettings(2048, 200, 0.85f, 50_000_000L, 64L * 1024 * 1024,
			Duration.ofSeconds(30));

	public ImageSettings {
		if (maxSide < 1 || thumbnailSide < 1 || thumbnailSide > maxSide) {
			throw new IllegalArgumentException("need 1 <= thumbnailSide <= maxSide");
		}
		if (!(jpegQuality > 0f && jpegQuality <= 1f)) {
			throw new IllegalArgumentException("jpegQuality must be in (0, 1]");
		}
		if (maxPixels < 1 || maxSourceBytes < 1 || decodeTimeout == null || !decodeTimeout.isPositive()) {
			throw new IllegalArgumentException("limits must be positive");
		}
	}

	public ImageSettings withMaxPixels(long maxPixels) {
		return new ImageSettings(this.maxSide, this.thumbnailSide, this.jpegQuality, maxPixels, this.maxSourceBytes,
				this.decodeTimeout);
	}

	public ImageSettings withDecodeTimeout(Duration decodeTimeout) {
		return new ImageSettings(this.maxSide, this.thumbnailSide, this.jpegQuality, this.maxPixels,
				this.maxSourceBytes, decodeTimeout);
	}

}
