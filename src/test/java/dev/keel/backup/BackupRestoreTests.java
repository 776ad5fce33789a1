package dev.keel.backup;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import dev.keel.Http;
import dev.keel.KeelTest;
import dev.keel.TestAdmin;
import dev.keel.TestTenants;
import dev.keel.database.ConnectionSettings;
import dev.keel.database.DatabaseEndpoints;
import dev.keel.database.EmbeddedDatabase;
import dev.keel.storage.FilesystemObjectStore;
import dev.keel.storage.ObjectStore;

import static org.assertj.core.api.Assertions.assertThat;

/** Backups proven by restores, against the embedded PostgreSQL 17 (no pg_dump 17 here: Keel's format). */
@KeelTest
@TestPropertySource(properties = "keel.storage.path=target/backup-test-storage")
class BackupRestoreTests {

	@LocalServerPort
	int port;

	@Autowired
	BackupManagement backups;

	@Autowired
	BackupCleanup cleanup;

	@Autowired
	ObjectStore store;

	@Autowired
	DatabaseEndpoints endpoints;

	@Autowired
	dev.keel.audit.AuditTrail audit;

	Http admin() {
		return new Http(this.port).as(TestAdmin.bearerToken(this.port));
	}

	@Test
	void fullBackupRestoresIntoANewDatabaseWithIdenticalRowCountsAndChecksums() throws Exception {
		TestTenants.TestTenant a = TestTenants.create(this.port, "full-a");
		TestTenants.TestTenant b = TestTenants.create(this.port, "full-b");
		Backup backup = this.backups.createNow(BackupType.FULL, null, "test");
		assertThat(backup.status()).as(String.valueOf(backup.error())).isEqualTo(BackupStatus.COMPLETED);
		assertThat(backup.format()).isEqualTo(SnapshotFile.FORMAT);
		assertThat(backup.storageKey()).startsWith("backups/full/").endsWith(backup.id() + ".keel.gz");
		assertThat(backup.sha256()).hasSize(64);
		assertThat(backup.metadata()).containsKeys("schemaVersion", "serverVersion", "tables").containsEntry("readMode", "PER_TENANT");
		// Forced RLS applies to the owner too: the backup must still hold every tenant's users.
		Map<String, KeelSnapshot.TableEntry> tables = KeelSnapshot.tables(backup.metadata());
		long usersBackedUp = tables.get("users").rows();
		try (Connection su = superuser("keel"); Statement s = su.createStatement()) {
			assertThat(usersBackedUp).isEqualTo(count(s, "select count(*) from users where created_at <= '" + backup.completedAt() + "'"));
			assertThat(count(s, "select count(distinct tenant_id) from users")).isGreaterThanOrEqualTo(3);
		}
		assertThat(usersBackedUp).isGreaterThanOrEqualTo(3);

		String target = "keel_restore_" + Long.toString(System.nanoTime(), 36);
		createDatabase(target);
		Http.Response restored = admin().post("/admin/backups/" + backup.id() + "/restore",
				Map.of("confirm", backup.id().toString(), "targetUrl", jdbcUrl(target)));
		assertThat(restored.status()).as(restored.body()).isEqualTo(200);
		assertThat(restored.json().get("rows").asLong()).isGreaterThan(0);

		ConnectionSettings restoredDb = TargetDatabases.withDatabase(this.endpoints.owner(), target);
		try (Connection c = TargetDatabases.connect(restoredDb)) {
			List<KeelSnapshot.TableEntry> again = KeelSnapshot.checksums(c, null, KeelSnapshot.ReadMode.of(backup.metadata()));
			for (KeelSnapshot.TableEntry e : again) {
				assertThat(e).as("table " + e.name()).isEqualTo(tables.get(e.name()));
			}
			assertThat(again).hasSize(tables.size());
		}
		try (Connection c = superuser(target); Statement s = c.createStatement()) {
			assertThat(count(s, "select count(*) from users where tenant_id in ('" + a.id() + "', '" + b.id() + "')")).isEqualTo(2);
			assertThat(count(s, "select count(*) from pg_class where relname = 'users' and relforcerowsecurity")).isEqualTo(1);
		}
		Backup verified = this.backups.verify(backup.id());
		assertThat(verified.status()).as(String.valueOf(verified.error())).isEqualTo(BackupStatus.VERIFIED);
		assertThat(verified.verifiedAt()).isNotNull();
		try (Connection su = superuser("postgres"); Statement s = su.createStatement()) {
			assertThat(count(s, "select count(*) from pg_database where datname like 'keel_verify_%'")).as("scratch dropped").isZero();
		}
		String metrics = new Http(this.port).as(TestAdmin.METRICS_TOKEN).get("/metrics").body();
		assertThat(metrics).containsPattern("backup_last_success_timestamp_seconds\\{[^}]*type=\"FULL\"[^}]*\\} [1-9]")
			.contains("backup_duration_seconds_count").contains("backup_size_bytes");
	}

