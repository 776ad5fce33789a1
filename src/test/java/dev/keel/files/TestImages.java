package dev.keel.files;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Builds test images byte by byte: JPEGs with EXIF (orientation, GPS), XMP, IPTC, ICC and comment
 * segments; PNGs with text chunks or forged headers; lossless WebP (VP8L) files, since ImageIO has
 * no WebP writer. Nothing is read from disk, so every fixture is visible in the test.
 */
final class TestImages {

	static final Color TOP_LEFT = Color.RED;

	static final Color TOP_RIGHT = Color.GREEN;

	static final Color BOTTOM_LEFT = Color.BLUE;

	static final Color BOTTOM_RIGHT = Color.WHITE;

	private TestImages() {
	}

	/** An upright picture whose four quadrants have distinct colours, so any flip or turn shows. */
	static BufferedImage quadrants(int width, int height) {
		BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
		Graphics2D g = image.createGraphics();
		int w = width / 2;
		int h = height / 2;
		fill(g, TOP_LEFT, 0, 0, w, h);
		fill(g, TOP_RIGHT, w, 0, width - w, h);
		fill(g, BOTTOM_LEFT, 0, h, w, height - h);
		fill(g, BOTTOM_RIGHT, w, h, width - w, height - h);
		g.dispose();
		return image;
	}

	private static void fill(Graphics2D g, Color color, int x, int y, int w, int h) {
		g.setColor(color);
		g.fillRect(x, y, w, h);
	}

	/** Noise, so the JPEG encoder has real work (and the file a realistic size). */
	static BufferedImage noise(int width, int height, long seed) {
		BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
		Random random = new Random(seed);
		int[] row = new int[width];
		for (int y = 0; y < height; y++) {
			for (int x = 0; x < width; x++) {
				// Smooth gradient plus noise: photo-like entropy, not incompressible static.
				int base = ((x * 255 / width) << 16) | ((y * 255 / height) << 8) | 128;
				row[x] = base ^ (random.nextInt(32) * 0x010101);
			}
			image.setRGB(0, y, width, 1, row, 0, width);
		}
		return image;
	}

	/**
	 * What a camera held sideways stores for orientation {@code o}: the inverse of the EXIF transform,
	 * computed pixel by pixel (independently of the production code) from the upright picture.
	 */
	static BufferedImage storedFor(BufferedImage upright, int orientation) {
		boolean swap = orientation >= 5;
		int sw = swap ? upright.getHeight() : upright.getWidth();
		int sh = swap ? upright.getWidth() : upright.getHeight();
		BufferedImage stored = new BufferedImage(sw, sh, BufferedImage.TYPE_INT_RGB);
		for (int y = 0; y < sh; y++) {
			for (int x = 0; x < sw; x++) {
				int[] u = switch (orientation) {
					case 1 -> new int[] { x, y };
					case 2 -> new int[] { sw - 1 - x, y };
					case 3 -> new int[] { sw - 1 - x, sh - 1 - y };
					case 4 -> new int[] { x, sh - 1 - y };
					case 5 -> new int[] { y, x };
					case 6 -> new int[] { sh - 1 - y, x };
					case 7 -> new int[] { sh - 1 - y, sw - 1 - x };
					case 8 -> new int[] { y, sw - 1 - x };
					default -> throw new IllegalArgumentException("orientation " + orientation);
				};
				stored.setRGB(x, y, upright.getRGB(u[0], u[1]));
			}
		}
		return stored;
	}

	static byte[] jpeg(BufferedImage image) {
		return jpeg(image, 0.9f);
	}

	static byte[] jpeg(BufferedImage image, float quality) {
		ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
			writer.setOutput(out);
			ImageWriteParam param = writer.getDefaultWriteParam();
			param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
			param.setCompressionQuality(quality);
			writer.write(null, new IIOImage(image, null, null), param);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		finally {
			writer.dispose();
		}
		return bytes.toByteArray();
	}

