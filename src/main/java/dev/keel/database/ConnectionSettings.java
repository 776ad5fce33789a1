package dev.keel.database;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A JDBC URL with its role and password, parsed from the forms operators use:
 * {@code postgres://user:pass@host:5432/db?sslmode=require} or {@code jdbc:postgresql://...}.
 * {@link #toString()} never shows the password.
 */
public record ConnectionSettings(String jdbcUrl, String user, String password) {

	public static ConnectionSettings parse(String url, String sslMode) {
		String u = url.trim();
		if (u.startsWith("jdbc:postgresql://")) {
			URI uri = URI.create(u.substring("jdbc:".length()));
			Map<String, String> query = query(uri.getRawQuery());
			String user = query.remove("user");
			String password = query.remove("password");
			return new ConnectionSettings(jdbc(uri, query, sslMode), user, password);
		}
		URI uri = URI.create(u);
		Map<String, String> query = query(uri.getRawQuery());
		// Credentials in the query are credentials, never part of the URL (which is logged and shown).
		String user = query.remove("user");
		String password = query.remove("password");
		if (uri.getRawUserInfo() != null) {
			String[] parts = uri.getRawUserInfo().split(":", 2);
			user = decode(parts[0]);
			password = (parts.length > 1) ? decode(parts[1]) : password;
		}
		return new ConnectionSettings(jdbc(uri, query, sslMode), user, password);
	}

	private static String jdbc(URI uri, Map<String, String> query, String sslMode) {
		if (sslMode != null && !sslMode.isBlank()) {
			query.putIfAbsent("sslmode", sslMode);
		}
		if (uri.getHost() == null) {
			throw new IllegalArgumentException("the URL has no host");
		}
		StringBuilder b = new StringBuilder("jdbc:postgresql://").append(uri.getHost());
		if (uri.getPort() > 0) {
			b.append(':').append(uri.getPort());
		}
		b.append((uri.getRawPath() == null || uri.getRawPath().isEmpty()) ? "/postgres" : uri.getRawPath());
		String sep = "?";
		for (Map.Entry<String, String> e : query.entrySet()) {
			b.append(sep).append(encode(e.getKey())).append('=').append(encode(e.getValue()));
			sep = "&";
		}
		return b.toString();
	}

	private static Map<String, String> query(String raw) {
		Map<String, String> out = new LinkedHashMap<>();
		if (raw != null && !raw.isEmpty()) {
			for (String pair : raw.split("&")) {
				String[] kv = pair.split("=", 2);
				out.put(decode(kv[0]), (kv.length > 1) ? decode(kv[1]) : "");
			}
		}
		return out;
	}

	private static String encode(String s) {
		return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
	}

	private static String decode(String s) {
		return URLDecoder.decode(s, StandardCharsets.UTF_8);
	}

	/** The database name of the URL. */
	public String database() {
		String rest = this.jdbcUrl.substring("jdbc:postgresql://".length());
		int slash = rest.indexOf('/');
		int q = rest.indexOf('?');
		return rest.substring(slash + 1, (q > slash) ? q : rest.length());
	}

	@Override
	public String toString() {
		return "ConnectionSettings[" + this.jdbcUrl + ", user=" + this.user + "]";
	}

}
