package dev.keel.files;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.keel.Http;
import dev.keel.KeelTest;
import dev.keel.Multipart;
import dev.keel.TestTenants;
import dev.keel.storage.S3TestServer;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The file pipeline on {@code STORAGE_BACKEND=s3} against s3proxy, which checks SigV4 signatures and
 * expiry: objects land under the tenant's key, share links are the bucket's presigned URLs, and a
 * tampered or expired one is refused by the store itself.
 */
@KeelTest
class FilesOnS3Tests {

	@DynamicPropertySource
	static void s3(DynamicPropertyRegistry registry) {
		S3TestServer.shared().registerProperties(registry);
	}

	@LocalServerPort
	int port;

	@Test
	void uploadsLandInTheBucketAndShareLinksArePresignedByIt() throws Exception {
		S3TestServer s3 = S3TestServer.shared();
		TestTenants.TestTenant t = TestTenants.create(this.port, "files-s3");
		Http.Response r = Multipart.file("contract.pdf", "application/pdf", TestFiles.pdf()).upload(t.http(this.port));
		assertThat(r.status()).as(r.body()).isEqualTo(201);
		String id = r.json().get("id").asString();
		var objects = s3.client().listObjectsV2((b) -> b.bucket(s3.bucket()).prefix("tenants/" + t.id() + "/")).contents();
		assertThat(objects).hasSize(1);
		assertThat(objects.get(0).key()).endsWith("/" + id + "/contract.pdf");

		JsonNode link = t.http(this.port).get("/api/files/" + id + "/signed-url?ttl=60").json();
		URI url = URI.create(link.get("url").asString());
		assertThat(url.getPort()).as("the bucket's presigned URL, not Keel's own link").isEqualTo(s3.endpoint().getPort());
		assertThat(url.getQuery()).contains("X-Amz-Signature=").contains("X-Amz-Expires=60");
		HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
		HttpResponse<byte[]> ok = client.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofByteArray());
		assertThat(ok.statusCode()).isEqualTo(200);
		assertThat(ok.body()).isEqualTo(TestFiles.pdf());
		assertThat(ok.headers().firstValue("Content-Disposition").orElseThrow()).startsWith("attachment; filename=\"contract.pdf\"");

		String tampered = flipLastSignatureDigit(url.toString());
		HttpResponse<String> refused = client.send(HttpRequest.newBuilder(URI.create(tampered)).build(), HttpResponse.BodyHandlers.ofString());
		assertThat(refused.statusCode()).isEqualTo(403);

		assertThat(t.http(this.port).delete("/api/files/" + id).status()).isEqualTo(204);
		assertThat(s3.client().listObjectsV2((b) -> b.bucket(s3.bucket()).prefix("tenants/" + t.id() + "/")).contents()).isEmpty();
	}

	private static String flipLastSignatureDigit(String url) {
		java.util.regex.Matcher m = java.util.regex.Pattern.compile("X-Amz-Signature=([0-9a-f]+)").matcher(url);
		assertThat(m.find()).isTrue();
		char last = url.charAt(m.end(1) - 1);
		return url.substring(0, m.end(1) - 1) + ((last == '0') ? '1' : '0') + url.substring(m.end(1));
	}

}
