package dev.keel.files;

import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import dev.keel.shared.KeelProblemException.FieldProblem;
import dev.keel.storage.StorageKeys;

/**
 * An upload's file name, checked and normalised (decision 0400): path characters, control and
 * bidi-format characters and reserved device names are refused with their rule; everything else is
 * kept for display (NFC, whitespace collapsed) while storage keys get an ASCII segment derived from
 * it, so no client-chosen character ever reaches a key.
 *
 * @param display the name shown and offered on download
 * @param extension the lower-case extension without the dot
 * @param keySegment the storage key's last segment ({@link StorageKeys#isSafeSegment} holds)
 */
record FileName(String display, String extension, String keySegment) {

	static final int MAX_LENGTH = 255;

	private static final int MAX_KEY_BASE = 100;

	private static final Set<String> RESERVED = Set.of("CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5",
			"COM6", "COM7", "COM8", "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9", "CONIN$",
			"CONOUT$");

	private static final Pattern UNSAFE_KEY_CHARS = Pattern.compile("[^A-Za-z0-9._-]+");

	/**
	 * Checks {@code original}, adding one problem per failed rule to {@code problems}; returns the
	 * normalised name, or {@code null} when a rule failed.
	 */
	static FileName check(String original, List<FieldProblem> problems) {
		if (original == null || original.isBlank()) {
			problems.add(new FieldProblem("file", "name-required", "the upload must carry a file name"));
			return null;
		}
		int before = problems.size();
		// Checked before whitespace is collapsed, which would turn tabs and newlines into spaces.
		if (original.codePoints().anyMatch(FileName::controlOrFormat)) {
			problems.add(new FieldProblem("file", "name-control", "the file name must not contain control or direction-override characters"));
		}
		String name = Normalizer.normalize(original, Normalizer.Form.NFC).strip().replaceAll("\\s+", " ");
		if (name.length() > MAX_LENGTH) {
			problems.add(new FieldProblem("file", "name-length", "the file name is longer than " + MAX_LENGTH + " characters"));
		}
		if (name.contains("/") || name.contains("\\") || name.contains("..")) {
			problems.add(new FieldProblem("file", "name-path", "the file name must not contain '/', '\\' or '..'"));
		}
		int dot = name.lastIndexOf('.');
		String base = (dot >= 0) ? name.substring(0, dot) : name;
		String device = base.contains(".") ? base.substring(0, base.indexOf('.')) : base;
		if (RESERVED.contains(device.strip().toUpperCase(Locale.ROOT))) {
			problems.add(new FieldProblem("file", "name-reserved", "'" + device + "' is a reserved device name"));
		}
		if (base.isBlank()) {
			problems.add(new FieldProblem("file", "name-required", "the file name needs a name before its extension"));
		}
		String extension = (dot >= 0) ? name.substring(dot + 1).toLowerCase(Locale.ROOT) : "";
		if (FileType.byExtension(extension).isEmpty()) {
			problems.add(new FieldProblem("file", "extension-allowed",
					extension.isEmpty() ? "the file name has no extension" : "extension '." + printable(extension) + "' is not allowed"));
		}
		if (problems.size() > before) {
			return null;
		}
		return new FileName(name, extension, keySegment(base, extension));
	}

	/** An ASCII key segment: accents folded, other characters replaced by '-', length bounded. */
	static String keySegment(String base, String extension) {
		String folded = Normalizer.normalize(base, Normalizer.Form.NFD).replaceAll("\\p{M}+", "");
		String safe = UNSAFE_KEY_CHARS.matcher(folded).replaceAll("-").replaceAll("^[^A-Za-z0-9]+", "").replaceAll("[.-]+$", "");
		if (safe.length() > MAX_KEY_BASE) {
			safe = safe.substring(0, MAX_KEY_BASE).replaceAll("[.-]+$", "");
		}
		String segment = (safe.isEmpty() ? "file" : safe) + "." + extension;
		return StorageKeys.isSafeSegment(segment) ? segment : "file." + extension;
	}

	private static boolean controlOrFormat(int c) {
		int type = Character.getType(c);
		return type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
				|| type == Character.PARAGRAPH_SEPARATOR;
	}

	private static String printable(String s) {
		return s.codePoints().limit(20).filter((c) -> !controlOrFormat(c))
			.collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
	}

}
