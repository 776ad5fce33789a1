package dev.keel.storage;

import java.util.regex.Pattern;

/**
 * The only keys Keel stores under: {@code /}-separated segments of ASCII letters, digits, {@code .},
 * {@code _}, {@code -} and {@code =}, each starting with a letter or digit (so no {@code ..}, no hidden
 * names, no absolute paths, no backslashes or control characters), at most 1,024 characters.
 * Callers build keys from ids and normalised names with {@link #of}; a segment that is not already
 * safe is rejected, never silently rewritten, so two inputs can never map to one key.
 */
public final class StorageKeys {

	public static final int MAX_LENGTH = 1024;

	private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._=-]{0,254}");

	private StorageKeys() {
	}

	/** Joins validated segments into a key, e.g. {@code of("backups", "full", "2026", "x.keel")}. */
	public static String of(String... segments) {
		if (segments.length == 0) {
			throw new InvalidStorageKeyException("a key needs at least one segment");
		}
		String key = String.join("/", segments);
		requireKey(key);
		return key;
	}

	/** Throws {@link InvalidStorageKeyException} unless {@code key} is a valid object key. */
	public static String requireKey(String key) {
		if (key == null || key.isEmpty() || key.length() > MAX_LENGTH) {
			throw new InvalidStorageKeyException("storage key must have 1 to " + MAX_LENGTH + " characters");
		}
		for (String segment : key.split("/", -1)) {
			if (!SEGMENT.matcher(segment).matches()) {
				throw new InvalidStorageKeyException("storage key segment is not allowed: " + printable(segment));
			}
		}
		return key;
	}

	/**
	 * Throws unless {@code prefix} is empty (everything), a valid key, or a valid key followed by
	 * {@code /}.
	 */
	public static String requirePrefix(String prefix) {
		if (prefix == null) {
			throw new InvalidStorageKeyException("prefix must not be null");
		}
		if (prefix.isEmpty()) {
			return prefix;
		}
		requireKey(prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix);
		return prefix;
	}

	/** Whether {@code segment} could be one segment of a key (for callers that normalise names). */
	public static boolean isSafeSegment(String segment) {
		return segment != null && SEGMENT.matcher(segment).matches();
	}

	private static String printable(String segment) {
		StringBuilder sb = new StringBuilder("\"");
		segment.codePoints().limit(80).forEach((c) -> {
			if (c < 0x20 || c == 0x7f) {
				sb.append(String.format("\\u%04x", c));
			}
			else {
				sb.appendCodePoint(c);
			}
		});
		return sb.append('"').toString();
	}

}
