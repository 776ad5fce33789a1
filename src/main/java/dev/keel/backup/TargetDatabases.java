package dev.keel.backup;

import java.net.URI;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;

import dev.keel.database.ConnectionSettings;

/**
 * Databases a restore writes into: scratch databases for verification ({@code keel_verify_<epochSeconds>_<random>},
 * created by the owner role on the live server — it needs {@code CREATEDB}, which the embedded owner
 * has — and always dropped), and operator-given targets, which must not be the live database and must
 * be empty.
 */
final class TargetDatabases {

	private static final SecureRandom RANDOM = new SecureRandom();

	static final String SCRATCH_PREFIX = "keel_verify_";

	/** {@code keel_verify_<epochSeconds>_<random hex>}. */
	static final java.util.regex.Pattern SCRATCH_NAME = java.util.regex.Pattern.compile("keel_verify_([0-9]{1,12})_[0-9a-f]{1,32}");

	private TargetDatabases() {
	}

	static Connection connect(ConnectionSettings s) throws SQLException {
		return DriverManager.getConnection(s.jdbcUrl(), s.user(), s.password());
	}

	/** The same server and role, another database. */
	static ConnectionSettings withDatabase(ConnectionSettings s, String database) {
		URI uri = URI.create(s.jdbcUrl().substring("jdbc:".length()));
		String query = (uri.getRawQuery() != null) ? "?" + uri.getRawQuery() : "";
		String hostPort = uri.getHost() + ((uri.getPort() > 0) ? ":" + uri.getPort() : "");
		return new ConnectionSettings("jdbc:postgresql://" + hostPort + "/" + database + query, s.user(), s.password());
	}

	static String database(ConnectionSettings s) {
		return URI.create(s.jdbcUrl().substring("jdbc:".length())).getPath().substring(1);
	}

	/** Creates an empty scratch database on the live server as the owner role; returns its name. */
	static String createScratch(ConnectionSettings owner) throws SQLException {
		// The creation time is in the name: PostgreSQL records none, and the cleanup sweeps leftovers by age.
		String name = SCRATCH_PREFIX + java.time.Instant.now().getEpochSecond() + "_" + HexFormat.of().formatHex(randomBytes());
		try (Connection c = connect(owner); Statement s = c.createStatement()) {
			s.execute("create database " + name);
		}
		return name;
	}

	private static byte[] randomBytes() {
		byte[] b = new byte[6];
		RANDOM.nextBytes(b);
		return b;
	}

	static void dropScratch(ConnectionSettings owner, String name) throws SQLException {
		if (!name.startsWith("keel_verify_")) {
			throw new IllegalArgumentException("refusing to drop " + name + ": not a scratch database");
		}
		try (Connection c = connect(owner); Statement s = c.createStatement()) {
			s.execute("drop database if exists " + name + " with (force)");
		}
	}

	/** Whether the database holds no tables, views or sequences outside the system schemas. */
	static boolean isEmpty(Connection c) throws SQLException {
		try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
				select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace
				where n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast') and n.nspname not like 'pg_temp%'
				  and n.nspname not like 'pg_toast_temp%' and c.relkind in ('r', 'p', 'v', 'm', 'S', 'f')""")) {
			rs.next();
			return rs.getLong(1) == 0;
		}
	}

}
