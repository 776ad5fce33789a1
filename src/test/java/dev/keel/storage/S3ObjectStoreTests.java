package dev.keel.storage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The contract and the S3-specific behaviour, against a real S3 protocol server (s3proxy). */
class S3ObjectStoreTests extends ObjectStoreContract {

	/** The smallest part S3 (and s3proxy) accepts. */
	static final int PART = 5 * 1024 * 1024;

	static final S3TestServer SERVER = S3TestServer.shared();

	static final HttpClient HTTP = HttpClient.newHttpClient();

	String bucket;

	S3ObjectStore store;

	@BeforeEach
	void open() {
		this.bucket = SERVER.createBucket();
		this.store = SERVER.store(this.bucket, PART);
	}

	@AfterEach
	void close() {
		this.store.close();
	}

	@Override
	ObjectStore store() {
		return this.store;
	}

	@Test
	void streamLongerThanOnePartIsUploadedInPartsAndReadsBackWhole() throws IOException {
		byte[] data = random(2 * PART + 12_345);
		StoredObject stored = this.store.put("tenants/1/files/big.bin", new ByteArrayInputStream(data), "application/pdf");
		assertThat(stored.sizeBytes()).isEqualTo(data.length);
		assertThat(stored.sha256()).isEqualTo(Digests.hex(Digests.sha256().digest(data)));
		try (InputStream in = this.store.get("tenants/1/files/big.bin")) {
			assertThat(in.readAllBytes()).isEqualTo(data);
		}
		var head = SERVER.client().headObject((b) -> b.bucket(this.bucket).key("tenants/1/files/big.bin"));
		assertThat(head.eTag()).as("a multipart object's ETag counts its parts").endsWith("-3\"");
		assertThat(head.contentType()).isEqualTo("application/pdf");
	}

	@Test
	void streamOfExactlyOnePartIsStoredWhole() throws IOException {
		byte[] data = random(PART);
		assertThat(this.store.put("tenants/1/files/one-part.bin", new ByteArrayInputStream(data), null).sizeBytes()).isEqualTo(PART);
		try (InputStream in = this.store.get("tenants/1/files/one-part.bin")) {
			assertThat(in.readAllBytes()).isEqualTo(data);
		}
		assertThat(this.store.head("tenants/1/files/one-part.bin")).hasValueSatisfying((i) -> assertThat(i.contentType()).isEqualTo("application/octet-stream"));
	}

	@Test
	void failedUploadAbortsTheMultipartUploadAndLeavesNothing() throws IOException {
		this.store.put("tenants/1/files/kept.bin", ObjectStoreContract.text("previous"), "text/plain");
		InputStream failing = new SequenceInputStream(new ByteArrayInputStream(random(PART + PART / 2)), new InputStream() {
			@Override
			public int read() throws IOException {
				throw new IOException("client went away");
			}
		});
		assertThatThrownBy(() -> this.store.put("tenants/1/files/kept.bin", failing, "text/plain")).hasMessage("client went away");
		try (InputStream in = this.store.get("tenants/1/files/kept.bin")) {
			assertThat(new String(in.readAllBytes())).as("the previous object is untouched").isEqualTo("previous");
		}
		assertThat(SERVER.client().listMultipartUploads((b) -> b.bucket(this.bucket)).uploads()).as("no upload left behind").isEmpty();
	}

