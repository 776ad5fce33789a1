package dev.keel.files;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;

/**
 * Decodes one image of a declared format from memory, defending against hostile input: the content
 * must be of the declared format, the dimensions are read from the header and checked against the
 * pixel limit before a single pixel is allocated, and every decoder failure (including runtime
 * exceptions some decoders throw on malformed data) becomes an {@link ImageRejectedException}.
 */
final class ImageDecoder {

	/**
	 * The JDK's JPEG decoder reports missing data as a warning and fills the rest with grey, so a
	 * truncated upload would otherwise be "processed" into a half-grey picture.
	 */
	private static final List<String> TRUNCATION_WARNINGS = List.of("premature end", "truncated", "unexpected end");

	/** One daemon thread for the whole JVM: it only fires {@link ImageReader#abort()} on overdue decodes. */
	private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(task -> {
		Thread thread = new Thread(task, "image-decode-watchdog");
		thread.setDaemon(true);
		return thread;
	});

	/**
	 * Zero bytes appended behind WebP data (outside the RIFF container, so parsers ignore them):
	 * TwelveMonkeys' lossless decoder refills its bit buffer on every symbol once it reaches the end
	 * of the stream, which makes a legitimately tiny file (a flat colour costs zero bits per pixel)
	 * take minutes; with padding the buffer stays full.
	 */
	private static final int WEBP_PADDING = 16;

	private final long maxPixels;

	private final Duration timeout;

	/** Longest side a decode must keep; 0 decodes at full size. */
	private final int keepSide;

	ImageDecoder(long maxPixels, Duration timeout) {
		this(maxPixels, timeout, 0);
	}

	/**
	 * {@code keepSide > 0} decodes big images subsampled by the largest whole factor that still leaves
	 * the longest side at least {@code keepSide} (the output bound): a 48 MP photo then needs ~12 MB
	 * of raster instead of ~190 MB, so a job's heap no longer grows with the source's pixel count.
	 * The smooth downscale to the bound happens afterwards, from a raster whose longest side is between
	 * one and two times the bound.
	 */
	ImageDecoder(long maxPixels, Duration timeout, int keepSide) {
		this.maxPixels = maxPixels;
		this.timeout = timeout;
		this.keepSide = keepSide;
	}

	/** Whole subsampling factor for a {@code width x height} source (1 = full size). */
	int subsampling(int width, int height) {
		return (this.keepSide > 0) ? Math.max(1, Math.max(width, height) / this.keepSide) : 1;
	}

	/** Header facts and pixels of a decoded image. */
	record Decoded(BufferedImage pixels, int width, int height) {
	}

	record Dimensions(int width, int height) {
	}

	Decoded decode(byte[] data, ImageFormat declared) throws ImageRejectedException {
		byte[] input = data;
		if (declared == ImageFormat.WEBP) {
			requireCompleteRiff(data);
			input = Arrays.copyOf(data, data.length + WEBP_PADDING);
		}
		ImageReader reader = readerFor(declared);
		try (ImageInputStream in = new ByteArrayImageInputStream(input)) {
			Dimensions size = open(reader, in, declared);
			List<String> warnings = new ArrayList<>();
			reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
			AtomicBoolean overdue = new AtomicBoolean();
			ScheduledFuture<?> watchdog = WATCHDOG.schedule(() -> {
				overdue.set(true);
				reader.abort();
			}, this.timeout.toMillis(), TimeUnit.MILLISECONDS);
			BufferedImage pixels;
			// WebP is left at full size: subsampling support differs between its decoders.
			int factor = (declared == ImageFormat.WEBP) ? 1 : subsampling(size.width(), size.height());
			try {
				javax.imageio.ImageReadParam param = reader.getDefaultReadParam();
				if (factor > 1) {
					param.setSourceSubsampling(factor, factor, 0, 0);
				}
				// Only the first frame: an animated WebP becomes a still of its first frame.
				pixels = reader.read(0, param);
			}
			finally {
				watchdog.cancel(false);
			}
			if (overdue.get() || pixels == null) {
				long seconds = this.timeout.toSeconds();
				throw new ImageRejectedException("decoding took longer than "
						+ (seconds > 0 ? seconds + " s" : this.timeout.toMillis() + " ms") + "; the " + declared.label()
						+ " data is too complex");
			}
			for (String warning : warnings) {
				String lower = warning.toLowerCase(Locale.ROOT);
				if (TRUNCATION_WARNINGS.stream().anyMatch(lower::contains)) {
					throw new ImageRejectedException("truncated " + declared.label() + " data");
				}
			}
			if (pixels.getWidth() != ceilDiv(size.width(), factor) || pixels.getHeight() != ceilDiv(size.height(), factor)) {
				throw new ImageRejectedException("corrupt " + declared.label() + " data: decoded size differs from header");
			}
			return new Decoded(pixels, size.width(), size.height());
		}
		catch (IOException | RuntimeException ex) {
			throw corrupt(declared, ex);
		}
		finally {
			reader.dispose();
		}
	}