	@Test
	void tenantReplaceRestoreBringsRowsBackAndLeavesOtherTenantsUntouched() throws Exception {
		TestTenants.TestTenant a = TestTenants.create(this.port, "rep-a");
		TestTenants.TestTenant other = TestTenants.create(this.port, "rep-b");
		for (int i = 0; i < 3; i++) {
			assertThat(a.http(this.port).post("/api/users", Map.of("email", "u" + i + "@" + a.slug() + ".test", "password",
					TestTenants.PASSWORD)).status()).isEqualTo(201);
		}
		Http.Response requested = admin().post("/admin/backup", Map.of("type", "TENANT", "tenantId", a.id().toString()));
		assertThat(requested.status()).as(requested.body()).isEqualTo(202);
		assertThat(requested.json().get("status").asString()).isEqualTo("IN_PROGRESS");
		UUID id = UUID.fromString(requested.json().get("backupId").asString());
		Backup backup = awaitDone(id);
		assertThat(backup.status()).as(String.valueOf(backup.error())).isEqualTo(BackupStatus.COMPLETED);
		assertThat(backup.storageKey()).startsWith("backups/tenant/");
		assertThat(KeelSnapshot.tables(backup.metadata())).containsKeys("tenants", "users").doesNotContainKey("jobs");
		String otherBefore = tenantChecksum(other.id());

		try (Connection su = superuser("keel"); Statement s = su.createStatement()) {
			s.execute("delete from users where tenant_id = '" + a.id() + "'");
		}
		Http.Response wrong = admin().post("/admin/backups/" + id + "/restore", Map.of("confirm", "not-the-slug", "mode", "replace"));
		assertThat(wrong.status()).isEqualTo(400);
		assertThat(wrong.json().get("type").asString()).endsWith("/backup-confirmation-mismatch");

		Http.Response restored = admin().post("/admin/backups/" + id + "/restore", Map.of("confirm", a.slug(), "mode", "replace"));
		assertThat(restored.status()).as(restored.body()).isEqualTo(200);
		try (Connection su = superuser("keel"); Statement s = su.createStatement()) {
			assertThat(count(s, "select count(*) from users where tenant_id = '" + a.id() + "'")).isEqualTo(4);
		}
		assertThat(tenantChecksum(other.id())).as("the other tenant is byte-identical").isEqualTo(otherBefore);
		assertThat(TestTenants.login(this.port, a.slug(), "u1@" + a.slug() + ".test", TestTenants.PASSWORD)).isNotBlank();
		assertThat(admin().get("/admin/audit/verify?tenantId=" + a.id()).json().get("valid").asBoolean()).isTrue();
		Http.Response trail = admin().header("X-Tenant-ID", a.id().toString()).get("/api/audit?limit=5");
		assertThat(trail.body()).contains("backup.restored");
	}

	@Test
	void cloneRestoreCreatesAWorkingTenantWhoseUsersLogInWithTheirPasswords() throws Exception {
		TestTenants.TestTenant a = TestTenants.create(this.port, "clone-src");
		Backup backup = this.backups.createNow(BackupType.TENANT, a.id(), "test");
		assertThat(backup.status()).as(String.valueOf(backup.error())).isEqualTo(BackupStatus.COMPLETED);
		Backup verified = this.backups.verify(backup.id());
		assertThat(verified.status()).as(String.valueOf(verified.error())).isEqualTo(BackupStatus.VERIFIED);
		String newSlug = TestTenants.uniqueSlug("sandbox");
		Http.Response cloned = admin().post("/admin/backups/" + backup.id() + "/restore",
				Map.of("confirm", a.slug(), "mode", "clone", "newSlug", newSlug));
		assertThat(cloned.status()).as(cloned.body()).isEqualTo(200);
		UUID cloneId = UUID.fromString(cloned.json().get("tenantId").asString());
		assertThat(cloneId).isNotEqualTo(a.id());
		String token = TestTenants.login(this.port, newSlug, a.adminEmail(), TestTenants.PASSWORD);
		Http.Response me = new Http(this.port).as(token).get("/api/me");
		assertThat(me.status()).isEqualTo(200);
		assertThat(me.body()).contains(cloneId.toString());
		assertThat(TestTenants.login(this.port, a.slug(), a.adminEmail(), TestTenants.PASSWORD)).as("the source still works").isNotBlank();
		Http.Response taken = admin().post("/admin/backups/" + backup.id() + "/restore",
				Map.of("confirm", a.slug(), "mode", "clone", "newSlug", newSlug));
		assertThat(taken.status()).isEqualTo(409);
		assertThat(taken.json().get("errors").get(0).get("rule").asString()).isEqualTo("unique");
	}

