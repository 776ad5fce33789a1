package dev.keel.runtime;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The rules settings are checked against; each failure message names the rule that failed. */
final class Rules {

	private static final Pattern DURATION = Pattern.compile("(?i)^(\\d+)\\s*(ms|s|m|h|d)?$");

	private static final Pattern SIZE = Pattern.compile("(?i)^(\\d+)\\s*(b|kb|mb|gb)?$");

	private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");

	private Rules() {
	}

	static Setting.Rule text() {
		return (v) -> v;
	}

	static Setting.Rule integer(long min, long max) {
		return (v) -> {
			long n;
			try {
				n = Long.parseLong(v.trim());
			}
			catch (NumberFormatException ex) {
				throw new IllegalArgumentException("must be a whole number");
			}
			if (n < min || n > max) {
				throw new IllegalArgumentException("must be between " + min + " and " + max);
			}
			return Long.toString(n);
		};
	}

	static Setting.Rule bool() {
		return (v) -> switch (v.trim().toLowerCase(Locale.ROOT)) {
			case "true", "1", "yes", "on" -> "true";
			case "false", "0", "no", "off" -> "false";
			default -> throw new IllegalArgumentException("must be true or false");
		};
	}

	static Setting.Rule oneOf(String... values) {
		List<String> allowed = Arrays.asList(values);
		return (v) -> {
			String n = v.trim().toLowerCase(Locale.ROOT);
			if (!allowed.contains(n)) {
				throw new IllegalArgumentException("must be one of " + String.join(", ", allowed));
			}
			return n;
		};
	}

	/** A duration: a bare number is read in {@code bareUnit}; suffixes ms, s, m, h, d are accepted. */
	static Setting.Rule duration(String bareUnit, long minMillis, long maxMillis) {
		return (v) -> {
			Matcher m = DURATION.matcher(v.trim());
			if (!m.matches()) {
				throw new IllegalArgumentException("must be a duration such as 30s, 15m, 2h (a bare number is in " + bareUnit + ")");
			}
			long amount = Long.parseLong(m.group(1));
			String unit = (m.group(2) != null) ? m.group(2).toLowerCase(Locale.ROOT) : bareUnit;
			long millis = switch (unit) {
				case "ms" -> amount;
				case "s" -> amount * 1_000L;
				case "m" -> amount * 60_000L;
				case "h" -> amount * 3_600_000L;
				default -> amount * 86_400_000L;
			};
			if (millis < minMillis || millis > maxMillis) {
				throw new IllegalArgumentException("must be between " + minMillis + " ms and " + maxMillis + " ms");
			}
			return millis + "ms";
		};
	}

	/** A byte size such as 10mb or 512kb; a bare number is bytes. */
	static Setting.Rule size(long minBytes, long maxBytes) {
		return (v) -> {
			Matcher m = SIZE.matcher(v.trim());
			if (!m.matches()) {
				throw new IllegalArgumentException("must be a size such as 512kb or 10mb");
			}
			long amount = Long.parseLong(m.group(1));
			String unit = (m.group(2) != null) ? m.group(2).toLowerCase(Locale.ROOT) : "b";
			long bytes = switch (unit) {
				case "kb" -> amount * 1024L;
				case "mb" -> amount * 1024L * 1024L;
				case "gb" -> amount * 1024L * 1024L * 1024L;
				default -> amount;
			};
			if (bytes < minBytes || bytes > maxBytes) {
				throw new IllegalArgumentException("must be between " + minBytes + " and " + maxBytes + " bytes");
			}
			return bytes + "B";
		};
	}

	static Setting.Rule url(String... schemes) {
		List<String> allowed = Arrays.asList(schemes);
		return (v) -> {
			URI uri;
			try {
				uri = URI.create(v.trim());
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException("must be a valid URL");
			}
			if (uri.getScheme() == null || !allowed.contains(uri.getScheme().toLowerCase(Locale.ROOT))) {
				throw new IllegalArgumentException("must be a URL with scheme " + String.join(" or ", allowed));
			}
			return v.trim();
		};
	}

	static Setting.Rule postgresUrl() {
		return (v) -> {
			String t = v.trim();
			if (!(t.startsWith("postgres://") || t.startsWith("postgresql://") || t.startsWith("jdbc:postgresql://"))) {
				throw new IllegalArgumentException("must start with postgres://, postgresql:// or jdbc:postgresql://");
			}
			return t;
		};
	}

	static Setting.Rule email() {
		return (v) -> {
			if (!EMAIL.matcher(v.trim()).matches()) {
				throw new IllegalArgumentException("must be an email address");
			}
			return v.trim();
		};
	}

	static Setting.Rule emails() {
		return (v) -> Arrays.stream(v.split(",")).map(String::trim).filter((s) -> !s.isEmpty())
			.map((s) -> email().apply(s)).collect(Collectors.joining(","));
	}

	/** Comma-separated CORS origins: {@code *} or absolute http(s) origins without a path. */
	static Setting.Rule origins() {
		return (v) -> Arrays.stream(v.split(",")).map(String::trim).filter((s) -> !s.isEmpty()).map((o) -> {
			if (o.equals("*")) {
				return o;
			}
			URI uri;
			try {
				uri = URI.create(o);
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException("'" + o + "' is not a valid origin");
			}
			if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
					|| uri.getHost() == null || (uri.getPath() != null && !uri.getPath().isEmpty() && !uri.getPath().equals("/"))) {
				throw new IllegalArgumentException("'" + o + "' must be an origin like https://app.example.com (scheme, host, optional port)");
			}
			return o.endsWith("/") ? o.substring(0, o.length() - 1) : o;
		}).collect(Collectors.joining(","));
	}

	static Setting.Rule cron() {
		return (v) -> {
			String[] fields = v.trim().split("\\s+");
			if (fields.length != 5 && fields.length != 6) {
				throw new IllegalArgumentException("must be a cron expression with 5 fields (minute hour day month weekday) or 6 (with seconds)");
			}
			String six = (fields.length == 5) ? "0 " + v.trim() : v.trim();
			try {
				org.springframework.scheduling.support.CronExpression.parse(six);
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException("is not a valid cron expression: " + ex.getMessage());
			}
			return six;
		};
	}

	static Setting.Rule logLevel() {
		return (v) -> {
			String n = v.trim().toUpperCase(Locale.ROOT);
			return switch (n) {
				case "TRACE", "DEBUG", "INFO", "WARN", "ERROR" -> n;
				case "FATAL" -> "ERROR";
				case "WARNING" -> "WARN";
				default -> throw new IllegalArgumentException("must be one of trace, debug, info, warn, error");
			};
		};
	}

}
