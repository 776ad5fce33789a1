package dev.keel.backup;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.keel.database.ConnectionSettings;
import dev.keel.database.DatabaseEndpoints;
import dev.keel.database.DatabaseProperties;
import dev.keel.shared.KeelProblemException;
import dev.keel.shared.KeelProblemException.FieldProblem;

/**
 * The {@code targetUrl} of a full restore, checked before a byte is written:
 * <ul>
 * <li>only the query parameters in {@link #ALLOWED_PARAMETERS} (400 rule {@code parameter}) — no
 * {@code PGHOST}/{@code PGDBNAME} overrides, no driver options;</li>
 * <li>no {@code sslmode} weaker than the live connection's (400 rule {@code sslmode}); none given
 * means the live one;</li>
 * <li>the owner's credentials are filled in only when host and port are the owner endpoint's;
 * another server needs {@code user:password} in the URL (400 rule {@code credentials}) — the live
 * password is never sent elsewhere;</li>
 * <li>connection errors come back generic ("cannot connect to the target database host:port/db"),
 * never with the driver's message;</li>
 * <li>the target is not the live database, decided by the server, not the URL text: the live
 * connection holds a random advisory lock, and the target looks for it in {@code pg_locks} within
 * its {@code current_database()}. Advisory locks are keyed by database OID and {@code pg_locks} is
 * readable by every role, so this works for a plain owner role, whatever alias, IP form or port
 * forwarding names the server (409 rule {@code live-database});</li>
 * <li>the target holds nothing (409 rule {@code empty}).</li>
 * </ul>
 */
@Component
class RestoreTargets {

	static final Set<String> ALLOWED_PARAMETERS = Set.of("sslmode", "user", "password", "ApplicationName", "connectTimeout");

	private static final List<String> SSL_STRENGTH = List.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");

	private static final Logger log = LoggerFactory.getLogger(RestoreTargets.class);

	private static final SecureRandom RANDOM = new SecureRandom();

	private final DatabaseEndpoints endpoints;

	private final DatabaseProperties databaseProperties;

	RestoreTargets(DatabaseEndpoints endpoints, DatabaseProperties databaseProperties) {
		this.endpoints = endpoints;
		this.databaseProperties = databaseProperties;
	}

	/** The checked target with credentials; throws a problem naming the rule otherwise. */
	ConnectionSettings check(String targetUrl) {
		if (targetUrl == null || targetUrl.isBlank()) {
			throw BackupManagement.invalid("targetUrl", "required", "a full restore needs targetUrl: a new, empty database");
		}
		String liveSsl = sslMode(this.endpoints.owner());
		ConnectionSettings target;
		try {
			String raw = targetUrl.trim();
			URI uri = URI.create(raw.startsWith("jdbc:") ? raw.substring("jdbc:".length()) : raw);
			if (!"postgres".equals(uri.getScheme()) && !"postgresql".equals(uri.getScheme())) {
				throw new IllegalArgumentException("scheme");
			}
			for (String key : parameterNames(uri.getRawQuery())) {
				if (!ALLOWED_PARAMETERS.contains(key)) {
					throw BackupManagement.invalid("targetUrl", "parameter",
							"targetUrl may carry only the query parameters " + ALLOWED_PARAMETERS.stream().sorted().toList());
				}
			}
			target = ConnectionSettings.parse(raw, (liveSsl != null) ? liveSsl : this.databaseProperties.sslMode());
			URI parsed = uri(target);
			if (parsed.getHost() == null || parsed.getPath() == null || !parsed.getPath().matches("/[^/]+")) {
				throw new IllegalArgumentException("host or database");
			}
		}
		catch (KeelProblemException ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			throw BackupManagement.invalid("targetUrl", "url", "targetUrl is not a PostgreSQL URL (postgres://… or jdbc:postgresql://…)");
		}
		String targetSsl = sslMode(target);
		if (strength(targetSsl) < strength(liveSsl)) {
			throw BackupManagement.invalid("targetUrl", "sslmode", "targetUrl's sslmode " + targetSsl
					+ " is weaker than the live connection's " + liveSsl);
		}
		if (target.user() == null) {
			if (!hostPort(target).equals(hostPort(this.endpoints.owner()))) {
				throw BackupManagement.invalid("targetUrl", "credentials", "targetUrl points at another server than the live owner's: "
						+ "put user:password in it (the live credentials are only used on the live server)");
			}
			target = new ConnectionSettings(target.jdbcUrl(), this.endpoints.owner().user(), this.endpoints.owner().password());
		}
		String identity = identity(target);
		try (Connection live = TargetDatabases.connect(this.endpoints.owner()); Connection c = connectTarget(target, identity)) {
			if (isSameDatabase(live, c)) {
				throw refused("live-database", "targetUrl points at the live database (" + identity
						+ "); restore into a new database and switch over");
			}
			if (!TargetDatabases.isEmpty(c)) {
				throw refused("empty", "the target database " + identity + " is not empty; create a new database for the restore");
			}
		}
		catch (SQLException ex) {
			// Nothing has been written yet: a clear, retryable answer instead of the restore's 500.
			throw new KeelProblemException(dev.keel.shared.ProblemType.SERVICE_UNAVAILABLE,
					"the live database cannot be reached to compare it with the restore target; nothing was changed, try again");
		}
		return target;
	}

