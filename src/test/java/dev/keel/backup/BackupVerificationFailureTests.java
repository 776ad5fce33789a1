package dev.keel.backup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import dev.keel.Http;
import dev.keel.KeelTest;
import dev.keel.TestAdmin;
import dev.keel.TestTenants;
import dev.keel.audit.AuditTrail;
import dev.keel.database.DatabaseEndpoints;
import dev.keel.storage.FilesystemObjectStore;
import dev.keel.storage.ObjectStore;

import static org.assertj.core.api.Assertions.assertThat;

/** A verification that cannot run says nothing about the backup; a failed one keeps the evidence. */
@KeelTest
@TestPropertySource(properties = "keel.storage.path=target/backup-test-storage")
class BackupVerificationFailureTests {

	@LocalServerPort
	int port;

	@Autowired
	BackupManagement backups;

	@Autowired
	BackupCleanup cleanup;

	@Autowired
	BackupRepository repository;

	@Autowired
	BackupRunner runner;

	@Autowired
	DatabaseRestore restore;

	@Autowired
	ObjectStore store;

	@Autowired
	DatabaseEndpoints endpoints;

	@Autowired
	AuditTrail audit;

	@Test
	void aVerificationThatCannotCreateItsScratchDatabaseKeepsTheBackupCompletedAndItsObject() throws Exception {
		TestTenants.TestTenant a = TestTenants.create(this.port, "verify-infra");
		Backup backup = this.backups.createNow(BackupType.TENANT, a.id(), "test");
		assertThat(backup.status()).isEqualTo(BackupStatus.COMPLETED);
		java.util.List<Object> alerts = new java.util.ArrayList<>();
		// The application role has no CREATEDB: the scratch database cannot be created.
		DatabaseEndpoints noCreateDb = new DatabaseEndpoints(true, this.endpoints.app(), this.endpoints.app());
		BackupVerification verification = new BackupVerification(this.repository, this.runner, this.restore, noCreateDb, this.audit,
				alerts::add, Clock.systemUTC());
		verification.verify(backup);

		Backup after = this.backups.get(backup.id());
		assertThat(after.status()).isEqualTo(BackupStatus.COMPLETED);
		assertThat(after.metadata()).containsKey("lastVerificationError");
		assertThat(alerts).singleElement().isInstanceOfSatisfying(BackupFailed.class,
				(f) -> assertThat(f.stage()).isEqualTo("verify-infrastructure"));
		Http.Response shown = new Http(this.port).as(TestAdmin.bearerToken(this.port)).get("/admin/backups/" + backup.id());
		assertThat(shown.json().get("status").asString()).isEqualTo("COMPLETED");
		assertThat(shown.body()).contains("lastVerificationError").contains("permission denied");

		ageObject(backup.storageKey());
		this.cleanup.deleteOrphans();
		assertThat(this.store.head(backup.storageKey())).as("a completed backup's object survives cleanup").isPresent();

		Backup verified = this.backups.verify(backup.id());
		assertThat(verified.status()).isEqualTo(BackupStatus.VERIFIED);
		assertThat(verified.metadata()).as("a verification that ran clears the error").doesNotContainKey("lastVerificationError");
	}

	@Test
	void aBackupThatFailedVerificationOnItsContentKeepsItsObject() throws Exception {
		TestTenants.TestTenant a = TestTenants.create(this.port, "verify-content");
		Backup backup = this.backups.createNow(BackupType.TENANT, a.id(), "test");
		Path file = ((FilesystemObjectStore) this.store).root().resolve(backup.storageKey());
		byte[] bytes = Files.readAllBytes(file);
		bytes[bytes.length / 2] ^= 0x01;
		Files.write(file, bytes);
		assertThat(this.backups.verify(backup.id()).status()).isEqualTo(BackupStatus.FAILED);

		ageObject(backup.storageKey());
		Map<String, Object> done = this.cleanup.run();
		assertThat(done).containsKey("orphansDeleted");
		assertThat(this.store.head(backup.storageKey())).as("the evidence of a failed verification is kept").isPresent();
	}

	private void ageObject(String key) throws Exception {
		Path file = ((FilesystemObjectStore) this.store).root().resolve(key);
		Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(7200)));
	}

}
