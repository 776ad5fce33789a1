package dev.keel.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.keel.RawHttp;
import dev.keel.KeelApplication;
import dev.keel.runtime.CliCommand;
import dev.keel.runtime.KeelCli;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Keel against an "external" PostgreSQL given by DATABASE_URL (application role) and
 * DATABASE_MIGRATION_URL (owner role): here a separate server this test starts and stops, so it can
 * also pull the database out from under a running instance.
 */
@ExtendWith(OutputCaptureExtension.class)
class ExternalDatabaseTests {

	private static final File DIR = new File("target/external-postgres");

	private static int port;

	private static EmbeddedPostgres server;

	@BeforeAll
	static void startServer() throws Exception {
		try (ServerSocket s = new ServerSocket(0)) {
			port = s.getLocalPort();
		}
		// Wiped by hand: zonky deletes a "clean" data directory on close, and this test restarts the server.
		org.springframework.util.FileSystemUtils.deleteRecursively(DIR);
		server = EmbeddedPostgres.builder().setDataDirectory(DIR).setCleanDataDirectory(false).setPort(port).start();
		superuser("create role ext_owner login password 'owner-pw' nosuperuser",
				"create role ext_app login password 'app-pw' nosuperuser nobypassrls nocreatedb nocreaterole");
	}

	@AfterAll
	static void stopServer() throws IOException {
		if (server != null) {
			server.close();
		}
	}

	private static void restartServer() throws IOException {
		server = EmbeddedPostgres.builder().setDataDirectory(DIR).setCleanDataDirectory(false).setPort(port).start();
	}