	@Test
	void aCorruptedObjectFailsVerificationNamingTheChecksum() throws Exception {
		TestTenants.TestTenant a = TestTenants.create(this.port, "corrupt");
		Backup backup = this.backups.createNow(BackupType.TENANT, a.id(), "test");
		Path file = ((FilesystemObjectStore) this.store).root().resolve(backup.storageKey());
		byte[] bytes = Files.readAllBytes(file);
		bytes[bytes.length / 2] ^= 0x01;
		Files.write(file, bytes);
		Backup verified = this.backups.verify(backup.id());
		assertThat(verified.status()).isEqualTo(BackupStatus.FAILED);
		assertThat(verified.error()).contains("verification failed").contains("checksum mismatch");
		assertThat(admin().get("/admin/backups/" + backup.id()).json().get("status").asString()).isEqualTo("FAILED");
	}

	@Test
	void anInterruptedBackupIsMarkedFailedAndItsOrphanObjectDeleted() throws Exception {
		UUID id = UUID.randomUUID();
		String orphanKey = "backups/full/2020/01/" + id + ".keel.gz";
		this.store.put(orphanKey, new java.io.ByteArrayInputStream(new byte[] { 1, 2, 3 }), "application/gzip");
		Path orphan = ((FilesystemObjectStore) this.store).root().resolve(orphanKey);
		Files.setLastModifiedTime(orphan, java.nio.file.attribute.FileTime.from(java.time.Instant.now().minusSeconds(7200)));
		try (Connection su = superuser("keel"); Statement s = su.createStatement()) {
			s.execute("insert into database_backups (id, type, status, started_at, heartbeat_at, triggered_by) values ('" + id
					+ "', 'FULL', 'IN_PROGRESS', now() - interval '1 hour', now() - interval '1 hour', 'test')");
		}
		Map<String, Object> done = this.cleanup.run();
		assertThat((Integer) done.get("interrupted")).isGreaterThanOrEqualTo(1);
		Backup after = this.backups.get(id);
		assertThat(after.status()).isEqualTo(BackupStatus.FAILED);
		assertThat(after.error()).startsWith("interrupted");
		assertThat(this.store.head(orphanKey)).isEmpty();
	}

	@Test
	void expiredBackupsLoseTheirObjectAndBecomeExpired() throws Exception {
		TestTenants.TestTenant a = TestTenants.create(this.port, "expire");
		Backup backup = this.backups.createNow(BackupType.TENANT, a.id(), "test");
		assertThat(this.store.head(backup.storageKey())).isPresent();
		try (Connection su = superuser("keel"); Statement s = su.createStatement()) {
			s.execute("update database_backups set expires_at = now() - interval '1 day' where id = '" + backup.id() + "'");
		}
		this.cleanup.run();
		assertThat(this.backups.get(backup.id()).status()).isEqualTo(BackupStatus.EXPIRED);
		assertThat(this.store.head(backup.storageKey())).isEmpty();
	}

