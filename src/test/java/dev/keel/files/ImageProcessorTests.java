package dev.keel.files;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

import javax.imageio.ImageIO;

import com.drew.imaging.ImageMetadataReader;
import com.drew.metadata.Directory;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifIFD0Directory;
import com.drew.metadata.exif.GpsDirectory;
import com.drew.metadata.icc.IccDirectory;
import com.drew.metadata.iptc.IptcDirectory;
import com.drew.metadata.xmp.XmpDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.keel.files.TestImages.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ImageProcessorTests {

	private static final int APP0 = 0xE0;

	@TempDir
	Path dir;

	final ImageProcessor processor = new ImageProcessor();

	@ParameterizedTest(name = "orientation {0}")
	@ValueSource(ints = { 1, 2, 3, 4, 5, 6, 7, 8 })
	void turnsEveryExifOrientationUpright(int orientation) throws Exception {
		byte[] stored = withSegments(jpeg(storedFor(quadrants(64, 32), orientation)), exifSegment(orientation));

		ProcessedImage result = process(stored, ImageFormat.JPEG);

		assertThat(result.orientation()).isEqualTo(orientation);
		BufferedImage out = read(result.image());
		assertThat(out.getWidth()).isEqualTo(64);
		assertThat(out.getHeight()).isEqualTo(32);
		assertColour(out, 16, 8, TOP_LEFT);
		assertColour(out, 48, 8, TOP_RIGHT);
		assertColour(out, 16, 24, BOTTOM_LEFT);
		assertColour(out, 48, 24, BOTTOM_RIGHT);
	}

	@Test
	void stripsExifGpsXmpIptcIccAndCommentsFromJpeg() throws Exception {
		byte[] source = withSegments(jpeg(quadrants(640, 480)), exifSegment(6), xmpSegment(), iptcSegment(),
				iccSegment(), commentSegment("shot at home"));
		Metadata before = metadata(source);
		assertThat(before.getFirstDirectoryOfType(GpsDirectory.class).getGeoLocation().getLatitude()).isCloseTo(52.5166,
				within(0.001));
		assertThat(before.containsDirectoryOfType(XmpDirectory.class)).isTrue();
		assertThat(before.containsDirectoryOfType(IptcDirectory.class)).isTrue();
		assertThat(before.containsDirectoryOfType(IccDirectory.class)).isTrue();

		ProcessedImage result = process(source, ImageFormat.JPEG);

		for (ImageRendition rendition : new ImageRendition[] { result.image(), result.thumbnail() }) {
			byte[] out = Files.readAllBytes(rendition.path());
			assertThat(jpegMarkers(out)).as("segments before scan data").contains(APP0)
				.doesNotContain(0xE1, 0xE2, 0xED, 0xFE);
			Metadata after = metadata(out);
			for (Class<? extends Directory> type : Arrays.asList(ExifIFD0Directory.class, GpsDirectory.class,
					XmpDirectory.class, IptcDirectory.class, IccDirectory.class)) {
				assertThat(after.containsDirectoryOfType(type)).as(type.getSimpleName()).isFalse();
			}
			assertThat(new String(out, StandardCharsets.ISO_8859_1)).doesNotContain("Exif", "secret", "shot at home",
					"adobe", "ICC_PROFILE");
		}
	}

	@Test
	void boundsLongestSideTo2048AndMakes200PixelThumbnail() throws Exception {
		ProcessedImage result = process(jpeg(noise(4000, 3000, 1)), ImageFormat.JPEG);

		assertThat(size(result.image())).containsExactly(2048, 1536);
		assertThat(size(result.thumbnail())).containsExactly(200, 150);
		assertThat(result.sourceWidth()).isEqualTo(4000);
		assertThat(result.contentType()).isEqualTo("image/jpeg");
	}

	@Test
	void bigPhotosAreDecodedSubsampledButStillBoundedExactlyAndKeepTheirAspect() throws Exception {
		// 6000 px wide: decoded at factor 2 (3000x2000), then scaled smoothly to the 2048 px bound.
		ProcessedImage result = process(jpeg(quadrants(6000, 4000)), ImageFormat.JPEG);
		assertThat(result.sourceWidth()).isEqualTo(6000);
		assertThat(result.sourceHeight()).isEqualTo(4000);
		assertThat(result.image().width()).isEqualTo(2048);
		assertThat(result.image().height()).isEqualTo(1365);
		assertThat(new ImageDecoder(50_000_000, java.time.Duration.ofSeconds(5), 2048).subsampling(6000, 4000)).isEqualTo(2);
		assertThat(new ImageDecoder(50_000_000, java.time.Duration.ofSeconds(5), 2048).subsampling(4095, 100)).isEqualTo(1);
	}

	@Test
	void rotatedPortraitPhotoIsBoundedOnItsUprightLongSide() throws Exception {
		ProcessedImage result = process(withSegments(jpeg(noise(4000, 3000, 2)), exifSegment(6)), ImageFormat.JPEG);

		assertThat(size(result.image())).containsExactly(1536, 2048);
		assertThat(size(result.thumbnail())).containsExactly(150, 200);
	}

	@Test
	void neverEnlargesSmallImages() throws Exception {
		ProcessedImage medium = process(jpeg(quadrants(300, 200)), ImageFormat.JPEG);
		assertThat(size(medium.image())).containsExactly(300, 200);
		assertThat(medium.thumbnail().width()).isEqualTo(200);
		assertThat(medium.thumbnail().height()).isBetween(133, 134);

		ProcessedImage tiny = process(jpeg(quadrants(120, 80)), ImageFormat.JPEG);
		assertThat(size(tiny.image())).containsExactly(120, 80);
		assertThat(size(tiny.thumbnail())).containsExactly(120, 80);
	}

	@Test
	void reportsSizeAndSha256OfWhatItWrote() throws Exception {
		ProcessedImage result = process(jpeg(quadrants(300, 200)), ImageFormat.JPEG);

		for (ImageRendition rendition : new ImageRendition[] { result.image(), result.thumbnail() }) {
			byte[] written = Files.readAllBytes(rendition.path());
			assertThat(rendition.path().getParent()).isEqualTo(this.dir.resolve("out"));
			assertThat(rendition.sizeBytes()).isEqualTo(written.length);
			assertThat(rendition.sha256())
				.isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(written)));
		}
		assertThat(result.image().path().getFileName()).hasToString("image.jpg");
		assertThat(result.thumbnail().path().getFileName()).hasToString("thumbnail.jpg");
	}

	@Test
	void pngKeepsItsAlphaChannelAndLosesItsTextChunks() throws Exception {
		BufferedImage source = new BufferedImage(3000, 1000, BufferedImage.TYPE_INT_ARGB);
		for (int x = 1500; x < 3000; x++) {
			for (int y = 0; y < 1000; y++) {
				source.setRGB(x, y, 0xFF2050C0);
			}
		}
		byte[] png = png(source, "GPSPosition", "52.5 N");
		assertThat(pngChunks(png)).contains("tEXt");

		ProcessedImage result = process(png, ImageFormat.PNG);

		assertThat(result.contentType()).isEqualTo("image/png");
		assertThat(size(result.image())).containsExactly(2048, 683);
		byte[] out = Files.readAllBytes(result.image().path());
		assertThat(pngChunks(out)).doesNotContain("tEXt", "iTXt", "zTXt", "eXIf", "iCCP");
		BufferedImage image = ImageIO.read(new ByteArrayInputStream(out));
		assertThat(image.getColorModel().hasAlpha()).isTrue();
		assertThat(image.getRGB(100, 300) >>> 24).as("transparent half").isZero();
		assertThat(image.getRGB(1900, 300)).as("opaque half").isEqualTo(0xFF2050C0);
		assertThat(read(result.thumbnail()).getRGB(10, 10) >>> 24).isZero();
	}

	@Test
	void opaqueWebpIsReencodedAsJpeg() throws Exception {
		ProcessedImage result = process(solidWebp(3000, 1500, 0xFF3366CC, false), ImageFormat.WEBP);

		assertThat(result.format()).isEqualTo(ImageFormat.JPEG);
		assertThat(result.image().path().getFileName()).hasToString("image.jpg");
		assertThat(size(result.image())).containsExactly(2048, 1024);
		assertColour(read(result.image()), 1000, 500, new Color(0x3366CC));
	}

	@Test
	void transparentWebpIsReencodedAsPngWithAlpha() throws Exception {
		ProcessedImage result = process(solidWebp(400, 300, 0x80FF0000, true), ImageFormat.WEBP);

		assertThat(result.format()).isEqualTo(ImageFormat.PNG);
		assertThat(result.contentType()).isEqualTo("image/png");
		BufferedImage image = read(result.image());
		assertThat(image.getRGB(200, 150) >>> 24).isBetween(0x7F, 0x81);
		assertThat(size(result.thumbnail())).containsExactly(200, 150);
	}

	@Test
	void cmykJpegFromPhotoshopBecomesRgb() throws Exception {
		ProcessedImage result = process(adobeCmykJpeg(64, 32), ImageFormat.JPEG);

		BufferedImage out = read(result.image());
		assertColour(out, 12, 16, Color.CYAN);
		assertColour(out, 52, 16, Color.YELLOW);
	}

	@Test
	void truncatedJpegIsRejected() {
		byte[] whole = jpeg(noise(800, 600, 3));
		byte[] truncated = Arrays.copyOf(whole, whole.length / 2);

		assertRejected(truncated, ImageFormat.JPEG, "truncated JPEG data");
	}

	@Test
	void randomBytesBehindAJpegHeaderAreRejected() {
		byte[] garbage = new byte[20_000];
		new Random(4).nextBytes(garbage);
		garbage[0] = (byte) 0xFF;
		garbage[1] = (byte) 0xD8;
		garbage[2] = (byte) 0xFF;
		garbage[3] = (byte) 0xE0;

		assertRejected(garbage, ImageFormat.JPEG, "corrupt JPEG data: ");
	}

	@Test
	void contentOfAnotherFormatIsRejected() {
		assertRejected(jpeg(quadrants(40, 40)), ImageFormat.PNG, "content is not PNG data");
		assertRejected(png(quadrants(40, 40), null, null), ImageFormat.WEBP, "content is not WebP data");
	}

	@Test
	void truncatedPngIsRejected() {
		byte[] png = png(noise(600, 400, 5), null, null);

		assertRejected(Arrays.copyOf(png, png.length / 2), ImageFormat.PNG, "corrupt PNG data");
	}

	@Test
	void headerClaimingHugeDimensionsIsRejectedBeforeDecoding() {
		// Decoding any of these would need gigabytes of heap; the header check must stop them first.
		assertRejected(pngHeaderOnly(100_000, 100_000), ImageFormat.PNG, "image too large: 100000x100000");
		assertRejected(withJpegSize(jpeg(quadrants(16, 16)), 60_000, 60_000), ImageFormat.JPEG,
				"image too large: 60000x60000");
		assertRejected(solidWebp(16_384, 16_384, 0xFF000000, false), ImageFormat.WEBP, "image too large: 16384x16384");
	}

	@Test
	void truncatedWebpIsRejected() {
		byte[] webp = solidWebp(300, 200, 0xFF102030, false);

		assertRejected(Arrays.copyOf(webp, webp.length - 4), ImageFormat.WEBP, "truncated WebP data");
	}

	@Test
	void decodingThatOutlastsTheTimeoutIsAbandoned() throws Exception {
		ImageProcessor impatient = new ImageProcessor(ImageSettings.DEFAULTS.withDecodeTimeout(Duration.ofMillis(1)));
		Path source = Files.write(this.dir.resolve("slow.jpg"), jpeg(noise(4000, 3000, 6)));

		assertThatThrownBy(() -> impatient.process(source, ImageFormat.JPEG, this.dir.resolve("out")))
			.isInstanceOf(ImageRejectedException.class)
			.hasMessageStartingWith("decoding took longer than");
	}

	@Test
	void pngExifOrientationIsReadWithoutInflatingATextChunkBomb() throws Exception {
		// 2 MB of zTXt that inflates to 2049 MiB (more than any Java array can hold), then the eXIf chunk.
		byte[] bomb = pngChunk("zTXt", concat("Comment\0\0".getBytes(StandardCharsets.ISO_8859_1), zlibZeros(2049)));
		byte[] png = withPngChunks(png(storedFor(quadrants(64, 32), 6), null, null), bomb,
				pngChunk("eXIf", exifTiff(6)));

		ProcessedImage result = process(png, ImageFormat.PNG);

		assertThat(result.orientation()).isEqualTo(6);
		BufferedImage out = read(result.image());
		assertColour(out, 16, 8, TOP_LEFT);
		assertColour(out, 48, 24, BOTTOM_RIGHT);
		assertThat(pngChunks(Files.readAllBytes(result.image().path()))).doesNotContain("zTXt", "eXIf");
	}

	@Test
	void pixelLimitIsConfigurable() throws Exception {
		ImageProcessor strict = new ImageProcessor(ImageSettings.DEFAULTS.withMaxPixels(1_000_000));
		Path source = Files.write(this.dir.resolve("big.jpg"), jpeg(quadrants(1001, 1000)));

		assertThatThrownBy(() -> strict.process(source, ImageFormat.JPEG, this.dir.resolve("out")))
			.isInstanceOf(ImageRejectedException.class)
			.hasMessage("image too large: 1001x1000 (limit 1 megapixels)");
		assertThat(this.dir.resolve("out")).doesNotExist();
	}

	@Test
	void brokenExifIsIgnoredNotFatal() throws Exception {
		byte[] brokenExif = segment(0xE1, concat("Exif\0\0MM\0*".getBytes(StandardCharsets.ISO_8859_1),
				new byte[] { 0x7F, 0x7F, 0x7F, 0x7F, 1, 2, 3 }));

		ProcessedImage result = process(withSegments(jpeg(quadrants(64, 32)), brokenExif), ImageFormat.JPEG);

		assertThat(result.orientation()).isEqualTo(1);
		assertColour(read(result.image()), 16, 8, TOP_LEFT);
	}

	@Test
	void missingSourceIsAnIoProblemNotARejection() {
		assertThatThrownBy(() -> this.processor.process(this.dir.resolve("gone.jpg"), ImageFormat.JPEG, this.dir))
			.isInstanceOf(IOException.class);
	}

	private ProcessedImage process(byte[] content, ImageFormat format) throws Exception {
		Path source = Files.write(this.dir.resolve("upload." + format.extension()), content);
		return this.processor.process(source, format, this.dir.resolve("out"));
	}

	private void assertRejected(byte[] content, ImageFormat format, String reason) {
		assertThatThrownBy(() -> process(content, format)).isInstanceOf(ImageRejectedException.class)
			.satisfies(ex -> assertThat(((ImageRejectedException) ex).reason()).contains(reason));
	}

	private static Metadata metadata(byte[] bytes) throws Exception {
		return ImageMetadataReader.readMetadata(new ByteArrayInputStream(bytes), bytes.length);
	}

	private static BufferedImage read(ImageRendition rendition) throws IOException {
		return ImageIO.read(rendition.path().toFile());
	}

	private static int[] size(ImageRendition rendition) throws IOException {
		BufferedImage image = read(rendition);
		assertThat(new int[] { rendition.width(), rendition.height() }).as("reported size")
			.containsExactly(image.getWidth(), image.getHeight());
		return new int[] { image.getWidth(), image.getHeight() };
	}

	private static void assertColour(BufferedImage image, int x, int y, Color expected) {
		Color actual = new Color(image.getRGB(x, y));
		assertThat(Math.abs(actual.getRed() - expected.getRed()) + Math.abs(actual.getGreen() - expected.getGreen())
				+ Math.abs(actual.getBlue() - expected.getBlue()))
			.as("colour at %d,%d is %s, expected %s", x, y, actual, expected)
			.isLessThan(60);
	}

}
