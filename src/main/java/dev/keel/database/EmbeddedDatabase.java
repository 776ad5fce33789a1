package dev.keel.database;

import java.io.File;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The embedded PostgreSQL 17 used when no {@code DATABASE_URL} is given. Its data directory survives
 * restarts. It creates the same two roles an operator would: {@code keel_owner}, which owns the schema
 * and runs migrations, and {@code keel_app} ({@code NOSUPERUSER NOBYPASSRLS}, owning nothing), which
 * the application connects as. One server per data directory per JVM.
 */
public final class EmbeddedDatabase {

	public static final String DATABASE = "keel";

	public static final String OWNER_ROLE = "keel_owner";

	public static final String APP_ROLE = "keel_app";

	private static final Map<String, EmbeddedDatabase> RUNNING = new ConcurrentHashMap<>();

	private final EmbeddedPostgres postgres;

	private final long startMillis;

	private EmbeddedDatabase(EmbeddedPostgres postgres, long startMillis) {
		this.postgres = postgres;
		this.startMillis = startMillis;
	}

	/** Starts (or returns the already running) server for {@code dir}, creating roles and database on first use. */
	public static EmbeddedDatabase start(String dir, boolean clean) {
		File directory = new File(dir).getAbsoluteFile();
		return RUNNING.computeIfAbsent(directory.getPath(), (key) -> {
			long t0 = System.currentTimeMillis();
			try {
				if (clean) {
					// initdb refuses a non-empty directory; "clean" means a fresh cluster for this JVM.
					org.springframework.util.FileSystemUtils.deleteRecursively(directory);
				}
				directory.getParentFile().mkdirs();
				EmbeddedPostgres pg = EmbeddedPostgres.builder()
					.setDataDirectory(directory)
					.setCleanDataDirectory(clean)
					.setServerConfig("max_connections", "200")
					.setServerConfig("shared_buffers", "128MB")
					.setServerConfig("fsync", "on")
					.start();
				EmbeddedDatabase db = new EmbeddedDatabase(pg, System.currentTimeMillis() - t0);
				db.provision();
				return db;
			}
			catch (IOException | SQLException ex) {
				throw new IllegalStateException("Embedded PostgreSQL failed to start in " + directory + ": " + ex.getMessage(), ex);
			}
		});
	}

	private void provision() throws SQLException {
		try (Connection c = this.postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
			if (!exists(s, "select 1 from pg_roles where rolname = '" + OWNER_ROLE + "'")) {
				s.execute("create role " + OWNER_ROLE + " login nosuperuser nobypassrls nocreaterole createdb");
			}
			if (!exists(s, "select 1 from pg_roles where rolname = '" + APP_ROLE + "'")) {
				s.execute("create role " + APP_ROLE + " login nosuperuser nobypassrls nocreaterole nocreatedb noinherit");
			}
			if (!exists(s, "select 1 from pg_database where datname = '" + DATABASE + "'")) {
				s.execute("create database " + DATABASE + " owner " + OWNER_ROLE);
			}
		}
		try (Connection c = this.postgres.getDatabase("postgres", DATABASE).getConnection(); Statement s = c.createStatement()) {
			s.execute("revoke all on database " + DATABASE + " from public");
			s.execute("grant connect, temporary on database " + DATABASE + " to " + APP_ROLE);
			s.execute("revoke create on schema public from public");
			s.execute("alter schema public owner to " + OWNER_ROLE);
		}
	}

	private static boolean exists(Statement s, String sql) throws SQLException {
		try (ResultSet rs = s.executeQuery(sql)) {
			return rs.next();
		}
	}

	public ConnectionSettings app() {
		return new ConnectionSettings(this.postgres.getJdbcUrl(APP_ROLE, DATABASE), APP_ROLE, null);
	}

	public ConnectionSettings owner() {
		return new ConnectionSettings(this.postgres.getJdbcUrl(OWNER_ROLE, DATABASE), OWNER_ROLE, null);
	}

	/** The superuser connection, for maintenance that needs it (creating scratch databases in tests). */
	public ConnectionSettings superuser(String database) {
		return new ConnectionSettings(this.postgres.getJdbcUrl("postgres", database), "postgres", null);
	}

	public int port() {
		return this.postgres.getPort();
	}

	public long startMillis() {
		return this.startMillis;
	}

}
