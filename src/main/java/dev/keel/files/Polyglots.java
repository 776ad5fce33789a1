package dev.keel.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Finds files that are valid in two formats at once (decision 0400): data after the format's own end
 * (PNG {@code IEND}, JPEG {@code EOI}, the RIFF length of WebP, PDF {@code %%EOF}), a ZIP archive
 * readable from the end (a ZIP end record whose comment reaches exactly the end of the file: how
 * GIFAR/JAR-style polyglots are read), and HTML or script markup in the first kilobyte (where
 * browsers sniff). Returns a message, or {@code null} when none was found.
 */
final class Polyglots {

	static final int HEAD = 1024;

	/** The ZIP end record (22 bytes) plus the longest comment it can carry. */
	static final int TAIL = 22 + 0xFFFF;

	private static final byte[] PNG_IEND = { 0, 0, 0, 0, 'I', 'E', 'N', 'D', (byte) 0xAE, 0x42, 0x60, (byte) 0x82 };

	private static final List<String> MARKUP = List.of("<html", "<script", "<!doctype html", "<svg", "<?php", "<iframe", "<body",
			"<?xml-stylesheet");

	private Polyglots() {
	}

	/** {@code head}: the first bytes (up to {@link #HEAD}); {@code tail}: the last bytes (up to {@link #TAIL}). */
	static String find(FileType type, byte[] head, byte[] tail, long size) {
		String text = new String(head, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
		for (String marker : MARKUP) {
			if (text.contains(marker)) {
				return "the file carries '" + marker + "' markup in its first kilobyte";
			}
		}
		if (type != FileType.XLSX && zipEndRecordAtEnd(tail)) {
			return "a ZIP archive is appended to the " + type.name() + " data";
		}
		return switch (type) {
			case PNG -> endsWith(tail, PNG_IEND) ? null : "data follows the PNG end chunk (IEND)";
			case JPEG -> jpegEnds(tail) ? null : "data follows the JPEG end marker (EOI)";
			case WEBP -> riffLength(head) == size ? null : "the WebP RIFF length does not match the file length";
			case PDF -> pdfEnds(tail) ? null : "data follows the last PDF end marker (%%EOF)";
			case XLSX -> null;
		};
	}

	/** Reads the head and tail of {@code size} bytes of content (two opens of the same stored upload). */
	static byte[] readHead(InputStream in) throws IOException {
		return in.readNBytes(HEAD);
	}

	static byte[] readTail(InputStream in, long size) throws IOException {
		long skip = Math.max(0, size - TAIL);
		in.skipNBytes(skip);
		return in.readNBytes(TAIL);
	}

	private static boolean zipEndRecordAtEnd(byte[] tail) {
		for (int p = tail.length - 22; p >= 0; p--) {
			if (tail[p] == 'P' && tail[p + 1] == 'K' && tail[p + 2] == 5 && tail[p + 3] == 6) {
				int commentLength = (tail[p + 20] & 0xFF) | ((tail[p + 21] & 0xFF) << 8);
				if (p + 22 + commentLength == tail.length) {
					return true;
				}
			}
		}
		return false;
	}

	private static boolean endsWith(byte[] data, byte[] suffix) {
		if (data.length < suffix.length) {
			return false;
		}
		for (int i = 0; i < suffix.length; i++) {
			if (data[data.length - suffix.length + i] != suffix[i]) {
				return false;
			}
		}
		return true;
	}

	/** EOI last, allowing the zero padding some encoders write after it. */
	private static boolean jpegEnds(byte[] tail) {
		int end = tail.length;
		while (end > 0 && tail[end - 1] == 0) {
			end--;
		}
		return end >= 2 && tail[end - 2] == (byte) 0xFF && tail[end - 1] == (byte) 0xD9;
	}

	private static long riffLength(byte[] head) {
		if (head.length < 12) {
			return -1;
		}
		long declared = (head[4] & 0xFFL) | ((head[5] & 0xFFL) << 8) | ((head[6] & 0xFFL) << 16) | ((head[7] & 0xFFL) << 24);
		return declared + 8;
	}

	/** The last {@code %%EOF} sits in the final kilobyte, followed only by whitespace. */
	private static boolean pdfEnds(byte[] tail) {
		String text = new String(tail, Math.max(0, tail.length - 1024), Math.min(1024, tail.length), StandardCharsets.ISO_8859_1);
		int eof = text.lastIndexOf("%%EOF");
		return eof >= 0 && text.substring(eof + 5).replaceAll("[\\s\\x00]", "").isEmpty();
	}

}
