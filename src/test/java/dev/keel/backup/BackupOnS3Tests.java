package dev.keel.backup;

import java.io.InputStream;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

import dev.keel.KeelTest;
import dev.keel.TestTenants;
import dev.keel.storage.S3TestServer;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Backups on {@code STORAGE_BACKEND=s3} (s3proxy): the snapshot is streamed into the bucket under
 * {@code backups/}, verified by a scratch restore read back from the bucket, and a byte flipped in the
 * bucket's object fails the verification.
 */
@KeelTest
class BackupOnS3Tests {

	@DynamicPropertySource
	static void s3(DynamicPropertyRegistry registry) {
		S3TestServer.shared().registerProperties(registry);
	}

	@LocalServerPort
	int port;

	@Autowired
	BackupManagement backups;

	@Test
	void fullBackupStreamsIntoTheBucketAndIsVerifiedFromIt() throws Exception {
		S3TestServer s3 = S3TestServer.shared();
		TestTenants.create(this.port, "s3-backup");
		Backup backup = this.backups.createNow(BackupType.FULL, null, "test");
		assertThat(backup.status()).as(String.valueOf(backup.error())).isEqualTo(BackupStatus.COMPLETED);
		var head = s3.client().headObject((b) -> b.bucket(s3.bucket()).key(backup.storageKey()));
		assertThat(head.contentLength()).isEqualTo(backup.sizeBytes());
		Backup verified = this.backups.verify(backup.id());
		assertThat(verified.status()).as(String.valueOf(verified.error())).isEqualTo(BackupStatus.VERIFIED);
	}

	@Test
	void aByteFlippedInTheBucketFailsVerification() throws Exception {
		S3TestServer s3 = S3TestServer.shared();
		TestTenants.TestTenant t = TestTenants.create(this.port, "s3-corrupt");
		Backup backup = this.backups.createNow(BackupType.TENANT, t.id(), "test");
		assertThat(backup.status()).as(String.valueOf(backup.error())).isEqualTo(BackupStatus.COMPLETED);
		byte[] bytes;
		try (InputStream in = s3.client().getObject((b) -> b.bucket(s3.bucket()).key(backup.storageKey()))) {
			bytes = in.readAllBytes();
		}
		bytes[bytes.length / 2] ^= 0x01;
		s3.client().putObject((b) -> b.bucket(s3.bucket()).key(backup.storageKey()), RequestBody.fromBytes(bytes));
		Backup verified = this.backups.verify(backup.id());
		assertThat(verified.status()).isEqualTo(BackupStatus.FAILED);
		assertThat(verified.error()).contains("checksum mismatch");
	}

}
