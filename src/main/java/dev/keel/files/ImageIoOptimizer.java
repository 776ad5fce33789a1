package dev.keel.files;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;

/**
 * A minimal {@link ImageOptimizer} on the JDK's ImageIO (JPEG and PNG): decode, bound to
 * {@value #MAX_EDGE} px, re-encode without metadata, {@value #THUMBNAIL_EDGE} px thumbnail. WebP has
 * no JDK decoder and is kept as uploaded. Stand-in until the full image processor (EXIF rotation)
 * is wired in its place.
 */
final class ImageIoOptimizer implements ImageOptimizer {

	static final int MAX_EDGE = 2048;

	static final int THUMBNAIL_EDGE = 200;

	/** Refused before decoding: a small file may declare huge dimensions (a decompression bomb). */
	static final long MAX_PIXELS = 50_000_000L;

	@Override
	public Result optimize(Path source, FileType type, Path workDir) throws Rejected, IOException {
		if (type == FileType.WEBP) {
			return new Result(source, type.mediaType(), null, null, 0, 0);
		}
		BufferedImage image = decode(source);
		String format = (type == FileType.PNG) ? "png" : "jpeg";
		BufferedImage bounded = scale(image, MAX_EDGE, type == FileType.PNG);
		Path out = workDir.resolve("image." + format);
		write(bounded, format, out);
		Path thumb = workDir.resolve("thumbnail." + format);
		write(scale(bounded, THUMBNAIL_EDGE, type == FileType.PNG), format, thumb);
		return new Result(out, type.mediaType(), thumb, type.mediaType(), bounded.getWidth(), bounded.getHeight());
	}

	private static BufferedImage decode(Path source) throws Rejected, IOException {
		try (ImageInputStream in = ImageIO.createImageInputStream(source.toFile())) {
			Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
			if (!readers.hasNext()) {
				throw new Rejected("image-decode: no decoder recognises the image data", null);
			}
			ImageReader reader = readers.next();
			try {
				reader.setInput(in, true, true);
				int width = reader.getWidth(0);
				int height = reader.getHeight(0);
				if ((long) width * height > MAX_PIXELS) {
					throw new Rejected("image-dimensions: the image has more than " + MAX_PIXELS + " pixels", null);
				}
				// Decode big photos at a fraction of their resolution (still >= MAX_EDGE): a 50 MP image
				// would otherwise need 200 MB of heap per job before it is scaled down.
				ImageReadParam param = reader.getDefaultReadParam();
				int factor = Math.max(1, Math.max(width, height) / MAX_EDGE);
				if (factor > 1) {
					param.setSourceSubsampling(factor, factor, 0, 0);
				}
				return reader.read(0, param);
			}
			catch (IOException | RuntimeException ex) {
				throw new Rejected("image-decode: the image data is corrupt (" + ex.getClass().getSimpleName() + ")", ex);
			}
			finally {
				reader.dispose();
			}
		}
	}

	/** Fits the image inside {@code edge} x {@code edge}, never enlarging; JPEG output loses alpha. */
	private static BufferedImage scale(BufferedImage image, int edge, boolean alpha) {
		double factor = Math.min(1.0, (double) edge / Math.max(image.getWidth(), image.getHeight()));
		int w = Math.max(1, (int) Math.round(image.getWidth() * factor));
		int h = Math.max(1, (int) Math.round(image.getHeight() * factor));
		BufferedImage out = new BufferedImage(w, h, alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
		Graphics2D g = out.createGraphics();
		try {
			g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
			g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
			if (!alpha) {
				g.setColor(java.awt.Color.WHITE);
				g.fillRect(0, 0, w, h);
			}
			g.drawImage(image, 0, 0, w, h, null);
		}
		finally {
			g.dispose();
		}
		return out;
	}

	/** Writes pixels only: no EXIF, no comments, no thumbnails of the original survive. */
	private static void write(BufferedImage image, String format, Path target) throws IOException {
		ImageWriter writer = ImageIO.getImageWritersByFormatName(format).next();
		Files.deleteIfExists(target);
		try (ImageOutputStream out = ImageIO.createImageOutputStream(target.toFile())) {
			writer.setOutput(out);
			ImageWriteParam param = writer.getDefaultWriteParam();
			if ("jpeg".equals(format)) {
				param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
				param.setCompressionQuality(0.85f);
			}
			writer.write(null, new IIOImage(image, null, null), param);
		}
		finally {
			writer.dispose();
		}
	}

}
