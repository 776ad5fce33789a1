package dev.keel.files;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.List;

import com.drew.imaging.jpeg.JpegMetadataReader;
import com.drew.imaging.png.PngMetadataReader;
import com.drew.imaging.webp.WebpMetadataReader;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifIFD0Directory;
import com.drew.metadata.exif.ExifReader;

import net.coobird.thumbnailator.util.exif.ExifFilterUtils;
import net.coobird.thumbnailator.util.exif.Orientation;

/**
 * Reads the EXIF orientation tag (1–8) with metadata-extractor and turns pixels upright with
 * Thumbnailator's filters. Broken or absent EXIF means "as stored": a photo must not be rejected
 * because its camera wrote a bad maker note.
 */
final class ExifOrientation {

	static final int UPRIGHT = 1;

	private ExifOrientation() {
	}

	static int read(byte[] data, ImageFormat format) {
		try (InputStream in = new ByteArrayInputStream(data)) {
			Metadata metadata = switch (format) {
				// Only the EXIF segment is parsed; XMP, IPTC and ICC are dropped anyway.
				case JPEG -> JpegMetadataReader.readMetadata(in, List.of(new ExifReader()));
				case PNG -> PngMetadataReader.readMetadata(in);
				case WEBP -> WebpMetadataReader.readMetadata(in);
			};
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

	static BufferedImage apply(BufferedImage image, int orientation) {
		if (orientation == UPRIGHT) {
			return image;
		}
		return ExifFilterUtils.getFilterForOrientation(Orientation.typeOf(orientation)).apply(image);
	}

}
