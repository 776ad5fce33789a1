package dev.keel.backup;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import dev.keel.Http;
import dev.keel.KeelTest;
import dev.keel.TestAdmin;
import dev.keel.TestTenants;
import dev.keel.database.EmbeddedDatabase;
import dev.keel.storage.FilesystemObjectStore;
import dev.keel.storage.ObjectStore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A restore trusts neither the object's bytes nor the column and table names inside it. */
@KeelTest
@TestPropertySource(properties = "keel.storage.path=target/backup-test-storage")
class BackupSnapshotTrustTests {

	@LocalServerPort
	int port;

	@Autowired
	BackupManagement backups;

	@Autowired
	ObjectStore store;

	@Autowired
	dev.keel.database.DatabaseEndpoints endpoints;

	@Autowired
	dev.keel.tenancy.Tenants tenants;

	Http admin() {
		return new Http(this.port).as(TestAdmin.bearerToken(this.port));
	}

	@Test
	void anObjectThatIsNotTheRecordedOneIsNotRestoredEvenWhenItsInnerChecksumsAgree() throws Exception {
		TestTenants.TestTenant a = TestTenants.create(this.port, "tamper");
		Backup backup = this.backups.createNow(BackupType.TENANT, a.id(), "test");
		assertThat(a.http(this.port).post("/api/users", Map.of("email", "late@" + a.slug() + ".test", "password", TestTenants.PASSWORD))
			.status()).isEqualTo(201);
		recompress(backup);

		Http.Response r = admin().post("/admin/backups/" + backup.id() + "/restore", Map.of("confirm", a.slug(), "mode", "replace"));
		assertThat(r.status()).as(r.body()).isEqualTo(409);
		assertThat(r.json().get("type").asString()).endsWith("/backup-not-usable");
		assertThat(r.json().get("detail").asString()).contains("checksum").contains("nothing changed");
		assertThat(users(a)).as("the user created after the backup is still there").isEqualTo(2);
	}

	@Test
	void aFullRestoreOfAnObjectThatIsNotTheRecordedOneFailsAndSaysTheTargetMustBeRecreated() throws Exception {
		Backup backup = this.backups.createNow(BackupType.FULL, null, "test");
		recompress(backup);
		String target = "keel_tamper_" + Long.toString(System.nanoTime(), 36);
		try (Connection c = TargetDatabases.connect(EmbeddedDatabase.start("target/test-postgres", false).superuser("postgres"));
				Statement s = c.createStatement()) {
			s.execute("create database " + target + " owner " + EmbeddedDatabase.OWNER_ROLE);
		}
		String url = TargetDatabases.withDatabase(new dev.keel.database.ConnectionSettings(EmbeddedDatabase.start("target/test-postgres", false)
			.superuser(target).jdbcUrl().replaceAll("\\?.*", ""), null, null), target).jdbcUrl();
		Http.Response r = admin().post("/admin/backups/" + backup.id() + "/restore", Map.of("confirm", backup.id().toString(), "targetUrl", url));
		assertThat(r.status()).as(r.body()).isEqualTo(409);
		assertThat(r.json().get("detail").asString()).contains("checksum").contains("recreate");
		try (Connection c = TargetDatabases.connect(EmbeddedDatabase.start("target/test-postgres", false).superuser(target));
				Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select count(*) from users")) {
			rs.next();
			assertThat(rs.getLong(1)).as("no row landed").isZero();
		}
	}

	@Test
	void aSectionNamingAColumnTheTableDoesNotHaveIsRefused() throws Exception {
		TestTenants.TestTenant a = TestTenants.create(this.port, "badcol");
		Backup backup = this.backups.createNow(BackupType.TENANT, a.id(), "test");
		rewrite(backup, (columns) -> columns.replace("\"email\"", "\"email\", \"nope\""), false);
		Http.Response r = admin().post("/admin/backups/" + backup.id() + "/restore", Map.of("confirm", a.slug(), "mode", "replace"));
		assertThat(r.status()).as(r.body()).isEqualTo(409);
		assertThat(r.json().get("detail").asString()).contains("\"nope\"");
		assertThat(users(a)).isEqualTo(1);

		rewrite(backup, (columns) -> columns.replace("\"email\"", "\"email\") select 1; --"), false);
		Http.Response injected = admin().post("/admin/backups/" + backup.id() + "/restore", Map.of("confirm", a.slug(), "mode", "replace"));
		assertThat(injected.status()).as(injected.body()).isEqualTo(409);
		assertThat(users(a)).isEqualTo(1);
	}

	@Test
	void aTenantBackupHoldingAPlatformTableIsRefused() throws Exception {
		TestTenants.TestTenant a = TestTenants.create(this.port, "platform-sec");
		Backup backup = this.backups.createNow(BackupType.TENANT, a.id(), "test");
		rewrite(backup, UnaryOperator.identity(), true);
		Http.Response r = admin().post("/admin/backups/" + backup.id() + "/restore", Map.of("confirm", a.slug(), "mode", "replace"));
		assertThat(r.status()).as(r.body()).isEqualTo(409);
		assertThat(r.json().get("detail").asString()).contains("database_backups").contains("not a tenant table");
	}

