package dev.keel.files;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import com.drew.imaging.jpeg.JpegMetadataReader;
import com.drew.lang.ByteArrayReader;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifIFD0Directory;
import com.drew.metadata.exif.ExifReader;

import net.coobird.thumbnailator.util.exif.ExifFilterUtils;
import net.coobird.thumbnailator.util.exif.Orientation;

/**
 * Reads the EXIF orientation tag (1–8) with metadata-extractor (JPEG APP1, PNG eXIf, WebP EXIF) and
 * turns pixels upright with Thumbnailator's filters. Broken or absent EXIF means "as stored": a photo
 * must not be rejected because its camera wrote a bad maker note.
 */
final class ExifOrientation {

	static final int UPRIGHT = 1;

	private ExifOrientation() {
	}

	static int read(byte[] data, ImageFormat format) {
		try {
			Metadata metadata = new Metadata();
			switch (format) {
				// Only APP1 segments are parsed as EXIF; XMP, IPTC and ICC are dropped anyway.
				case JPEG -> JpegMetadataReader.process(metadata, new ByteArrayInputStream(data), List.of(new ExifReader()));
				case PNG -> extractExif(pngChunk(data, "eXIf"), metadata);
				case WEBP -> extractExif(riffChunk(data, "EXIF"), metadata);
			}
			for (ExifIFD0Directory directory : metadata.getDirectoriesOfType(ExifIFD0Directory.class)) {
				Integer value = directory.getInteger(ExifIFD0Directory.TAG_ORIENTATION);
				if (value != null && value >= 1 && value <= 8) {
					return value;
				}
			}
			return UPRIGHT;
		}
		catch (Exception | StackOverflowError ex) {
			return UPRIGHT;
		}
	}

	private static void extractExif(byte[] tiff, Metadata metadata) {
		if (tiff == null) {
			return;
		}
		// Some writers keep the JPEG APP1 preamble in the chunk.
		int offset = tiff.length > 6 && new String(tiff, 0, 6, StandardCharsets.ISO_8859_1).equals("Exif\0\0") ? 6 : 0;
		new ExifReader().extract(new ByteArrayReader(tiff, offset), metadata);
	}

	/**
	 * The chunks are found by hand rather than with metadata-extractor's PNG and WebP readers, which
	 * inflate every compressed text chunk: a 2 MB zTXt chunk expands to gigabytes.
	 */
	private static byte[] pngChunk(byte[] png, String type) {
		ByteBuffer buffer = ByteBuffer.wrap(png);
		int position = 8;
		while (position + 12 <= png.length) {
			long length = Integer.toUnsignedLong(buffer.getInt(position));
			String chunkType = new String(png, position + 4, 4, StandardCharsets.ISO_8859_1);
			if (position + 12 + length > png.length) {
				return null;
			}
			if (chunkType.equals(type)) {
				return Arrays.copyOfRange(png, position + 8, position + 8 + (int) length);
			}
			position += 12 + (int) length;
		}
		return null;
	}

	private static byte[] riffChunk(byte[] riff, String fourcc) {
		ByteBuffer buffer = ByteBuffer.wrap(riff).order(ByteOrder.LITTLE_ENDIAN);
		int position = 12;
		while (position + 8 <= riff.length) {
			long length = Integer.toUnsignedLong(buffer.getInt(position + 4));
			if (position + 8 + length > riff.length) {
				return null;
			}
			if (new String(riff, position, 4, StandardCharsets.ISO_8859_1).equals(fourcc)) {
				return Arrays.copyOfRange(riff, position + 8, position + 8 + (int) length);
			}
			position += 8 + (int) length + (int) (length & 1);
		}
		return null;
	}

	static BufferedImage apply(BufferedImage image, int orientation) {
		if (orientation == UPRIGHT) {
			return image;
		}
		return ExifFilterUtils.getFilterForOrientation(Orientation.typeOf(orientation)).apply(image);
	}

}
