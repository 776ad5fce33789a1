package dev.keel.backup;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
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
import dev.keel.database.EmbeddedDatabase;
import dev.keel.storage.ObjectStore;

import static org.assertj.core.api.Assertions.assertThat;

/** Tenant restores and the objects behind {@code files}: a clone owns copies, usage follows the restored rows. */
@KeelTest
@TestPropertySource(properties = "keel.storage.path=target/backup-test-storage")
class BackupTenantFilesTests {

	@LocalServerPort
	int port;

	@Autowired
	BackupManagement backups;

	@Autowired
	ObjectStore store;

	@Test
	void aCloneGetsItsOwnCopiesOfTheFilesAndBothModesRecomputeUsage() throws Exception {
		TestTenants.TestTenant a = TestTenants.create(this.port, "files-src");
		UUID fileId = UUID.randomUUID();
		String key = "tenants/" + a.id() + "/documents/" + fileId + "/original";
		byte[] bytes = "the file's bytes".getBytes();
		this.store.put(key, new ByteArrayInputStream(bytes), "application/pdf");
		sql("insert into files (tenant_id, id, original_name, name, content_type, size_bytes, sha256, category, status, storage_key) values ('"
				+ a.id() + "', '" + fileId + "', 'a.pdf', 'a.pdf', 'application/pdf', " + bytes.length + ", 'x', 'documents', 'stored', '" + key
				+ "')");
		sql("insert into file_usage (tenant_id, bytes, files) values ('" + a.id() + "', 999, 9)");
		Backup backup = this.backups.createNow(BackupType.TENANT, a.id(), "test");

		String newSlug = TestTenants.uniqueSlug("files-clone");
		Http.Response cloned = new Http(this.port).as(TestAdmin.bearerToken(this.port)).post("/admin/backups/" + backup.id() + "/restore",
				Map.of("confirm", a.slug(), "mode", "clone", "newSlug", newSlug));
		assertThat(cloned.status()).as(cloned.body()).isEqualTo(200);
		String cloneId = cloned.json().get("tenantId").asString();
		String cloneKey = query("select storage_key from files where tenant_id = '" + cloneId + "'");
		assertThat(cloneKey).isEqualTo("tenants/" + cloneId + "/documents/" + fileId + "/original");
		try (InputStream in = this.store.get(cloneKey)) {
			assertThat(in.readAllBytes()).isEqualTo(bytes);
		}
		assertThat(this.store.head(key)).as("the source keeps its object").isPresent();
		assertThat(query("select bytes || '/' || files from file_usage where tenant_id = '" + cloneId + "'")).isEqualTo(bytes.length + "/1");

		Http.Response replaced = new Http(this.port).as(TestAdmin.bearerToken(this.port)).post("/admin/backups/" + backup.id() + "/restore",
				Map.of("confirm", a.slug(), "mode", "replace"));
		assertThat(replaced.status()).as(replaced.body()).isEqualTo(200);
		assertThat(query("select bytes || '/' || files from file_usage where tenant_id = '" + a.id() + "'")).isEqualTo(bytes.length + "/1");
		assertThat(query("select storage_key from files where tenant_id = '" + a.id() + "'")).isEqualTo(key);
	}

	private static void sql(String sql) throws Exception {
		try (Connection c = TargetDatabases.connect(EmbeddedDatabase.start("target/test-postgres", false).superuser(EmbeddedDatabase.DATABASE));
				Statement s = c.createStatement()) {
			s.execute(sql);
		}
	}

	private static String query(String sql) throws Exception {
		try (Connection c = TargetDatabases.connect(EmbeddedDatabase.start("target/test-postgres", false).superuser(EmbeddedDatabase.DATABASE));
				Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
			return rs.next() ? rs.getString(1) : null;
		}
	}

}
