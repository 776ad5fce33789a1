package dev.keel.observability;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes secrets from log text and fields before they are written anywhere: values of keys that
 * name a password, token, secret, authorization header, cookie or API key, in {@code key=value},
 * {@code key: value} and JSON {@code "key":"value"} forms, and bearer/basic credentials.
 */
public final class Redaction {

	public static final String MASK = "[REDACTED]";

	private static final String SENSITIVE = "(?:password|passwd|secret|token|authorization|cookie|api[_-]?key|credential|private[_-]?key|session[_-]?id)";

	private static final String KEYS = "(?:[A-Za-z0-9_.-]*" + SENSITIVE + "[A-Za-z0-9_.-]*)";

	// "key": "value" (JSON)
	private static final Pattern JSON = Pattern.compile("(?i)(\"" + KEYS + "\"\\s*:\\s*)\"(?:[^\"\\\\]|\\\\.)*\"");

	// key=value or key: value (stops at whitespace, comma, semicolon, ampersand, quote or closing bracket)
	private static final Pattern PAIR = Pattern.compile("(?i)(\\b" + KEYS + "\\b\\s*[=:]\\s*)(?!\\[REDACTED\\])(?:Bearer\\s+|Basic\\s+)?[^\\s,;&\"'}\\]]+");

	// Authorization schemes wherever they appear
	private static final Pattern SCHEME = Pattern.compile("(?i)\\b(Bearer|Basic)\\s+[A-Za-z0-9._~+/=-]{8,}");

	private Redaction() {
	}

	public static String redact(String text) {
		if (text == null || text.isEmpty()) {
			return text;
		}
		String out = JSON.matcher(text).replaceAll("$1\"" + Matcher.quoteReplacement(MASK) + "\"");
		out = PAIR.matcher(out).replaceAll("$1" + Matcher.quoteReplacement(MASK));
		out = SCHEME.matcher(out).replaceAll("$1 " + Matcher.quoteReplacement(MASK));
		return out;
	}

	/** Whether a field of this name holds a secret (its whole value is then masked). */
	public static boolean isSensitiveKey(String key) {
		return key != null && key.toLowerCase(Locale.ROOT).matches(".*" + SENSITIVE + ".*");
	}

}