	/**
	 * WebP is a RIFF container whose chunk lengths must fit in the file. The lossless decoder does not
	 * fail on missing data (it reads on past the end), so truncation is detected here, structurally.
	 */
	private static void requireCompleteRiff(byte[] data) throws ImageRejectedException {
		ByteBuffer riff = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
		if (data.length < 12 || riff.getInt(0) != 0x46464952 || riff.getInt(8) != 0x50424557) {
			throw new ImageRejectedException("content is not WebP data");
		}
		long declaredEnd = 8L + Integer.toUnsignedLong(riff.getInt(4));
		if (declaredEnd > data.length) {
			throw new ImageRejectedException("truncated WebP data: " + data.length + " of " + declaredEnd + " bytes");
		}
		long position = 12;
		while (position + 8 <= declaredEnd) {
			long chunkEnd = position + 8 + Integer.toUnsignedLong(riff.getInt((int) position + 4));
			if (chunkEnd > declaredEnd) {
				throw new ImageRejectedException("truncated WebP data: a chunk ends past the file");
			}
			position = chunkEnd + (chunkEnd & 1);
		}
	}

	private Dimensions open(ImageReader reader, ImageInputStream in, ImageFormat declared)
			throws IOException, ImageRejectedException {
		if (!reader.getOriginatingProvider().canDecodeInput(in)) {
			throw new ImageRejectedException("content is not " + declared.label() + " data");
		}
		reader.setInput(in, true);
		int width = reader.getWidth(0);
		int height = reader.getHeight(0);
		if (width < 1 || height < 1) {
			throw new ImageRejectedException("corrupt " + declared.label() + " data: invalid dimensions " + width + "x" + height);
		}
		if ((long) width * height > this.maxPixels) {
			throw new ImageRejectedException("image too large: " + width + "x" + height + " (limit "
					+ megapixels(this.maxPixels) + " megapixels)");
		}
		return new Dimensions(width, height);
	}

	private static int ceilDiv(int a, int b) {
		return (a + b - 1) / b;
	}

	private static String megapixels(long pixels) {
		return pixels % 1_000_000 == 0 ? Long.toString(pixels / 1_000_000)
				: String.format(Locale.ROOT, "%.1f", pixels / 1_000_000.0);
	}

	private static ImageRejectedException corrupt(ImageFormat declared, Exception ex) {
		String detail = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
		return new ImageRejectedException("corrupt " + declared.label() + " data: " + detail, ex);
	}

	/**
	 * Prefers TwelveMonkeys' reader where one exists (JPEG: CMYK/YCCK, broken ICC profiles and EXIF
	 * that the JDK reader refuses; WebP: the JDK has none); PNG uses the JDK's pure-Java reader.
	 */
	static ImageReader readerFor(ImageFormat format) {
		ImageReader fallback = null;
		Iterator<ImageReader> readers = ImageIO.getImageReadersByMIMEType(format.contentType());
		while (readers.hasNext()) {
			ImageReader reader = readers.next();
			if (reader.getClass().getName().startsWith("com.twelvemonkeys.")) {
				if (fallback != null) {
					fallback.dispose();
				}
				return reader;
			}
			if (fallback == null) {
				fallback = reader;
			}
			else {
				reader.dispose();
			}
		}
		if (fallback == null) {
			throw new IllegalStateException("no ImageIO reader for " + format.contentType());
		}
		return fallback;
	}

}
