package dev.keel.backup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.keel.database.ConnectionSettings;
import dev.keel.storage.FilesystemObjectStore;
import dev.keel.storage.StoredObject;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The pg_dump path against the local PostgreSQL 15 server (127.0.0.1:5432, whose pg_dump 15 matches):
 * a database with forced row-level security is dumped as a superuser, restored with pg_restore into a
 * scratch database, and every table's row count matches the counts taken in the dump's snapshot.
 */
class PgDumpBackupTests {

	private static final ConnectionSettings SERVER = new ConnectionSettings("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", null);

	@TempDir
	Path storage;

	String database;

	ConnectionSettings settings;

	@BeforeEach
	void createDatabase() throws SQLException {
		try (Connection c = TargetDatabases.connect(SERVER)) {
			this.database = "keel_pgdump_" + Long.toString(System.nanoTime(), 36);
			c.createStatement().execute("create database " + this.database);
		}
		catch (SQLException ex) {
			assumeTrue(false, "no local PostgreSQL server on 127.0.0.1:5432: " + ex.getMessage());
		}
		this.settings = TargetDatabases.withDatabase(SERVER, this.database);
		try (Connection c = TargetDatabases.connect(this.settings); Statement s = c.createStatement()) {
			s.execute("create table tenants (id uuid primary key, slug text not null)");
			s.execute("create table users (tenant_id uuid not null references tenants (id), id bigint generated always as identity, "
					+ "email text, primary key (tenant_id, id))");
			s.execute("alter table users enable row level security");
			s.execute("alter table users force row level security");
			s.execute("create policy users_tenant on users using (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid))");
			s.execute("insert into tenants select gen_random_uuid(), 't' || g from generate_series(1, 3) g");
			s.execute("insert into users (tenant_id, email) select t.id, 'u' || g || '@x.test' from tenants t, generate_series(1, 50) g");
		}
	}

	@AfterEach
	void dropDatabase() throws SQLException {
		if (this.database != null) {
			try (Connection c = TargetDatabases.connect(SERVER)) {
				c.createStatement().execute("drop database if exists " + this.database + " with (force)");
			}
		}
	}

	@Test
	void keelSnapshotOfARoleThatBypassesRlsCopiesWholeTablesAndItsRestoreReExportsIdentically() throws Exception {
		FilesystemObjectStore store = new FilesystemObjectStore(this.storage);
		Map<String, Object> manifest = new LinkedHashMap<>();
		StoredObject stored;
		try (Connection c = TargetDatabases.connect(this.settings)) {
			stored = StreamingUpload.upload(store, "backups/full/2026/11/" + UUID.randomUUID() + ".keel.gz", "application/gzip",
					(out) -> manifest.putAll(KeelSnapshot.export(c, out, Map.of("type", "FULL"), null)));
		}
		assertThat(manifest).containsEntry("readMode", "WHOLE_TABLE");
		Map<String, KeelSnapshot.TableEntry> recorded = KeelSnapshot.tables(manifest);
		assertThat(recorded.get("users").rows()).isEqualTo(150);
		String scratch = TargetDatabases.createScratch(this.settings);
		try {
			ConnectionSettings target = TargetDatabases.withDatabase(this.settings, scratch);
			try (Connection c = TargetDatabases.connect(target); Statement s = c.createStatement()) {
				s.execute("create table tenants (id uuid primary key, slug text not null)");
				s.execute("create table users (tenant_id uuid not null references tenants (id), id bigint generated always as identity, "
						+ "email text, primary key (tenant_id, id))");
				s.execute("alter table users enable row level security");
				s.execute("alter table users force row level security");
			}
			try (Connection c = TargetDatabases.connect(target);
					SnapshotFile.Reader reader = new SnapshotFile.Reader(store.get(stored.key()))) {
				assertThat(KeelSnapshot.restoreInto(c, reader)).containsEntry("users", 150L);
				assertThat(KeelSnapshot.checksums(c, null, KeelSnapshot.ReadMode.WHOLE_TABLE)).containsExactlyElementsOf(recorded.values());
				try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("insert into users (tenant_id, email) "
						+ "select id, 'new@x.test' from tenants limit 1 returning id")) {
					rs.next();
					assertThat(rs.getLong(1)).as("identity moved past the restored ids").isGreaterThan(150);
				}
			}
		}
		finally {
			TargetDatabases.dropScratch(this.settings, scratch);
		}
	}

	@Test
	void pgDumpBackupOfEveryTenantRestoresIntoAScratchDatabaseWithTheRecordedRowCounts() throws Exception {
		Optional<PgDumpTool> found;
		try (Connection c = TargetDatabases.connect(this.settings)) {
			found = PgDumpTool.find(null, c.getMetaData().getDatabaseMajorVersion());
			assumeTrue(found.isPresent(), "no pg_dump on PATH as new as the local server");
			assertThat(PgDumpTool.bypassesRls(c)).isTrue();
		}
		PgDumpTool tool = found.get();
		FilesystemObjectStore store = new FilesystemObjectStore(this.storage);
		UUID id = UUID.randomUUID();
		Map<String, Long> counts = new LinkedHashMap<>();
		StoredObject stored;
		try (Connection c = TargetDatabases.connect(this.settings)) {
			stored = StreamingUpload.upload(store, "backups/full/2026/11/" + id + ".dump", "application/octet-stream",
					(out) -> counts.putAll(tool.dump(c, this.settings, out)));
		}
		assertThat(counts).containsEntry("users", 150L).containsEntry("tenants", 3L);
		assertThat(Files.readAllBytes(this.storage.resolve(stored.key()))).startsWith("PGDMP".getBytes());

		Map<String, Object> metadata = new LinkedHashMap<>();
		metadata.put("tables", counts.entrySet().stream().map((e) -> Map.<String, Object>of("name", e.getKey(), "rows", e.getValue())).toList());
		Backup backup = new Backup(id, BackupType.FULL, BackupStatus.COMPLETED, null, stored.key(), PgDumpTool.FORMAT, stored.sizeBytes(),
				stored.sha256(), Instant.now(), Instant.now(), null, null, null, "test", metadata);
		DatabaseRestore restore = new DatabaseRestore(store, null, null, new BackupProperties(true, "0 2 * * *", 35, null, false));
		String scratch = TargetDatabases.createScratch(this.settings);
		try {
			ConnectionSettings target = TargetDatabases.withDatabase(this.settings, scratch);
			Map<String, Long> restored = restore.restore(backup, target);
			assertThat(restored).containsEntry("users", 150L);
			assertThat(restore.compare(backup, target)).isEmpty();
			try (Connection c = TargetDatabases.connect(target); Statement s = c.createStatement()) {
				s.execute("delete from users where email = 'u1@x.test'");
			}
			assertThat(restore.compare(backup, target)).hasValueSatisfying((d) -> assertThat(d).contains("users").contains("147 rows"));
		}
		finally {
			TargetDatabases.dropScratch(this.settings, scratch);
		}
		try (Connection c = TargetDatabases.connect(SERVER); Statement s = c.createStatement();
				ResultSet rs = s.executeQuery("select count(*) from pg_database where datname = '" + scratch + "'")) {
			rs.next();
			assertThat(rs.getLong(1)).isZero();
		}
		assertThat(List.of(tool.major())).allMatch((m) -> m >= 15);
	}

}
