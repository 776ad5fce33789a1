package dev.keel.backup;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import dev.keel.KeelTest;
import dev.keel.TestTenants;
import dev.keel.database.DatabaseEndpoints;
import dev.keel.database.EmbeddedDatabase;
import dev.keel.storage.FilesystemObjectStore;
import dev.keel.storage.ObjectStore;

import static org.assertj.core.api.Assertions.assertThat;

/** Cleanup leaves no usable-looking record without its object, and no scratch database behind. */
@KeelTest
@TestPropertySource(properties = "keel.storage.path=target/backup-test-storage")
class BackupCleanupTests {

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

	@Test
	void anExpiredBackupWhoseObjectCannotBeDeletedIsStillMarkedExpiredAndSweptLater() throws Exception {
		TestTenants.TestTenant a = TestTenants.create(this.port, "expire-fail");
		Backup backup = this.backups.createNow(BackupType.TENANT, a.id(), "test");
		try (Connection su = superuser("keel"); Statement s = su.createStatement()) {
			s.execute("update database_backups set expires_at = now() - interval '1 day' where id = '" + backup.id() + "'");
		}
		ObjectStore failingDelete = (ObjectStore) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
				new Class<?>[] { ObjectStore.class }, (proxy, method, args) -> {
					if (method.getName().equals("delete")) {
						throw new java.io.IOException("storage unavailable");
					}
					try {
						return method.invoke(this.store, args);
					}
					catch (java.lang.reflect.InvocationTargetException ex) {
						throw ex.getCause();
					}
				});
		BackupCleanup cleanup = new BackupCleanup(new BackupRepository(org.springframework.jdbc.core.simple.JdbcClient.create(
				new org.springframework.jdbc.datasource.DriverManagerDataSource(this.endpoints.owner().jdbcUrl(), this.endpoints.owner().user(),
						this.endpoints.owner().password()))), failingDelete, new BackupProperties(true, "0 2 * * *", 35, null, false),
				this.audit, (event) -> {
				}, java.time.Clock.systemUTC(), this.endpoints);
		cleanup.expire();
		assertThat(this.backups.get(backup.id()).status()).isEqualTo(BackupStatus.EXPIRED);
		assertThat(this.store.head(backup.storageKey())).isPresent();
		Files.setLastModifiedTime(((FilesystemObjectStore) this.store).root().resolve(backup.storageKey()),
				java.nio.file.attribute.FileTime.from(java.time.Instant.now().minusSeconds(7200)));
		this.cleanup.deleteOrphans();
		assertThat(this.store.head(backup.storageKey())).as("the orphan sweep removed the leftover").isEmpty();
	}

	@Test
	void scratchDatabasesLeftByACrashedVerificationAreDroppedOnceOldAndUnused() throws Exception {
		long old = java.time.Instant.now().minusSeconds(3 * 3600).getEpochSecond();
		String stale = "keel_verify_" + old + "_" + Long.toHexString(System.nanoTime());
		String busy = "keel_verify_" + old + "_" + Long.toHexString(System.nanoTime() + 1);
		String fresh = "keel_verify_" + java.time.Instant.now().getEpochSecond() + "_" + Long.toHexString(System.nanoTime() + 2);
		for (String db : List.of(stale, busy, fresh)) {
			createDatabase(db);
		}
		try (Connection inUse = superuser(busy)) {
			Map<String, Object> done = this.cleanup.run();
			assertThat((Integer) done.get("scratchDatabasesDropped")).isGreaterThanOrEqualTo(1);
		}
		try (Connection su = superuser("postgres"); Statement s = su.createStatement()) {
			assertThat(count(s, "select count(*) from pg_database where datname = '" + stale + "'")).as("stale and unused").isZero();
			assertThat(count(s, "select count(*) from pg_database where datname = '" + busy + "'")).as("connected").isEqualTo(1);
			assertThat(count(s, "select count(*) from pg_database where datname = '" + fresh + "'")).as("young").isEqualTo(1);
			s.execute("drop database " + busy + " with (force)");
			s.execute("drop database " + fresh);
		}
	}

	private void createDatabase(String name) throws SQLException {
		try (Connection c = superuser("postgres"); Statement s = c.createStatement()) {
			s.execute("create database " + name + " owner " + EmbeddedDatabase.OWNER_ROLE);
		}
	}

	private static Connection superuser(String database) throws SQLException {
		return TargetDatabases.connect(EmbeddedDatabase.start("target/test-postgres", false).superuser(database));
	}

	private static long count(Statement s, String sql) throws SQLException {
		try (ResultSet rs = s.executeQuery(sql)) {
			rs.next();
			return rs.getLong(1);
		}
	}

}