	@Test
	void aTenantBackupFromAnotherSchemaVersionIsRefusedUpFront() throws Exception {
		TestTenants.TestTenant a = TestTenants.create(this.port, "oldschema");
		Backup backup = this.backups.createNow(BackupType.TENANT, a.id(), "test");
		try (Connection c = TargetDatabases.connect(EmbeddedDatabase.start("target/test-postgres", false).superuser(EmbeddedDatabase.DATABASE));
				Statement s = c.createStatement()) {
			s.execute("update database_backups set metadata = jsonb_set(metadata, '{schemaVersion}', '\"1\"') where id = '" + backup.id() + "'");
		}
		Http.Response r = admin().post("/admin/backups/" + backup.id() + "/restore", Map.of("confirm", a.slug(), "mode", "replace"));
		assertThat(r.status()).as(r.body()).isEqualTo(409);
		assertThat(r.json().get("type").asString()).endsWith("/backup-not-usable");
		assertThat(r.json().get("detail").asString()).contains("schema version 1");
	}

	@Test
	void aCloneWhoseSlugIsTakenAtInsertTimeIsAConflict() throws Exception {
		TestTenants.TestTenant a = TestTenants.create(this.port, "racing");
		Backup backup = this.backups.createNow(BackupType.TENANT, a.id(), "test");
		TestTenants.TestTenant taker = TestTenants.create(this.port, "taker");
		// The slug is free when checked and taken when the clone inserts its tenant row.
		TenantRestore racing = new TenantRestore(this.store, this.endpoints) {
			@Override
			java.util.Map<String, Long> cloneAs(Backup b, java.util.UUID newId, String newSlug) throws Exception {
				return super.cloneAs(b, newId, taker.slug());
			}
		};
		BackupRestores restores = new BackupRestores(null, racing, null, this.tenants, null);
		assertThatThrownBy(() -> restores.restore(backup, new BackupManagement.RestoreRequest(a.slug(), null, "clone",
				TestTenants.uniqueSlug("free"))))
			.isInstanceOfSatisfying(dev.keel.shared.KeelProblemException.class,
					(ex) -> assertThat(ex.type()).isEqualTo(dev.keel.shared.ProblemType.CONFLICT));
	}

	/** Same content, other bytes: every inner checksum still agrees, only the object's SHA-256 differs. */
	private void recompress(Backup backup) throws Exception {
		Path file = file(backup);
		byte[] plain;
		try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
			plain = in.readAllBytes();
		}
		ByteArrayOutputStream again = new ByteArrayOutputStream();
		try (GZIPOutputStream gz = new GZIPOutputStream(again)) {
			gz.write(plain);
		}
		Files.write(file, again.toByteArray());
		assertThat(sha256(again.toByteArray())).isNotEqualTo(backup.sha256());
	}

	/** Re-writes the backup's snapshot (columns of the users section changed, optionally a platform section added) and its record's SHA-256. */
	private void rewrite(Backup backup, UnaryOperator<String> usersColumns, boolean addPlatformSection) throws Exception {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try (InputStream in = this.store.get(backup.storageKey()); SnapshotFile.Reader reader = new SnapshotFile.Reader(in)) {
			SnapshotFile.Writer writer = new SnapshotFile.Writer(out, reader.header());
			SnapshotFile.Section section;
			while ((section = reader.next()) != null) {
				String columns = section.table().equals("users") ? usersColumns.apply(section.columns()) : section.columns();
				OutputStream data = writer.beginTable(section.table(), columns);
				section.data().transferTo(data);
				writer.endTable(section.rows());
			}
			if (addPlatformSection) {
				writer.beginTable("database_backups", "\"id\"");
				writer.endTable(0);
			}
			writer.finish(reader.manifest());
		}
		Files.write(file(backup), out.toByteArray());
		try (Connection c = TargetDatabases.connect(EmbeddedDatabase.start("target/test-postgres", false).superuser(EmbeddedDatabase.DATABASE));
				Statement s = c.createStatement()) {
			s.execute("update database_backups set sha256 = '" + sha256(out.toByteArray()) + "' where id = '" + backup.id() + "'");
		}
	}

	private long users(TestTenants.TestTenant t) throws Exception {
		try (Connection c = TargetDatabases.connect(EmbeddedDatabase.start("target/test-postgres", false).superuser(EmbeddedDatabase.DATABASE));
				Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select count(*) from users where tenant_id = '" + t.id() + "'")) {
			rs.next();
			return rs.getLong(1);
		}
	}

	private Path file(Backup b) {
		return ((FilesystemObjectStore) this.store).root().resolve(b.storageKey());
	}

	private static String sha256(byte[] bytes) throws Exception {
		return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
	}

}