	private static void superuser(String... sql) throws SQLException {
		try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
			for (String q : sql) {
				s.execute(q);
			}
		}
	}

	private static void createDatabase(String name) throws SQLException {
		superuser("create database " + name + " owner ext_owner");
		try (Connection c = DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/" + name, "postgres", "");
				Statement s = c.createStatement()) {
			s.execute("revoke all on database " + name + " from public");
			s.execute("grant connect on database " + name + " to ext_app");
		}
	}

	private static Map<String, Object> settings(String database) {
		Map<String, Object> p = new HashMap<>();
		p.put("DATABASE_URL", "postgres://ext_app:app-pw@localhost:" + port + "/" + database);
		p.put("DATABASE_MIGRATION_URL", "postgresql://ext_owner:owner-pw@localhost:" + port + "/" + database);
		p.put("DATABASE_CONNECTION_TIMEOUT", "3000");
		p.put("PORT", "0");
		p.put("PASSWORD_HASH_COST", "4");
		p.put("BOOTSTRAP_DEMO_TENANT", "false");
		return p;
	}

	private static ConfigurableApplicationContext start(Map<String, Object> properties) {
		return new SpringApplicationBuilder(KeelApplication.class).properties(properties).run();
	}

	private static int httpPort(ConfigurableApplicationContext context) {
		return ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	@Test
	void migratesAsTheOwnerAndRunsAsAnApplicationRoleThatOwnsNothing(CapturedOutput output) throws Exception {
		createDatabase("ext_roles");
		try (ConfigurableApplicationContext context = start(settings("ext_roles"))) {
			RawHttp http = new RawHttp(httpPort(context));
			assertThat(http.get("/ready").statusCode()).isEqualTo(200);
			try (Connection c = DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/ext_roles", "postgres", "");
					Statement s = c.createStatement()) {
				ResultSet owners = s.executeQuery("select distinct tableowner from pg_tables where schemaname = 'public'");
				assertThat(owners.next()).isTrue();
				assertThat(owners.getString(1)).isEqualTo("ext_owner");
				assertThat(owners.next()).isFalse();
			}
			try (Connection c = DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/ext_roles", "ext_app", "app-pw");
					Statement s = c.createStatement()) {
				assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> s.execute("create table sneaky (id int)")))
					.hasMessageContaining("permission denied");
				assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> s.execute("drop table app_logs")))
					.hasMessageContaining("must be owner");
			}
			// No BOOTSTRAP_ADMIN_PASSWORD: one was generated and printed once, and never stored in the logs table.
			Matcher m = Pattern.compile("password: (\\S+)").matcher(output.getOut());
			assertThat(m.find()).isTrue();
			String password = m.group(1);
			var login = http.post("/api/auth/login", "application/json",
					"{\"tenant\":\"platform\",\"email\":\"admin@keel.local\",\"password\":\"" + password + "\"}");
			assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
			String token = dev.keel.Http.JSON.readTree(login.body()).get("accessToken").asString();
			assertThat(http.get("/health/detailed", "Authorization", "Bearer " + token).statusCode()).isEqualTo(200);
			try (Connection c = DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/ext_roles", "postgres", "");
					var ps = c.prepareStatement("select count(*) from app_logs where message like ? or fields::text like ?")) {
				ps.setString(1, "%" + password + "%");
				ps.setString(2, "%" + password + "%");
				ResultSet rs = ps.executeQuery();
				rs.next();
				assertThat(rs.getInt(1)).isZero();
			}
			assertThat(output.getOut()).doesNotContain("app-pw").doesNotContain("owner-pw");
		}
	}

	@Test
	void noticesALostDatabaseAndRecoversByItself() throws Exception {
		createDatabase("ext_loss");
		try (ConfigurableApplicationContext context = start(settings("ext_loss"))) {
			RawHttp http = new RawHttp(httpPort(context));
			assertThat(http.get("/health").statusCode()).isEqualTo(200);
			server.close();
			long lostAt = System.nanoTime();
			try {
				await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200))
					.until(() -> http.get("/health").statusCode() == 503);
			}
			catch (RuntimeException ex) {
				restartServer();
				throw ex;
			}
			long noticedMs = (System.nanoTime() - lostAt) / 1_000_000;
			assertThat(http.get("/health").body()).contains("\"status\":\"unhealthy\"");
			assertThat(http.get("/ready").body()).contains("\"ready\":false").contains("database unreachable");
			assertThat(http.get("/up").statusCode()).as("liveness never touches the database").isEqualTo(200);
			long t0 = System.nanoTime();
			var health = http.get("/health");
			assertThat((System.nanoTime() - t0) / 1_000_000).as("a health request never hangs past its timeout").isLessThan(3_500);
			assertThat(health.statusCode()).isEqualTo(503);

			restartServer();
			try (Connection probe = DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/ext_loss", "postgres", "")) {
				assertThat(probe.isValid(2)).as("the restarted server accepts connections").isTrue();
			}
			long backAt = System.nanoTime();
			try {
				await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
					.until(() -> http.get("/health").statusCode() == 200 && http.get("/ready").statusCode() == 200);
			}
			catch (RuntimeException ex) {
				throw new AssertionError("not recovered: health " + http.get("/health").body() + " ready " + http.get("/ready").body(), ex);
			}
			System.out.printf("database loss noticed after %d ms, recovery after %d ms%n", noticedMs,
					(System.nanoTime() - backAt) / 1_000_000);
		}
	}

	@Test
	void isNotReadyWhileMigrationsArePendingAndTheCliAppliesThem() throws Exception {
		createDatabase("ext_pending");
		Map<String, Object> props = settings("ext_pending");
		props.put("DATABASE_MIGRATE_ON_START", "false");
		// A web-only instance: job workers need the schema at start (docs/jobs.md), HTTP does not.
		props.put("JOBS_ENABLED", "false");
		try (ConfigurableApplicationContext context = start(props)) {
			RawHttp http = new RawHttp(httpPort(context));
			var ready = http.get("/ready");
			assertThat(ready.statusCode()).isEqualTo(503);
			assertThat(ready.body()).contains("pending migration(s)");
			assertThat(http.get("/up").statusCode()).isEqualTo(200);

			ByteArrayOutputStream out = new ByteArrayOutputStream();
			Map<String, String> env = new HashMap<>();
			props.forEach((k, v) -> env.put(k, v.toString()));
			props.forEach((k, v) -> System.setProperty(k, v.toString()));
			int exit;
			try {
				exit = KeelCli.run(KeelApplication.class, new String[] { "migrate", "--json" },
						new PrintStream(out, true, StandardCharsets.UTF_8), System.err, env::get);
			}
			finally {
				props.keySet().forEach(System::clearProperty);
			}
			assertThat(exit).isEqualTo(CliCommand.OK);
			assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"success\":true").contains("\"schemaVersion\"");
			await().atMost(Duration.ofSeconds(10)).until(() -> http.get("/ready").statusCode() == 200);
		}
	}

}
