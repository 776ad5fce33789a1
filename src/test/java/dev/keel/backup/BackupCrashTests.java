package dev.keel.backup;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import dev.keel.KeelApplication;
import dev.keel.KeelTest;
import dev.keel.database.ConnectionSettings;
import dev.keel.database.DatabaseEndpoints;
import dev.keel.database.EmbeddedDatabase;
import dev.keel.database.Migrations;
import dev.keel.storage.FilesystemObjectStore;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kill -9 in the middle of a backup: a child JVM runs {@code keel backup create} against its own
 * database (large enough that the backup takes seconds) and is killed while its record is
 * IN_PROGRESS. No object may appear, and the recovery that runs at start-up and in every cleanup
 * turns the record into FAILED "interrupted" once its heartbeat is stale.
 */
@KeelTest
class BackupCrashTests {

	@Autowired
	DatabaseEndpoints endpoints;

	@Autowired
	Migrations migrations;

	@Test
	void aBackupKilledMidwayLeavesNoObjectAndNoRecordStuckInProgress() throws Exception {
		String db = "keel_crash_" + Long.toString(System.nanoTime(), 36);
		EmbeddedDatabase embedded = EmbeddedDatabase.start("target/test-postgres", false);
		try (Connection c = TargetDatabases.connect(embedded.superuser("postgres")); Statement s = c.createStatement()) {
			s.execute("create database " + db + " owner " + EmbeddedDatabase.OWNER_ROLE);
		}
		ConnectionSettings owner = TargetDatabases.withDatabase(this.endpoints.owner(), db);
		ConnectionSettings app = TargetDatabases.withDatabase(this.endpoints.app(), db);
		this.migrations.migrateTo(owner, this.migrations.currentVersion());
		try (Connection c = TargetDatabases.connect(owner); Statement s = c.createStatement()) {
			s.execute("create table crash_filler (id bigint primary key, payload text)");
			s.execute("comment on table crash_filler is 'keel:platform-level: test filler'");
			s.execute("insert into crash_filler select g, repeat(md5(g::text), 8) from generate_series(1, 1200000) g");
		}
		Path storage = Files.createTempDirectory(Path.of("target"), "crash-storage");
		Process child = startChild(app, owner, storage);
		JdbcClient jdbc = JdbcClient.create(new DriverManagerDataSource(owner.jdbcUrl(), owner.user(), owner.password()));
		try {
			Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
				.until(() -> !child.isAlive() || jdbc.sql("select count(*) from database_backups where status = 'IN_PROGRESS'")
					.query(Long.class).single() == 1);
			Thread.sleep(1500);
			assertThat(child.isAlive()).as("the child is still backing up (see target/backup-crash-child.log)").isTrue();
		}
		finally {
			child.destroyForcibly().waitFor();
		}
		assertThat(jdbc.sql("select status from database_backups").query(String.class).list()).containsExactly("IN_PROGRESS");
		try (Stream<Path> files = Files.walk(storage)) {
			assertThat(files.filter(Files::isRegularFile).filter((p) -> !p.getFileName().toString().startsWith("."))
				.map(Path::toString).toList()).as("no complete object was left behind").isEmpty();
		}

		// "Restart": the recovery, with the clock past the heartbeat bound.
		BackupRepository repository = new BackupRepository(jdbc);
		BackupCleanup cleanup = new BackupCleanup(repository, new FilesystemObjectStore(storage),
				new BackupProperties(true, "0 2 * * *", 35, null, false), null, (event) -> {
				}, Clock.offset(Clock.systemUTC(), BackupCleanup.STALE_AFTER.plusMinutes(1)), this.endpoints);
		assertThat(cleanup.recoverInterrupted()).isEqualTo(1);
		List<Map<String, Object>> rows = jdbc.sql("select status, error from database_backups").query().listOfRows();
		assertThat(rows).hasSize(1);
		assertThat(rows.get(0).get("status")).isEqualTo("FAILED");
		assertThat((String) rows.get(0).get("error")).startsWith("interrupted");

		try (Connection c = TargetDatabases.connect(embedded.superuser("postgres")); Statement s = c.createStatement()) {
			s.execute("drop database " + db + " with (force)");
		}
	}

	private Process startChild(ConnectionSettings app, ConnectionSettings owner, Path storage) throws Exception {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
				KeelApplication.class.getName(), "backup", "create");
		Map<String, String> env = pb.environment();
		env.put("DATABASE_URL", app.jdbcUrl());
		env.put("DATABASE_MIGRATION_URL", owner.jdbcUrl());
		env.put("STORAGE_PATH", storage.toString());
		env.put("BOOTSTRAP_DEMO_TENANT", "false");
		env.put("BOOTSTRAP_ADMIN_EMAIL", dev.keel.TestAdmin.EMAIL);
		env.put("BOOTSTRAP_ADMIN_PASSWORD", dev.keel.TestAdmin.PASSWORD);
		env.put("PASSWORD_HASH_COST", "4");
		pb.redirectErrorStream(true).redirectOutput(new File("target/backup-crash-child.log"));
		return pb.start();
	}

}
