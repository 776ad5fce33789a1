package dev.keel.files;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import javax.imageio.ImageIO;

/** The test corpus: good and bad files, generated (the WebP pixel is a checked-in fixture). */
final class TestFiles {

	static final String EICAR = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";

	private TestFiles() {
	}

	static byte[] jpeg(int width, int height) {
		return image(width, height, "jpeg", BufferedImage.TYPE_INT_RGB);
	}

	static byte[] png(int width, int height) {
		return image(width, height, "png", BufferedImage.TYPE_INT_ARGB);
	}

	/** A 1x1 lossless (VP8L) WebP. */
	static byte[] webp() {
		try (InputStream in = TestFiles.class.getResourceAsStream("/files/pixel-lossless.webp")) {
			return in.readAllBytes();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** A minimal valid PDF: one empty page, a correct cross-reference table, ending in %%EOF. */
	static byte[] pdf() {
		String[] objects = { "<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
				"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>" };
		StringBuilder sb = new StringBuilder("%PDF-1.4\n");
		int[] offsets = new int[objects.length];
		for (int i = 0; i < objects.length; i++) {
			offsets[i] = sb.length();
			sb.append(i + 1).append(" 0 obj\n").append(objects[i]).append("\nendobj\n");
		}
		int xref = sb.length();
		sb.append("xref\n0 ").append(objects.length + 1).append("\n0000000000 65535 f \n");
		for (int offset : offsets) {
			sb.append(String.format("%010d 00000 n \n", offset));
		}
		sb.append("trailer\n<< /Size ").append(objects.length + 1).append(" /Root 1 0 R >>\nstartxref\n").append(xref).append("\n%%EOF\n");
		return sb.toString().getBytes(StandardCharsets.US_ASCII);
	}

	/** A minimal XLSX: the OOXML package parts of a one-sheet workbook. */
	static byte[] xlsx() {
		return zip(new String[][] {
				{ "[Content_Types].xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
						+ "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
						+ "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
						+ "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
						+ "<Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/></Types>" },
				{ "_rels/.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
						+ "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>" },
				{ "xl/workbook.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
						+ "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets><sheet name=\"Sheet1\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>" },
				{ "xl/_rels/workbook.xml.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
						+ "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>" },
				{ "xl/worksheets/sheet1.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
						+ "<sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>keel</t></is></c></row></sheetData></worksheet>" } }, 0);
	}

	/** An XLSX whose sheet inflates to {@code inflatedMb} MB of zeros: a ZIP bomb in a workbook's clothes. */
	static byte[] xlsxBomb(int inflatedMb) {
		return zip(new String[][] { { "[Content_Types].xml", "<Types/>" }, { "xl/workbook.xml", "<workbook/>" } }, inflatedMb);
	}

	/**
	 * A valid workbook plus {@code xl/media/hidden.bin} ({@code hiddenMb} MB of zeros, or a few bytes when
	 * 0) that only the central directory lists: four bytes of padding before its local header end the
	 * local-header chain a streaming reader follows, while the central directory (what Excel and POI
	 * read) points past them to the entry.
	 */
	static byte[] xlsxWithHiddenEntry(int hiddenMb) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (ZipOutputStream zip = new ZipOutputStream(bytes);
				java.util.zip.ZipInputStream workbook = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(xlsx()))) {
			ZipEntry e;
			while ((e = workbook.getNextEntry()) != null) {
				zip.putNextEntry(new ZipEntry(e.getName()));
				zip.write(workbook.readAllBytes());
				zip.closeEntry();
			}
			zip.putNextEntry(new ZipEntry("xl/media/hidden.bin"));
			if (hiddenMb == 0) {
				zip.write("tiny".getBytes(StandardCharsets.US_ASCII));
			}
			byte[] mb = new byte[1024 * 1024];
			for (int i = 0; i < hiddenMb; i++) {
				zip.write(mb);
			}
			zip.closeEntry();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		ByteBuffer zip = ByteBuffer.wrap(bytes.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
		int eocd = zip.capacity() - 22;
		int cd = zip.getInt(eocd + 16);
		int entries = zip.getShort(eocd + 10);
		int p = cd;
		for (int i = 0; i < entries - 1; i++) {
			p += 46 + zip.getShort(p + 28) + zip.getShort(p + 30) + zip.getShort(p + 32);
		}
		int hiddenLocal = zip.getInt(p + 42);
		zip.putInt(p + 42, hiddenLocal + 4);
		zip.putInt(eocd + 16, cd + 4);
		byte[] b = zip.array();
		return concat(Arrays.copyOfRange(b, 0, hiddenLocal), new byte[4], Arrays.copyOfRange(b, hiddenLocal, b.length));
	}

	/** A ZIP that is not a workbook (no xl/workbook.xml), named .xlsx by the tests. */
	static byte[] plainZip() {
		return zip(new String[][] { { "readme.txt", "hello" } }, 0);
	}

	static byte[] elf() {
		byte[] b = new byte[512];
		byte[] header = { 0x7F, 'E', 'L', 'F', 2, 1, 1, 0 };
		System.arraycopy(header, 0, b, 0, header.length);
		b[16] = 2;
		b[18] = 0x3E;
		return b;
	}

	static byte[] windowsExe() {
		byte[] b = new byte[512];
		b[0] = 'M';
		b[1] = 'Z';
		ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(0x3C, 0x80);
		b[0x80] = 'P';
		b[0x81] = 'E';
		return b;
	}

	/** A valid PNG with a ZIP archive appended (readable as both). */
	static byte[] pngWithZip() {
		return concat(png(8, 8), plainZip());
	}

	/** A JPEG whose comment segment carries HTML in the first kilobyte. */
	static byte[] jpegWithScript() {
		byte[] jpeg = jpeg(8, 8);
		byte[] comment = "<script>alert(document.domain)</script>".getBytes(StandardCharsets.US_ASCII);
		byte[] segment = new byte[4 + comment.length];
		segment[0] = (byte) 0xFF;
		segment[1] = (byte) 0xFE;
		segment[2] = (byte) ((comment.length + 2) >> 8);
		segment[3] = (byte) (comment.length + 2);
		System.arraycopy(comment, 0, segment, 4, comment.length);
		return concat(Arrays.copyOfRange(jpeg, 0, 2), segment, Arrays.copyOfRange(jpeg, 2, jpeg.length));
	}

	/** JPEG markers around bytes no decoder accepts. */
	static byte[] corruptJpeg() {
		byte[] junk = new byte[4096];
		new java.util.Random(7).nextBytes(junk);
		for (int i = 0; i < junk.length; i++) {
			if (junk[i] == (byte) 0xFF) {
				junk[i] = 0x00;
			}
		}
		byte[] head = { (byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xDB, 0x00, 0x03, 0x00 };
		return concat(head, junk, new byte[] { (byte) 0xFF, (byte) 0xD9 });
	}

	/** A JPEG photo with an EXIF segment: orientation 6 (rotate 90°) and a GPS position. */
	static byte[] jpegWithExif(int width, int height) {
		ByteBuffer tiff = ByteBuffer.allocate(128).order(ByteOrder.BIG_ENDIAN);
		tiff.put(new byte[] { 'M', 'M', 0, 42 }).putInt(8);
		tiff.putShort((short) 2);
		tiff.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) 6).putShort((short) 0);
		tiff.putShort((short) 0x8825).putShort((short) 4).putInt(1).putInt(38);
		tiff.putInt(0);
		tiff.putShort((short) 2);
		tiff.putShort((short) 0x0001).putShort((short) 2).putInt(2).put(new byte[] { 'N', 0, 0, 0 });
		tiff.putShort((short) 0x0003).putShort((short) 2).putInt(2).put(new byte[] { 'E', 0, 0, 0 });
		tiff.putInt(0);
		byte[] tiffBytes = Arrays.copyOf(tiff.array(), tiff.position());
		byte[] exif = concat("Exif\0\0".getBytes(StandardCharsets.US_ASCII), tiffBytes);
		byte[] app1 = concat(new byte[] { (byte) 0xFF, (byte) 0xE1, (byte) ((exif.length + 2) >> 8), (byte) (exif.length + 2) }, exif);
		byte[] jpeg = jpeg(width, height);
		return concat(Arrays.copyOfRange(jpeg, 0, 2), app1, Arrays.copyOfRange(jpeg, 2, jpeg.length));
	}

	/** {@code size} bytes that sniff as PNG (a signature, then zeros): for size limits, never decoded. */
	static byte[] pngSized(int size) {
		byte[] b = new byte[size];
		byte[] sig = { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R' };
		System.arraycopy(sig, 0, b, 0, sig.length);
		return b;
	}

	static byte[] concat(byte[]... parts) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		for (byte[] p : parts) {
			out.writeBytes(p);
		}
		return out.toByteArray();
	}

	private static byte[] image(int width, int height, String format, int type) {
		BufferedImage image = new BufferedImage(width, height, type);
		Graphics2D g = image.createGraphics();
		g.setColor(new Color(30, 120, 200));
		g.fillRect(0, 0, width, height);
		g.setColor(Color.ORANGE);
		g.fillOval(width / 4, height / 4, width / 2, height / 2);
		g.dispose();
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try {
			ImageIO.write(image, format, out);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return out.toByteArray();
	}

	private static byte[] zip(String[][] entries, int zerosMb) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
			for (String[] e : entries) {
				zip.putNextEntry(new ZipEntry(e[0]));
				zip.write(e[1].getBytes(StandardCharsets.UTF_8));
				zip.closeEntry();
			}
			if (zerosMb > 0) {
				zip.putNextEntry(new ZipEntry("xl/worksheets/sheet1.xml"));
				byte[] mb = new byte[1024 * 1024];
				for (int i = 0; i < zerosMb; i++) {
					zip.write(mb);
				}
				zip.closeEntry();
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return bytes.toByteArray();
	}

}