	/**
	 * A CMYK JPEG as Photoshop writes it: four components, an Adobe APP14 segment (transform 0) and
	 * inverted ink values. Left half pure cyan, right half pure yellow. The JDK's own reader refuses
	 * such files ("Unsupported Image Type").
	 */
	static byte[] adobeCmykJpeg(int width, int height) {
		WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, width, height, 4, null);
		int[] cyan = { 0, 255, 255, 255 };
		int[] yellow = { 255, 255, 0, 255 };
		for (int y = 0; y < height; y++) {
			for (int x = 0; x < width; x++) {
				raster.setPixel(x, y, x < width / 2 ? cyan : yellow);
			}
		}
		ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
			writer.setOutput(out);
			writer.write(null, new IIOImage(raster, null, null), null);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		finally {
			writer.dispose();
		}
		byte[] adobe = { 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 0 };
		return withSegments(bytes.toByteArray(), segment(0xEE, adobe));
	}

	/** Inserts marker segments right after SOI, where cameras put APP1 EXIF. */
	static byte[] withSegments(byte[] jpeg, byte[]... segments) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.write(jpeg, 0, 2);
		for (byte[] segment : segments) {
			out.writeBytes(segment);
		}
		out.write(jpeg, 2, jpeg.length - 2);
		return out.toByteArray();
	}

	static byte[] segment(int marker, byte[] payload) {
		ByteBuffer buffer = ByteBuffer.allocate(4 + payload.length);
		buffer.put((byte) 0xFF).put((byte) marker).putShort((short) (payload.length + 2)).put(payload);
		return buffer.array();
	}

	/**
	 * APP1 "Exif": a big-endian TIFF structure with IFD0 {Orientation, GPS pointer} and a GPS IFD
	 * {GPSLatitudeRef "N", GPSLatitude 52/1 31/1 0/1, GPSLongitudeRef "E", GPSLongitude 13/1 24/1 0/1}.
	 */
	static byte[] exifSegment(int orientation) {
		return segment(0xE1, concat("Exif\0\0".getBytes(StandardCharsets.ISO_8859_1), exifTiff(orientation)));
	}

	/** The TIFF structure of {@link #exifSegment}, as PNG's eXIf chunk holds it. */
	static byte[] exifTiff(int orientation) {
		ByteBuffer tiff = ByteBuffer.allocate(140);
		tiff.put(new byte[] { 'M', 'M', 0, 42 }).putInt(8);
		// IFD0 at 8: 2 entries, then next-IFD offset; ends at 38.
		tiff.putShort((short) 2);
		tiff.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
		tiff.putShort((short) 0x8825).putShort((short) 4).putInt(1).putInt(38);
		tiff.putInt(0);
		// GPS IFD at 38: 4 entries, ends at 92; rationals at 92 (latitude) and 116 (longitude).
		tiff.putShort((short) 4);
		tiff.putShort((short) 0x0001).putShort((short) 2).putInt(2).put(new byte[] { 'N', 0, 0, 0 });
		tiff.putShort((short) 0x0002).putShort((short) 5).putInt(3).putInt(92);
		tiff.putShort((short) 0x0003).putShort((short) 2).putInt(2).put(new byte[] { 'E', 0, 0, 0 });
		tiff.putShort((short) 0x0004).putShort((short) 5).putInt(3).putInt(116);
		tiff.putInt(0);
		tiff.putInt(52).putInt(1).putInt(31).putInt(1).putInt(0).putInt(1);
		tiff.putInt(13).putInt(1).putInt(24).putInt(1).putInt(0).putInt(1);
		return tiff.array();
	}

	static byte[] xmpSegment() {
		String xmp = "<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>"
				+ "<rdf:Description rdf:about='' xmlns:dc='http://purl.org/dc/elements/1.1/' dc:format='image/jpeg'/>"
				+ "</rdf:RDF></x:xmpmeta>";
		return segment(0xE1, concat("http://ns.adobe.com/xap/1.0/\0".getBytes(StandardCharsets.ISO_8859_1),
				xmp.getBytes(StandardCharsets.UTF_8)));
	}

	/** APP13 Photoshop 3.0 resource 0x0404 holding one IPTC record: caption "secrets". */
	static byte[] iptcSegment() {
		// Caption of 7 bytes: the resource data (12 bytes) needs no padding to an even length.
		byte[] iptc = concat(new byte[] { 0x1C, 2, 120, 0, 7 }, "secrets".getBytes(StandardCharsets.US_ASCII));
		ByteBuffer resource = ByteBuffer.allocate(12 + iptc.length);
		resource.put("8BIM".getBytes(StandardCharsets.US_ASCII)).putShort((short) 0x0404).putShort((short) 0)
			.putInt(iptc.length).put(iptc);
		return segment(0xED, concat("Photoshop 3.0\0".getBytes(StandardCharsets.US_ASCII), resource.array()));
	}

	static byte[] iccSegment() {
		byte[] profile = ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData();
		return segment(0xE2, concat("ICC_PROFILE\0".getBytes(StandardCharsets.US_ASCII), new byte[] { 1, 1 }, profile));
	}

	static byte[] commentSegment(String text) {
		return segment(0xFE, text.getBytes(StandardCharsets.US_ASCII));
	}

	/** The marker codes of a JPEG's header segments, from SOI up to the first SOS. */
	static List<Integer> jpegMarkers(byte[] jpeg) {
		List<Integer> markers = new ArrayList<>();
		int i = 2;
		while (i + 4 <= jpeg.length && (jpeg[i] & 0xFF) == 0xFF) {
			int marker = jpeg[i + 1] & 0xFF;
			markers.add(marker);
			if (marker == 0xDA) {
				break;
			}
			i += 2 + (((jpeg[i + 2] & 0xFF) << 8) | (jpeg[i + 3] & 0xFF));
		}
		return markers;
	}

	/** Replaces the height and width in a baseline JPEG's SOF0 segment. */
	static byte[] withJpegSize(byte[] jpeg, int width, int height) {
		byte[] patched = jpeg.clone();
		for (int i = 2; i + 9 < patched.length; i++) {
			if ((patched[i] & 0xFF) == 0xFF && (patched[i + 1] & 0xFF) == 0xC0) {
				patched[i + 5] = (byte) (height >> 8);
				patched[i + 6] = (byte) height;
				patched[i + 7] = (byte) (width >> 8);
				patched[i + 8] = (byte) width;
				return patched;
			}
		}
		throw new IllegalArgumentException("no SOF0");
	}

	static byte[] png(BufferedImage image, String textKeyword, String textValue) {
		ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
			writer.setOutput(out);
			IIOMetadata metadata = writer.getDefaultImageMetadata(new ImageTypeSpecifier(image), null);
			if (textKeyword != null) {
				IIOMetadataNode entry = new IIOMetadataNode("tEXtEntry");
				entry.setAttribute("keyword", textKeyword);
				entry.setAttribute("value", textValue);
				IIOMetadataNode text = new IIOMetadataNode("tEXt");
				text.appendChild(entry);
				IIOMetadataNode root = new IIOMetadataNode("javax_imageio_png_1.0");
				root.appendChild(text);
				metadata.mergeTree("javax_imageio_png_1.0", root);
			}
			writer.write(null, new IIOImage(image, null, metadata), null);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		finally {
			writer.dispose();
		}
		return bytes.toByteArray();
	}

	/** The chunk types of a PNG, in order. */
	static List<String> pngChunks(byte[] png) {
		List<String> chunks = new ArrayList<>();
		ByteBuffer buffer = ByteBuffer.wrap(png);
		buffer.position(8);
		while (buffer.remaining() >= 12) {
			int length = buffer.getInt();
			byte[] type = new byte[4];
			buffer.get(type);
			chunks.add(new String(type, StandardCharsets.US_ASCII));
			buffer.position(buffer.position() + length + 4);
		}
		return chunks;
	}

	/** A PNG whose IHDR claims {@code width}×{@code height} RGB but whose data is a few bytes. */
	static byte[] pngHeaderOnly(int width, int height) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.writeBytes(new byte[] { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n' });
		out.writeBytes(pngChunk("IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8)
			.put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0).array()));
		out.writeBytes(pngChunk("IDAT", new byte[] { 0x78, (byte) 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01 }));
		out.writeBytes(pngChunk("IEND", new byte[0]));
		return out.toByteArray();
	}

	/** Inserts chunks right after IHDR (which always ends at byte 33). */
	static byte[] withPngChunks(byte[] png, byte[]... chunks) {
		byte[][] parts = new byte[chunks.length + 2][];
		parts[0] = Arrays.copyOf(png, 33);
		System.arraycopy(chunks, 0, parts, 1, chunks.length);
		parts[parts.length - 1] = Arrays.copyOfRange(png, 33, png.length);
		return concat(parts);
	}

	static byte[] pngChunk(String type, byte[] data) {
		byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
		CRC32 crc = new CRC32();
		crc.update(typeBytes);
		crc.update(data);
		return ByteBuffer.allocate(12 + data.length).putInt(data.length).put(typeBytes).put(data)
			.putInt((int) crc.getValue()).array();
	}

	/**
	 * A lossless WebP (VP8L) of one colour: no transforms, no colour cache, and single-symbol prefix
	 * codes, so every pixel costs zero bits and any size fits in a few dozen bytes (a real WebP bomb).
	 */
	static byte[] solidWebp(int width, int height, int argb, boolean alphaUsed) {
		BitWriter bits = new BitWriter();
		bits.write(0x2F, 8);
		bits.write(width - 1, 14);
		bits.write(height - 1, 14);
		bits.write(alphaUsed ? 1 : 0, 1);
		bits.write(0, 3);
		bits.write(0, 1); // no transform
		bits.write(0, 1); // no colour cache
		bits.write(0, 1); // no meta prefix codes
		int[] symbols = { (argb >> 8) & 0xFF, (argb >> 16) & 0xFF, argb & 0xFF, (argb >>> 24) & 0xFF, 0 };
		for (int symbol : symbols) {
			bits.write(1, 1); // simple code
			bits.write(0, 1); // one symbol
			bits.write(1, 1); // 8-bit symbol
			bits.write(symbol, 8);
		}
		byte[] vp8l = bits.toByteArray();
		int padded = vp8l.length + (vp8l.length & 1);
		ByteBuffer riff = ByteBuffer.allocate(20 + padded).order(java.nio.ByteOrder.LITTLE_ENDIAN);
		riff.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(12 + padded);
		riff.put("WEBPVP8L".getBytes(StandardCharsets.US_ASCII)).putInt(vp8l.length).put(vp8l);
		return riff.array();
	}

	/**
	 * A zlib stream that inflates to {@code megabytes} MiB of zeros, built in milliseconds: after a
	 * sync flush the deflater's output for each further MiB of zeros is byte-identical, so one block
	 * is repeated, then closed with an empty final block and the Adler-32 of n zeros (a = 1, b = n).
	 */
	static byte[] zlibZeros(int megabytes) {
		Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
		byte[] zeros = new byte[1 << 20];
		byte[] first = syncFlush(deflater, zeros);
		byte[] repeated = syncFlush(deflater, zeros);
		deflater.end();
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.writeBytes(first);
		for (int i = 1; i < megabytes; i++) {
			out.writeBytes(repeated);
		}
		out.writeBytes(new byte[] { 0x03, 0x00 });
		long b = ((long) megabytes << 20) % 65521;
		out.writeBytes(ByteBuffer.allocate(4).putInt((int) ((b << 16) | 1)).array());
		return out.toByteArray();
	}

	private static byte[] syncFlush(Deflater deflater, byte[] input) {
		deflater.setInput(input);
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		byte[] buffer = new byte[64 * 1024];
		int n;
		do {
			n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
			out.write(buffer, 0, n);
		}
		while (n == buffer.length);
		return out.toByteArray();
	}

	static byte[] concat(byte[]... parts) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		for (byte[] part : parts) {
			out.writeBytes(part);
		}
		return out.toByteArray();
	}

	/** Least-significant-bit-first writer, as VP8L reads. */
	private static final class BitWriter {

		private final ByteArrayOutputStream out = new ByteArrayOutputStream();

		private int current;

		private int used;

		void write(int value, int count) {
			for (int i = 0; i < count; i++) {
				this.current |= ((value >> i) & 1) << this.used;
				if (++this.used == 8) {
					this.out.write(this.current);
					this.current = 0;
					this.used = 0;
				}
			}
		}

		byte[] toByteArray() {
			if (this.used > 0) {
				this.out.write(this.current);
				this.current = 0;
				this.used = 0;
			}
			return this.out.toByteArray();
		}

	}

}