	@Test
	void downloadStreamsTheObjectWithItsChecksum() throws Exception {
		TestTenants.TestTenant a = TestTenants.create(this.port, "download");
		Backup backup = this.backups.createNow(BackupType.TENANT, a.id(), "test");
		HttpResponse<byte[]> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
				URI.create("http://localhost:" + this.port + "/admin/backups/" + backup.id() + "/download"))
			.header("Authorization", "Bearer " + TestAdmin.bearerToken(this.port)).build(), HttpResponse.BodyHandlers.ofByteArray());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("X-Checksum-SHA256")).hasValue(backup.sha256());
		assertThat(response.headers().firstValue("Digest").orElseThrow()).startsWith("sha-256=");
		assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(response.body()))).isEqualTo(backup.sha256());
		assertThat(admin().get("/admin/backups?type=TENANT&tenantId=" + a.id()).json().get("items").get(0).get("id").asString())
			.isEqualTo(backup.id().toString());
		Http.Response summary = admin().get("/admin/backups/summary");
		assertThat(summary.status()).isEqualTo(200);
		assertThat(summary.body()).contains("TENANT").contains("totalSizeBytes");
	}

	@Test
	void badRequestsGetProblemsNamingTheRuleAndChangeNothing() throws Exception {
		assertThat(admin().get("/admin/backups/" + UUID.randomUUID()).status()).isEqualTo(404);
		Http.Response unknownType = admin().post("/admin/backup", Map.of("type", "WEEKLY"));
		assertThat(unknownType.status()).isEqualTo(400);
		assertThat(unknownType.json().get("errors").get(0).get("rule").asString()).isEqualTo("one-of");
		Http.Response noTenant = admin().post("/admin/backup", Map.of("type", "TENANT"));
		assertThat(noTenant.json().get("errors").get(0).get("field").asString()).isEqualTo("tenantId");

		TestTenants.TestTenant gone = TestTenants.create(this.port, "gone");
		admin().delete("/admin/tenants/" + gone.id());
		Http.Response deleted = admin().post("/admin/backup", Map.of("type", "TENANT", "tenantId", gone.id().toString()));
		assertThat(deleted.status()).isEqualTo(409);
		assertThat(deleted.json().get("errors").get(0).get("rule").asString()).isEqualTo("not-deleted");
		assertThat(admin().get("/admin/backups?tenantId=" + gone.id()).json().get("items")).isEmpty();
		Backup last = this.backups.createFinalTenantBackup(gone.id(), "purge");
		assertThat(last.status()).as("the purge's final backup of a deleted tenant").isEqualTo(BackupStatus.COMPLETED);

		Backup full = this.backups.createNow(BackupType.FULL, null, "test");
		String path = "/admin/backups/" + full.id() + "/restore";
		Http.Response wrongId = admin().post(path, Map.of("confirm", UUID.randomUUID().toString(), "targetUrl", jdbcUrl("nowhere")));
		assertThat(wrongId.status()).isEqualTo(400);
		assertThat(wrongId.json().get("type").asString()).endsWith("/backup-confirmation-mismatch");
		Http.Response live = admin().post(path, Map.of("confirm", full.id().toString(), "targetUrl", jdbcUrl(EmbeddedDatabase.DATABASE)));
		assertThat(live.status()).isEqualTo(409);
		assertThat(live.json().get("errors").get(0).get("rule").asString()).isEqualTo("live-database");
		String used = "keel_used_" + Long.toString(System.nanoTime(), 36);
		createDatabase(used);
		try (Connection c = superuser(used); Statement s = c.createStatement()) {
			s.execute("create table precious (id int)");
		}
		Http.Response notEmpty = admin().post(path, Map.of("confirm", full.id().toString(), "targetUrl", jdbcUrl(used)));
		assertThat(notEmpty.status()).isEqualTo(409);
		assertThat(notEmpty.json().get("errors").get(0).get("rule").asString()).isEqualTo("empty");
		try (Connection c = superuser(used); Statement s = c.createStatement()) {
			assertThat(count(s, "select count(*) from pg_tables where schemaname = 'public'")).isEqualTo(1);
		}
		Http.Response noVerify = admin().post("/admin/backups/" + UUID.randomUUID() + "/verify", null);
		assertThat(noVerify.status()).isEqualTo(404);
	}

	@Test
	void incrementalBackupsRecordTheWalPositionWithoutAnObject() {
		Backup checkpoint = this.backups.createNow(BackupType.INCREMENTAL, null, "test");
		assertThat(checkpoint.status()).as(String.valueOf(checkpoint.error())).isEqualTo(BackupStatus.COMPLETED);
		assertThat(checkpoint.storageKey()).isNull();
		assertThat(checkpoint.format()).isEqualTo("wal-checkpoint");
		assertThat((String) checkpoint.metadata().get("walLsn")).matches("[0-9A-F]+/[0-9A-F]+");
		Http.Response restore = admin().post("/admin/backups/" + checkpoint.id() + "/restore", Map.of("confirm", checkpoint.id().toString()));
		assertThat(restore.status()).isEqualTo(409);
		assertThat(restore.json().get("detail").asString()).contains("point-in-time");
	}

	@Test
	void verificationRequestedOverHttpRunsAsAJobAndMarksTheBackupVerified() throws Exception {
		TestTenants.TestTenant a = TestTenants.create(this.port, "verify-job");
		Backup backup = this.backups.createNow(BackupType.TENANT, a.id(), "test");
		Http.Response queued = admin().post("/admin/backups/" + backup.id() + "/verify", null);
		assertThat(queued.status()).isEqualTo(202);
		long deadline = System.currentTimeMillis() + 60_000;
		while (this.backups.get(backup.id()).status() != BackupStatus.VERIFIED && System.currentTimeMillis() < deadline) {
			Thread.sleep(200);
		}
		assertThat(this.backups.get(backup.id()).status()).isEqualTo(BackupStatus.VERIFIED);
		assertThat(admin().get("/admin/audit?limit=20").body()).contains("backup.verified");
	}

	@Test
	void keepMonthlyKeepsTheFirstFullBackupOfAMonthPastItsExpiry() throws Exception {
		Backup first = this.backups.createNow(BackupType.FULL, null, "test");
		Backup second = this.backups.createNow(BackupType.FULL, null, "test");
		try (Connection su = superuser("keel"); Statement s = su.createStatement()) {
			s.execute("update database_backups set started_at = '2001-03-02T00:00:00Z', expires_at = now() - interval '1 day' where id = '"
					+ first.id() + "'");
			s.execute("update database_backups set started_at = '2001-03-09T00:00:00Z', expires_at = now() - interval '1 day' where id = '"
					+ second.id() + "'");
		}
		BackupCleanup keepMonthly = new BackupCleanup(new BackupRepository(org.springframework.jdbc.core.simple.JdbcClient.create(
				new org.springframework.jdbc.datasource.DriverManagerDataSource(this.endpoints.owner().jdbcUrl(), this.endpoints.owner().user(),
						this.endpoints.owner().password()))), this.store, new BackupProperties(true, "0 2 * * *", 35, null, true),
				this.audit, (event) -> {
				}, java.time.Clock.systemUTC(), this.endpoints);
		keepMonthly.expire();
		assertThat(this.backups.get(first.id()).status()).isEqualTo(BackupStatus.COMPLETED);
		assertThat(this.store.head(first.storageKey())).isPresent();
		assertThat(this.backups.get(second.id()).status()).isEqualTo(BackupStatus.EXPIRED);
		assertThat(this.store.head(second.storageKey())).isEmpty();
	}

	private Backup awaitDone(UUID id) throws InterruptedException {
		long deadline = System.currentTimeMillis() + 60_000;
		Backup b = this.backups.get(id);
		while (b.status() == BackupStatus.IN_PROGRESS && System.currentTimeMillis() < deadline) {
			Thread.sleep(200);
			b = this.backups.get(id);
		}
		return b;
	}

	private String tenantChecksum(UUID tenant) throws Exception {
		try (Connection c = TargetDatabases.connect(this.endpoints.owner())) {
			return KeelSnapshot.checksums(c, tenant, KeelSnapshot.ReadMode.PER_TENANT).toString();
		}
	}

	private String jdbcUrl(String database) {
		return TargetDatabases.withDatabase(new ConnectionSettings(embedded().superuser(database).jdbcUrl().replaceAll("\\?.*", ""), null, null),
				database).jdbcUrl();
	}

	private static EmbeddedDatabase embedded() {
		return EmbeddedDatabase.start("target/test-postgres", false);
	}

	private void createDatabase(String name) throws SQLException {
		try (Connection c = superuser("postgres"); Statement s = c.createStatement()) {
			s.execute("create database " + name + " owner " + EmbeddedDatabase.OWNER_ROLE);
		}
	}

	private static Connection superuser(String database) throws SQLException {
		return TargetDatabases.connect(embedded().superuser(database));
	}

	private static long count(Statement s, String sql) throws SQLException {
		try (ResultSet rs = s.executeQuery(sql)) {
			rs.next();
			return rs.getLong(1);
		}
	}

}
