package dev.keel.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.keel.database.ConnectionSettings;

/**
 * The {@code pg_dump}/{@code pg_restore} pair, used for FULL backups when one is configured
 * ({@code BACKUP_PG_DUMP_PATH}) or found on {@code PATH} with a major version at least the server's,
 * and the reading role bypasses row-level security (otherwise pg_dump would stop at the first table
 * with forced RLS). The dump is taken in a snapshot exported by a JDBC transaction that also counts
 * every table's rows, so the counts recorded for verification describe exactly the dumped data.
 * Passwords reach the tools through {@code PGPASSWORD}, never the command line.
 */
final class PgDumpTool {

	static final String FORMAT = "pg_dump-custom";

	static final String EXTENSION = "dump";

	private static final Pattern VERSION = Pattern.compile("\\(PostgreSQL\\)\\s+(\\d+)");

	private final Path pgDump;

	private final int major;

	private PgDumpTool(Path pgDump, int major) {
		this.pgDump = pgDump;
		this.major = major;
	}

	/** The configured or PATH pg_dump when it can dump a server of {@code serverMajor}. */
	static Optional<PgDumpTool> find(String configuredPath, int serverMajor) {
		Path candidate = null;
		if (configuredPath != null && !configuredPath.isBlank()) {
			candidate = Path.of(configuredPath);
		}
		else {
			for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
				Path p = Path.of(dir, "pg_dump");
				if (!dir.isEmpty() && Files.isExecutable(p)) {
					candidate = p;
					break;
				}
			}
		}
		if (candidate == null || !Files.isExecutable(candidate)) {
			return Optional.empty();
		}
		int major = majorVersion(candidate);
		return (major >= serverMajor) ? Optional.of(new PgDumpTool(candidate, major)) : Optional.empty();
	}

	int major() {
		return this.major;
	}

	Path pgRestore() {
		return this.pgDump.resolveSibling("pg_restore");
	}

	static int majorVersion(Path tool) {
		try {
			Process p = new ProcessBuilder(tool.toString(), "--version").redirectErrorStream(true).start();
			String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			p.waitFor(10, TimeUnit.SECONDS);
			Matcher m = VERSION.matcher(out);
			return m.find() ? Integer.parseInt(m.group(1)) : -1;
		}
		catch (IOException ex) {
			return -1;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return -1;
		}
	}

	/** Whether the role of {@code c} sees every row despite forced RLS (superuser or BYPASSRLS). */
	static boolean bypassesRls(Connection c) throws SQLException {
		try (Statement s = c.createStatement();
				ResultSet rs = s.executeQuery("select rolsuper or rolbypassrls from pg_roles where rolname = current_user")) {
			return rs.next() && rs.getBoolean(1);
		}
	}

	/**
	 * Dumps the database of {@code c} (same role as {@code settings}) into {@code out}; returns the
	 * per-table row counts of the dumped snapshot.
	 */
	Map<String, Long> dump(Connection c, ConnectionSettings settings, OutputStream out) throws Exception {
		c.setAutoCommit(false);
		c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
		try {
			String snapshot;
			try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select pg_export_snapshot()")) {
				rs.next();
				snapshot = rs.getString(1);
			}
			Map<String, Long> counts = new LinkedHashMap<>();
			try (Statement s = c.createStatement()) {
				for (TableCatalog.Table t : TableCatalog.load(c)) {
					try (ResultSet rs = s.executeQuery("select count(*) from " + t.quotedName())) {
						rs.next();
						counts.put(t.name(), rs.getLong(1));
					}
				}
			}
			List<String> command = new ArrayList<>(List.of(this.pgDump.toString(), "--format=custom", "--no-password",
					"--snapshot=" + snapshot, "--dbname=" + conninfo(settings)));
			run(command, settings, null, out);
			return counts;
		}
		finally {
			c.rollback();
		}
	}

	/** {@code pg_restore --list}: fails when the archive's table of contents cannot be read. */
	void list(Path archive) throws Exception {
		run(List.of(pgRestore().toString(), "--list", archive.toString()), null, null, OutputStream.nullOutputStream());
	}

	/** Restores {@code archive} into the (empty) database of {@code target} in one transaction. */
	void restore(Path archive, ConnectionSettings target) throws Exception {
		run(List.of(pgRestore().toString(), "--exit-on-error", "--single-transaction", "--no-password",
				"--dbname=" + conninfo(target), archive.toString()), target, null, OutputStream.nullOutputStream());
	}

	private static void run(List<String> command, ConnectionSettings settings, InputStream in, OutputStream out) throws Exception {
		ProcessBuilder pb = new ProcessBuilder(command);
		if (settings != null && settings.password() != null) {
			pb.environment().put("PGPASSWORD", settings.password());
		}
		Path errors = Files.createTempFile("keel-pgtool", ".err");
		pb.redirectError(errors.toFile());
		Process p = pb.start();
		try {
			p.getOutputStream().close();
			try (InputStream stdout = p.getInputStream()) {
				stdout.transferTo(out);
			}
			int code = p.waitFor();
			if (code != 0) {
				String err = Files.readString(errors, StandardCharsets.UTF_8).strip();
				throw new IOException(Path.of(command.get(0)).getFileName() + " exited with " + code + ": "
						+ err.substring(0, Math.min(err.length(), 500)));
			}
		}
		finally {
			p.destroyForcibly();
			Files.deleteIfExists(errors);
		}
	}

	/**
	 * libpq keyword/value connection string (no password) from a JDBC URL. Every value is quoted and
	 * escaped, so no value can add keywords ({@code host=a dbname=live}); only sslmode passes through.
	 */
	static String conninfo(ConnectionSettings settings) {
		URI uri = URI.create(settings.jdbcUrl().substring("jdbc:".length()));
		StringBuilder b = new StringBuilder();
		b.append("host=").append(quote(uri.getHost()));
		if (uri.getPort() > 0) {
			b.append(" port=").append(uri.getPort());
		}
		b.append(" dbname=").append(quote(java.net.URLDecoder.decode(uri.getRawPath().substring(1), StandardCharsets.UTF_8)));
		String user = settings.user();
		String query = uri.getRawQuery();
		if (query != null) {
			for (String pair : query.split("&")) {
				String[] kv = pair.split("=", 2);
				String value = (kv.length > 1) ? java.net.URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "";
				if (kv[0].equals("user") && user == null) {
					user = value;
				}
				if (kv[0].equals("sslmode")) {
					b.append(" sslmode=").append(quote(value));
				}
			}
		}
		if (user != null) {
			b.append(" user=").append(quote(user));
		}
		return b.toString();
	}

	/** A libpq conninfo value: single-quoted, backslash and quote escaped. */
	static String quote(String value) {
		return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
	}

}