	@Test
	void presignedUrlDownloadsTheBytesAsAnAttachmentOverPlainHttp() throws Exception {
		byte[] data = random(70_000);
		this.store.put("tenants/7/files/42/report.pdf", new ByteArrayInputStream(data), "application/pdf");
		URI url = this.store.presign("tenants/7/files/42/report.pdf", Duration.ofMinutes(5), "Prüfbericht \"März\".pdf").orElseThrow();
		HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofByteArray());
		assertThat(r.statusCode()).isEqualTo(200);
		assertThat(r.body()).isEqualTo(data);
		assertThat(r.headers().firstValue("Content-Disposition"))
			.hasValue("attachment; filename=\"Prufbericht _Marz_.pdf\"; filename*=UTF-8''Pr%C3%BCfbericht%20%22M%C3%A4rz%22.pdf");
	}

	@Test
	void expiredPresignedUrlIsRefused() throws Exception {
		this.store.put("tenants/7/files/43/a.txt", ObjectStoreContract.text("secret"), "text/plain");
		URI url = this.store.presign("tenants/7/files/43/a.txt", Duration.ofSeconds(1), "a.txt").orElseThrow();
		Thread.sleep(2_500);
		HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofString());
		assertThat(r.statusCode()).isEqualTo(403);
		assertThat(r.body()).doesNotContain("secret");
	}

	@Test
	void tamperedPresignedUrlIsRefused() throws Exception {
		this.store.put("tenants/7/files/44/a.txt", ObjectStoreContract.text("secret"), "text/plain");
		this.store.put("tenants/8/files/44/a.txt", ObjectStoreContract.text("other tenant"), "text/plain");
		String url = this.store.presign("tenants/7/files/44/a.txt", Duration.ofMinutes(5), "a.txt").orElseThrow().toString();
		String signature = url.replaceAll(".*X-Amz-Signature=([0-9a-f]+).*", "$1");
		String flipped = signature.substring(0, signature.length() - 1) + (signature.endsWith("0") ? "1" : "0");
		for (String tampered : new String[] { url.replace(signature, flipped), url.replace("tenants/7/", "tenants/8/"),
				url.replace("X-Amz-Expires=300", "X-Amz-Expires=600") }) {
			HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(tampered)).build(), HttpResponse.BodyHandlers.ofString());
			assertThat(r.statusCode()).as(tampered).isEqualTo(403);
		}
	}

	@Test
	void presignCapsTheLifetimeAtSevenDaysAndValidatesTheKey() {
		URI url = this.store.presign("tenants/7/files/45/a.txt", Duration.ofDays(30), null).orElseThrow();
		assertThat(url.getRawQuery()).contains("X-Amz-Expires=604800").contains("filename%3D%22a.txt%22");
		assertThatThrownBy(() -> this.store.presign("tenants/../x", Duration.ofMinutes(1), "x")).isInstanceOf(InvalidStorageKeyException.class);
		assertThatThrownBy(() -> this.store.presign("tenants/7/a", Duration.ZERO, "x")).isInstanceOf(IllegalArgumentException.class);
	}

	@Test
	void wrongCredentialsGiveAClearErrorWithoutTheSecret() {
		String wrongSecret = "wrong-" + SERVER.secretKey();
		try (S3ObjectStore wrong = new S3ObjectStore(SERVER.connection(this.bucket, SERVER.accessKey(), wrongSecret, PART));
				S3ObjectStore unknown = new S3ObjectStore(SERVER.connection(this.bucket, "nobody", SERVER.secretKey(), PART))) {
			for (S3ObjectStore s : new S3ObjectStore[] { wrong, unknown }) {
				assertThatThrownBy(() -> s.put("tenants/1/x.txt", ObjectStoreContract.text("x"), "text/plain")).isInstanceOf(IOException.class)
					.hasMessageContaining("credentials were rejected")
					.hasMessageContaining("check S3_ACCESS_KEY and S3_SECRET_KEY")
					.hasMessageNotContaining(wrongSecret)
					.hasMessageNotContaining(SERVER.secretKey());
				assertThatThrownBy(() -> s.head("tenants/1/x.txt")).hasMessageContaining("check S3_ACCESS_KEY");
				assertThatThrownBy(s::checkBucket).hasMessageContaining("refuses these credentials");
			}
		}
	}

	@Test
	void missingBucketIsNamedInTheError() {
		try (S3ObjectStore missing = SERVER.store("keel-no-such-bucket", PART)) {
			assertThatThrownBy(() -> missing.put("tenants/1/x.txt", ObjectStoreContract.text("x"), "text/plain"))
				.hasMessageContaining("bucket 'keel-no-such-bucket' at 127.0.0.1:" + SERVER.endpoint().getPort())
				.hasMessageContaining("does not exist");
			assertThatThrownBy(missing::checkBucket).hasMessageContaining("does not exist");
			assertThatThrownBy(() -> missing.list("tenants/")).hasMessageContaining("does not exist");
		}
	}

	@Test
	void listingFollowsListObjectsPagesInKeyOrder() throws IOException {
		this.store.withListPageSize(2);
		for (String name : new String[] { "e", "a", "d", "c", "b" }) {
			this.store.put("tenants/2/files/" + name + ".txt", ObjectStoreContract.text(name), "text/plain");
		}
		try (var s = this.store.list("tenants/2/")) {
			assertThat(s.map(ObjectInfo::key)).containsExactly("tenants/2/files/a.txt", "tenants/2/files/b.txt", "tenants/2/files/c.txt",
					"tenants/2/files/d.txt", "tenants/2/files/e.txt");
		}
		assertThat(this.store.deleteAll("tenants/2/")).isEqualTo(5);
		assertThat(SERVER.client().listObjectsV2((b) -> b.bucket(this.bucket).prefix("tenants/2/")).contents()).isEmpty();
	}

	@Test
	void objectsThatAreNotKeelKeysAreNotListed() throws IOException {
		SERVER.client().putObject((b) -> b.bucket(this.bucket).key("tenants/3/.hidden"), software.amazon.awssdk.core.sync.RequestBody.fromString("x"));
		this.store.put("tenants/3/visible.txt", ObjectStoreContract.text("x"), "text/plain");
		try (var s = this.store.list("tenants/3/")) {
			assertThat(s.map(ObjectInfo::key)).containsExactly("tenants/3/visible.txt");
		}
	}

	static byte[] random(int n) {
		byte[] data = new byte[n];
		new Random(n).nextBytes(data);
		return data;
	}

}
