package dev.keel.storage;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.keel.KeelTest;
import dev.keel.RawHttp;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/** A whole Keel on STORAGE_BACKEND=s3 against the shared s3proxy. */
@KeelTest
class S3BackendKeelTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@DynamicPropertySource
	static void s3(DynamicPropertyRegistry registry) {
		S3TestServer.shared().registerProperties(registry);
	}

	@LocalServerPort
	int port;

	@Autowired
	ObjectStore store;

	@Test
	void healthShowsStorageUpOnTheS3BucketWithoutCredentials() {
		S3TestServer server = S3TestServer.shared();
		HttpResponse<String> r = new RawHttp(this.port).get("/health");
		assertThat(r.statusCode()).isEqualTo(200);
		JsonNode storage = JSON.readTree(r.body()).get("checks").get("storage");
		assertThat(storage.get("status").asString()).isEqualTo("up");
		assertThat(storage.get("backend").asString()).isEqualTo("s3");
		assertThat(storage.get("latencyMs").isNumber()).isTrue();
		assertThat(storage.has("bucket")).as("bucket and endpoint are for admins only").isFalse();
		assertThat(r.body()).doesNotContain(server.secretKey()).doesNotContain(server.accessKey()).doesNotContain(server.bucket());
	}

	@Test
	void detailedHealthShowsBucketAndEndpointToAdminsWithoutCredentials() {
		S3TestServer server = S3TestServer.shared();
		HttpResponse<String> r = new RawHttp(this.port).get("/health/detailed", "Authorization", dev.keel.TestAdmin.authorization(this.port));
		assertThat(r.statusCode()).isEqualTo(200);
		JsonNode storage = JSON.readTree(r.body()).get("checks").get("storage");
		assertThat(storage.get("status").asString()).isEqualTo("up");
		assertThat(storage.get("bucket").asString()).isEqualTo(server.bucket());
		assertThat(storage.get("endpoint").asString()).isEqualTo("127.0.0.1:" + server.endpoint().getPort());
		assertThat(r.body()).doesNotContain(server.secretKey()).doesNotContain(server.accessKey());
	}

	@Test
	void theApplicationsObjectStoreWritesIntoTheBucket() throws Exception {
		S3TestServer server = S3TestServer.shared();
		assertThat(this.store.backend()).isEqualTo("s3");
		String key = StorageKeys.of("tenants", "keel-test-" + System.nanoTime(), "files", "hello.txt");
		this.store.put(key, ObjectStoreContract.text("hello"), "text/plain");
		assertThat(server.client().headObject((b) -> b.bucket(server.bucket()).key(key)).contentLength()).isEqualTo(5);
		this.store.delete(key);
	}

}
