package dev.keel.storage;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;

/**
 * The {@code Content-Disposition} value that makes a browser save a download under a given name:
 * {@code attachment; filename="<ASCII fallback>"; filename*=UTF-8''<percent-encoded name>} (RFC 6266
 * with the RFC 5987 extended parameter). Clients that understand {@code filename*} get the exact name;
 * older ones get a transliterated ASCII name that cannot break out of the quoted string or carry a
 * path.
 */
public final class AttachmentDisposition {

	static final int MAX_NAME_LENGTH = 200;

	private static final String FALLBACK_NAME = "download";

	private AttachmentDisposition() {
	}

	public static String of(String fileName) {
		String name = clean(fileName);
		return "attachment; filename=\"" + asciiFallback(name) + "\"; filename*=UTF-8''" + rfc5987(name);
	}

	/** Drops control characters and path separators, keeps the last path segment, caps the length. */
	static String clean(String fileName) {
		if (fileName == null) {
			return FALLBACK_NAME;
		}
		String last = fileName.substring(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
		StringBuilder sb = new StringBuilder();
		last.codePoints().filter((c) -> !Character.isISOControl(c) && Character.getType(c) != Character.FORMAT).forEach(sb::appendCodePoint);
		String name = sb.toString().strip();
		if (name.isEmpty() || name.equals(".") || name.equals("..")) {
			return FALLBACK_NAME;
		}
		if (name.codePointCount(0, name.length()) > MAX_NAME_LENGTH) {
			name = name.substring(0, name.offsetByCodePoints(0, MAX_NAME_LENGTH));
		}
		return name;
	}

	/**
	 * Accents are stripped ({@code Müller} → {@code Muller}); every other character outside printable
	 * ASCII, and {@code "}, {@code \} and {@code %} (which some browsers percent-decode), becomes
	 * {@code _}.
	 */
	static String asciiFallback(String name) {
		String decomposed = Normalizer.normalize(name, Normalizer.Form.NFKD);
		StringBuilder sb = new StringBuilder();
		decomposed.codePoints().forEach((c) -> {
			if (Character.getType(c) == Character.NON_SPACING_MARK) {
				return;
			}
			boolean safe = c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '%';
			sb.append(safe ? (char) c : '_');
		});
		String ascii = sb.toString().strip();
		return ascii.isEmpty() ? FALLBACK_NAME : ascii;
	}

	/** RFC 5987 {@code value-chars}: attr-chars as they are, every other UTF-8 byte as {@code %XX}. */
	static String rfc5987(String name) {
		StringBuilder sb = new StringBuilder();
		for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
			int c = b & 0xff;
			if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "!#$&+-.^_`|~".indexOf(c) >= 0) {
				sb.append((char) c);
			}
			else {
				sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16))).append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
			}
		}
		return sb.toString();
	}

}
