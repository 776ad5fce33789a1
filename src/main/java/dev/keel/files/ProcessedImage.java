package dev.keel.files;

/**
 * The result of {@link ImageProcessor#process}: an upright, metadata-free image bounded to
 * {@link ImageSettings#maxSide()} and its thumbnail, both in {@link #format()}.
 *
 * @param image the bounded, re-encoded image
 * @param thumbnail the thumbnail (longest side at most {@link ImageSettings#thumbnailSide()})
 * @param format the output format (JPEG or PNG; WebP input is re-encoded, see decision 0401)
 * @param sourceWidth width of the source as stored, before orientation
 * @param sourceHeight height of the source as stored, before orientation
 * @param orientation the EXIF orientation (1–8) that was applied; 1 when there was none
 */
public record ProcessedImage(ImageRendition image, ImageRendition thumbnail, ImageFormat format, int sourceWidth,
		int sourceHeight, int orientation) {

	public String contentType() {
		return this.format.contentType();
	}

}