	private static Connection connectTarget(ConnectionSettings target, String identity) {
		try {
			return TargetDatabases.connect(target);
		}
		catch (SQLException ex) {
			// The driver's message can describe the network (port scans) — the client gets none of it.
			log.warn("Restore target {} unreachable (SQLState {})", identity, ex.getSQLState());
			throw refused("reachable", "cannot connect to the target database " + identity);
		}
	}

	/** Whether {@code target} is the same server and database as {@code live} (see the class comment). */
	static boolean isSameDatabase(Connection live, Connection target) throws SQLException {
		long key = RANDOM.nextLong();
		int hi = (int) (key >>> 32);
		int lo = (int) key;
		try (PreparedStatement lock = live.prepareStatement("select pg_advisory_lock(?, ?)")) {
			lock.setInt(1, hi);
			lock.setInt(2, lo);
			lock.execute();
		}
		try (PreparedStatement seen = target.prepareStatement("""
				select exists (select 1 from pg_locks where locktype = 'advisory' and classid = (?::int)::oid
				  and objid = (?::int)::oid and objsubid = 2
				  and database = (select oid from pg_database where datname = current_database()))""")) {
			seen.setInt(1, hi);
			seen.setInt(2, lo);
			try (ResultSet rs = seen.executeQuery()) {
				rs.next();
				return rs.getBoolean(1);
			}
		}
		finally {
			try (PreparedStatement unlock = live.prepareStatement("select pg_advisory_unlock(?, ?)")) {
				unlock.setInt(1, hi);
				unlock.setInt(2, lo);
				unlock.execute();
			}
		}
	}

	/** host:port/database, for messages (no credentials, no parameters). */
	static String identity(ConnectionSettings s) {
		return hostPort(s) + "/" + uri(s).getPath().substring(1);
	}

	private static String hostPort(ConnectionSettings s) {
		URI uri = uri(s);
		String host = Objects.requireNonNullElse(uri.getHost(), "localhost").toLowerCase(Locale.ROOT);
		if (host.endsWith(".")) {
			host = host.substring(0, host.length() - 1);
		}
		if (host.equals("localhost") || host.equals("::1") || host.equals("[::1]")) {
			host = "127.0.0.1";
		}
		return host + ":" + ((uri.getPort() > 0) ? uri.getPort() : 5432);
	}

	private static URI uri(ConnectionSettings s) {
		return URI.create(s.jdbcUrl().substring("jdbc:".length()));
	}

	private static String sslMode(ConnectionSettings s) {
		Map<String, String> q = new java.util.HashMap<>();
		String raw = uri(s).getRawQuery();
		if (raw != null) {
			for (String pair : raw.split("&")) {
				String[] kv = pair.split("=", 2);
				q.put(decode(kv[0]), (kv.length > 1) ? decode(kv[1]) : "");
			}
		}
		return q.get("sslmode");
	}

	/** Weakest first; unknown values count as the weakest, no sslmode as libpq's default {@code prefer}. */
	private static int strength(String sslMode) {
		return (sslMode == null) ? SSL_STRENGTH.indexOf("prefer") : SSL_STRENGTH.indexOf(sslMode.toLowerCase(Locale.ROOT));
	}

	private static List<String> parameterNames(String rawQuery) {
		if (rawQuery == null || rawQuery.isEmpty()) {
			return List.of();
		}
		return java.util.Arrays.stream(rawQuery.split("&")).map((p) -> decode(p.split("=", 2)[0])).toList();
	}

	private static String decode(String s) {
		return URLDecoder.decode(s, StandardCharsets.UTF_8);
	}

	/**
	 * {@code ex} with every known secret (live passwords, the target URL and its password) replaced by
	 * {@code ***} in its messages and causes' — for the ERROR log line of a failed restore.
	 */
	Throwable redacted(Throwable ex, String targetUrl) {
		List<String> secrets = new java.util.ArrayList<>();
		secrets.add(this.endpoints.owner().password());
		secrets.add(this.endpoints.app().password());
		if (targetUrl != null && !targetUrl.isBlank()) {
			secrets.add(targetUrl.trim());
			try {
				secrets.add(ConnectionSettings.parse(targetUrl.trim(), null).password());
			}
			catch (RuntimeException ignored) {
				// unparsable: the whole URL is already in the list
			}
		}
		return redact(ex, secrets.stream().filter((x) -> x != null && !x.isEmpty()).toList(), 0);
	}

	private static Throwable redact(Throwable ex, List<String> secrets, int depth) {
		String message = Objects.toString(ex.getMessage(), "");
		for (String secret : secrets) {
			message = message.replace(secret, "***");
		}
		RuntimeException copy = new RuntimeException(ex.getClass().getName() + ": " + message,
				(ex.getCause() != null && depth < 10) ? redact(ex.getCause(), secrets, depth + 1) : null);
		copy.setStackTrace(ex.getStackTrace());
		return copy;
	}

	static KeelProblemException refused(String rule, String message) {
		return new KeelProblemException(BackupProblems.TARGET_REFUSED, message, List.of(new FieldProblem("targetUrl", rule, message)));
	}

}
