package dev.keel.files;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.imageio.ImageIO;

import net.coobird.thumbnailator.Thumbnails;

/**
 * The image step of the {@code file-process} job (SPEC C9): decode a JPEG, PNG or WebP upload, turn it
 * upright by its EXIF orientation, bound its longest side (never enlarging), re-encode it from pixels
 * so that no metadata survives, and make a thumbnail.
 *
 * <p>Output format: JPEG stays JPEG (quality {@link ImageSettings#jpegQuality()}), PNG stays PNG (alpha
 * kept), WebP becomes PNG when it has an alpha channel and JPEG otherwise (no maintained pure-Java
 * WebP encoder exists; decision 0401). The thumbnail has the same format as the image.
 *
 * <p>Thread-safe and stateless; each call holds at most one decoded source, see decision 0401 for
 * the heap needed per megapixel. No Spring: the files module wraps it.
 */
public final class ImageProcessor {

	static final String IMAGE_NAME = "image";

	static final String THUMBNAIL_NAME = "thumbnail";

	private final ImageSettings settings;

	private final ImageDecoder decoder;

	private final ImageEncoder encoder;

	public ImageProcessor() {
		this(ImageSettings.DEFAULTS);
	}

	public ImageProcessor(ImageSettings settings) {
		this.settings = settings;
		this.decoder = new ImageDecoder(settings.maxPixels(), settings.decodeTimeout(), settings.maxSide());
		this.encoder = new ImageEncoder(settings.jpegQuality());
		ensurePlugins();
	}

	public ImageSettings settings() {
		return this.settings;
	}

	/**
	 * Processes {@code source}, whose content was sniffed as {@code declared}, and writes
	 * {@code image.<ext>} and {@code thumbnail.<ext>} into {@code outputDir} (which must exist; existing
	 * files of those names are replaced).
	 * @throws ImageRejectedException the content can never be processed (corrupt, truncated, not
	 * {@code declared}, or above the pixel or byte limit): mark the file rejected with the reason
	 * @throws IOException reading the source or writing the outputs failed: worth a retry
	 */
	public ProcessedImage process(Path source, ImageFormat declared, Path outputDir)
			throws ImageRejectedException, IOException {
		long size = Files.size(source);
		if (size > this.settings.maxSourceBytes()) {
			throw new ImageRejectedException("image file too large: " + size + " bytes (limit "
					+ this.settings.maxSourceBytes() + ")");
		}
		// Read fully first: an IOException from here on is the disk's fault, any decoding failure is the
		// content's, and the two must not be confused (one is retried, the other rejected for good).
		byte[] data = Files.readAllBytes(source);
		return process(data, declared, outputDir);
	}

	/** As {@link #process(Path, ImageFormat, Path)}, for content already in memory. */
	public ProcessedImage process(byte[] data, ImageFormat declared, Path outputDir)
			throws ImageRejectedException, IOException {
		if (data.length > this.settings.maxSourceBytes()) {
			throw new ImageRejectedException("image file too large: " + data.length + " bytes (limit "
					+ this.settings.maxSourceBytes() + ")");
		}
		ImageDecoder.Decoded decoded = this.decoder.decode(data, declared);
		int orientation = ExifOrientation.read(data, declared);
		BufferedImage source = decoded.pixels();
		boolean alpha = source.getColorModel().hasAlpha();
		ImageFormat output = outputFormat(declared, alpha);
		int pixelType = output == ImageFormat.PNG && alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB;

		// Scale before rotating: the bound is a square, so the result is the same and the rotation
		// touches at most maxSide² pixels instead of the whole source.
		BufferedImage image = bound(source, this.settings.maxSide(), pixelType);
		source = null; // the full-size raster is garbage from here on
		image = normalize(ExifOrientation.apply(image, orientation), pixelType);
		BufferedImage thumbnail = bound(image, this.settings.thumbnailSide(), pixelType);

		Files.createDirectories(outputDir);
		ImageRendition written = this.encoder.write(image, output,
				outputDir.resolve(IMAGE_NAME + "." + output.extension()));
		ImageRendition thumb = this.encoder.write(thumbnail, output,
				outputDir.resolve(THUMBNAIL_NAME + "." + output.extension()));
		return new ProcessedImage(written, thumb, output, decoded.width(), decoded.height(), orientation);
	}

	/** JPEG and PNG keep their format; WebP goes to PNG when transparency must survive, else JPEG. */
	static ImageFormat outputFormat(ImageFormat declared, boolean alpha) {
		return switch (declared) {
			case JPEG -> ImageFormat.JPEG;
			case PNG -> ImageFormat.PNG;
			case WEBP -> alpha ? ImageFormat.PNG : ImageFormat.JPEG;
		};
	}

	/**
	 * Scales so that the longest side is at most {@code maxSide}, keeping the aspect ratio and never
	 * enlarging. Thumbnailator downsizes progressively (bilinear halving steps), which avoids the
	 * aliasing of a single large bilinear step.
	 */
	private static BufferedImage bound(BufferedImage image, int maxSide, int pixelType) throws IOException {
		if (Math.max(image.getWidth(), image.getHeight()) <= maxSide) {
			return normalize(image, pixelType);
		}
		return Thumbnails.of(image).size(maxSide, maxSide).keepAspectRatio(true).imageType(pixelType)
			.asBufferedImage();
	}

	/**
	 * Converts to a plain sRGB raster of the wanted type: the decoders return whatever the file held
	 * (palette, grey, 16-bit, converted CMYK), and the JPEG writer cannot take an alpha channel, so
	 * transparent pixels are flattened onto white rather than black.
	 */
	private static BufferedImage normalize(BufferedImage image, int pixelType) {
		if (image.getType() == pixelType) {
			return image;
		}
		BufferedImage converted = new BufferedImage(image.getWidth(), image.getHeight(), pixelType);
		Graphics2D graphics = converted.createGraphics();
		try {
			if (pixelType == BufferedImage.TYPE_INT_RGB) {
				graphics.setColor(Color.WHITE);
				graphics.fillRect(0, 0, image.getWidth(), image.getHeight());
			}
			graphics.drawImage(image, 0, 0, null);
		}
		finally {
			graphics.dispose();
		}
		return converted;
	}

	/**
	 * ImageIO discovers plugins once, through the class loader current at first use; inside a Spring
	 * Boot fat jar that may not see the TwelveMonkeys jars, so scan again when the WebP reader is missing.
	 */
	private static void ensurePlugins() {
		if (!ImageIO.getImageReadersByMIMEType(ImageFormat.WEBP.contentType()).hasNext()) {
			ImageIO.scanForPlugins();
		}
		if (!ImageIO.getImageReadersByMIMEType(ImageFormat.WEBP.contentType()).hasNext()) {
			throw new IllegalStateException("TwelveMonkeys WebP reader (imageio-webp) not on the class path");
		}
	}

}
