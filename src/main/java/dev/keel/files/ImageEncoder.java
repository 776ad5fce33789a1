package dev.keel.files;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

import dev.keel.storage.Digests;

/**
 * Encodes pixels into a fresh JPEG or PNG file. Metadata is passed as {@code null}, so the writers emit
 * only what the format needs (JPEG: a JFIF header; PNG: IHDR, IDAT, IEND): no EXIF, GPS, XMP, IPTC,
 * ICC profile or comment from the source can survive.
 */
final class ImageEncoder {

	private final float jpegQuality;

	ImageEncoder(float jpegQuality) {
		this.jpegQuality = jpegQuality;
	}

	ImageRendition write(BufferedImage image, ImageFormat format, Path target) throws IOException {
		byte[] bytes = encode(image, format);
		Files.write(target, bytes);
		return new ImageRendition(target, format.contentType(), image.getWidth(), image.getHeight(), bytes.length,
				Digests.hex(Digests.sha256().digest(bytes)));
	}

	byte[] encode(BufferedImage image, ImageFormat format) throws IOException {
		ImageWriter writer = writerFor(format);
		ByteArrayOutputStream buffer = new ByteArrayOutputStream(64 * 1024);
		try (ImageOutputStream out = new MemoryCacheImageOutputStream(buffer)) {
			writer.setOutput(out);
			ImageWriteParam param = writer.getDefaultWriteParam();
			if (format == ImageFormat.JPEG) {
				param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
				param.setCompressionQuality(this.jpegQuality);
			}
			writer.write(null, new IIOImage(image, null, null), param);
		}
		finally {
			writer.dispose();
		}
		return buffer.toByteArray();
	}

	private static ImageWriter writerFor(ImageFormat format) {
		if (format == ImageFormat.WEBP) {
			throw new IllegalArgumentException("WebP is decoded only; see decision 0401");
		}
		Iterator<ImageWriter> writers = ImageIO.getImageWritersByMIMEType(format.contentType());
		if (!writers.hasNext()) {
			throw new IllegalStateException("no ImageIO writer for " + format.contentType());
		}
		return writers.next();
	}

}
