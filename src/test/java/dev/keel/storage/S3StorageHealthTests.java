package dev.keel.storage;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.keel.observability.HealthCheck;

import static org.assertj.core.api.Assertions.assertThat;

/** The storage health check on the S3 backend: failures explained, bucket and endpoint only in the admin detail. */
class S3StorageHealthTests {

	static final S3TestServer SERVER = S3TestServer.shared();

	@Test
	void healthyBucketIsUpWithEndpointAndBucketAndLeavesNoProbeObject() throws Exception {
		String bucket = SERVER.createBucket();
		try (S3ObjectStore store = SERVER.store(bucket, 5 * 1024 * 1024)) {
			HealthCheck check = new StorageConfiguration().storageHealthCheck(store);
			HealthCheck.Result r = check.check();
			assertThat(r.status()).isEqualTo(HealthCheck.Status.UP);
			assertThat(r.details()).containsEntry("backend", "s3").containsKey("latencyMs").doesNotContainKey("bucket");
			assertThat(check.detail()).containsEntry("bucket", bucket)
				.containsEntry("endpoint", "127.0.0.1:" + SERVER.endpoint().getPort())
				.containsKey("region");
			assertThat(SERVER.client().listObjectsV2((b) -> b.bucket(bucket)).contents()).isEmpty();
		}
	}

	@Test
	void missingBucketIsDownWithAnErrorNamingIt() throws Exception {
		try (S3ObjectStore store = SERVER.store("keel-missing-bucket", 5 * 1024 * 1024)) {
			HealthCheck.Result r = new StorageConfiguration().storageHealthCheck(store).check();
			assertThat(r.status()).isEqualTo(HealthCheck.Status.DOWN);
			assertThat(r.details()).containsEntry("backend", "s3");
			assertThat((String) r.details().get("error")).contains("bucket 'keel-missing-bucket'").contains("does not exist");
		}
	}

	@Test
	void rejectedCredentialsAreDownWithoutShowingThem() throws Exception {
		String secret = "not-" + SERVER.secretKey();
		try (S3ObjectStore store = new S3ObjectStore(SERVER.connection(SERVER.bucket(), SERVER.accessKey(), secret, 5 * 1024 * 1024))) {
			HealthCheck.Result r = new StorageConfiguration().storageHealthCheck(store).check();
			assertThat(r.status()).isEqualTo(HealthCheck.Status.DOWN);
			assertThat((String) r.details().get("error")).contains("refuses these credentials");
			assertThat(r.details().toString()).doesNotContain(secret).doesNotContain(SERVER.accessKey());
		}
	}

	@Test
	void connectionDescriptionNeverCarriesCredentials() {
		S3Connection c = SERVER.connection("b", "AKIAEXAMPLE", "very-secret-value", 8 * 1024 * 1024);
		assertThat(c.toString()).doesNotContain("very-secret-value").doesNotContain("AKIAEXAMPLE");
		assertThat(Map.copyOf(c.describe()).toString()).doesNotContain("very-secret-value").doesNotContain("AKIAEXAMPLE");
	}

}
