package dev.keel.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

import dev.keel.Http;
import dev.keel.KeelTest;
import dev.keel.Multipart;
import dev.keel.TestTenants;
import dev.keel.storage.Digests;

import dev.keel.storage.ObjectStore;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * Scanning on, against a real clamd started by the test ({@link Clamd}); also a 1 MB tenant quota and
 * image optimisation off, which need a context of their own as well.
 */
@KeelTest
@TestPropertySource(properties = { "VIRUS_SCAN_ENABLED=true", "CLAMD_TIMEOUT=3000", "FILES_TENANT_QUOTA_MB=1",
		"FEATURE_IMAGE_OPTIMIZATION=false" })
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FileScanningTests {

	@LocalServerPort
	int port;

	@Autowired
	ObjectStore store;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TransactionTemplate tx;

	TestTenants.TestTenant tenant;

	FileUploadTests helpers;

	@DynamicPropertySource
	static void clamd(DynamicPropertyRegistry registry) {
		// The keel.* names: dynamic properties are added after the catalog maps environment names.
		registry.add("keel.files.clamd-host", () -> "127.0.0.1");
		registry.add("keel.files.clamd-port", () -> String.valueOf(Clamd.shared().port()));
	}

	@BeforeAll
	void tenant() {
		this.tenant = TestTenants.create(this.port, "scan");
		this.helpers = new FileUploadTests().withPort(this.port);
		this.helpers.store = this.store;
		this.helpers.jdbc = this.jdbc;
		this.helpers.tx = this.tx;
	}

	@Test
	void anInfectedFileIs422AuditedWithTheSignatureAndNotKept() {
		TestTenants.TestTenant t = TestTenants.create(this.port, "scan-eicar");
		// EICAR inside a PDF body: passes every format rule, so only the scanner can catch it.
		byte[] pdf = new String(TestFiles.pdf(), StandardCharsets.US_ASCII)
			.replace("%PDF-1.4\n", "%PDF-1.4\n" + TestFiles.EICAR + "\n").getBytes(StandardCharsets.US_ASCII);
		Http.Response r = Multipart.file("innocent.pdf", "application/pdf", pdf).upload(t.http(this.port));
		assertThat(r.status()).as(r.body()).isEqualTo(422);
		JsonNode problem = r.json();
		assertThat(problem.get("type").asString()).endsWith("/upload-infected");
		assertThat(problem.get("signature").asString()).startsWith(Clamd.SIGNATURE);
		assertThat(this.helpers.objects(t)).isEmpty();
		assertThat(this.helpers.rows(t)).isZero();
		JsonNode audit = t.http(this.port).get("/api/audit?action=file.infected").json().get("items");
		assertThat(audit.size()).isEqualTo(1);
		assertThat(audit.get(0).get("after").get("signature").asString()).startsWith(Clamd.SIGNATURE);
	}

	@Test
	void cleanFilesPassTheScannerAndImagesAreKeptAsUploadedWhenOptimisationIsOff() {
		byte[] png = TestFiles.png(300, 200);
		Http.Response r = Multipart.file("clean.png", "image/png", png).upload(this.tenant.http(this.port));
		assertThat(r.status()).as(r.body()).isEqualTo(201);
		assertThat(r.json().get("status").asString()).isEqualTo("stored");
		assertThat(r.json().get("thumbnailUrl").isNull()).isTrue();
		String id = r.json().get("id").asString();
		byte[] stored = this.helpers.download("/api/files/" + id + "/content", this.tenant.token()).body();
		assertThat(Digests.hex(Digests.sha256().digest(stored))).isEqualTo(Digests.hex(Digests.sha256().digest(png)));
	}

	@Test
	void theScannerShowsInHealth() {
		awaitScanner("up");
	}

	@Test
	void theQuotaRefusesAnUploadThatWouldPassIt() {
		TestTenants.TestTenant t = TestTenants.create(this.port, "scan-quota");
		byte[] pdf = TestFiles.pdf();
		byte[] half = TestFiles.concat(pdf, new byte[0]);
		byte[] big = new String(pdf, StandardCharsets.US_ASCII).replace("%PDF-1.4\n", "%PDF-1.4\n%" + "x".repeat(600 * 1024) + "\n")
			.getBytes(StandardCharsets.US_ASCII);
		assertThat(Multipart.file("one.pdf", "application/pdf", big).upload(t.http(this.port)).status()).isEqualTo(201);
		Http.Response second = Multipart.file("two.pdf", "application/pdf", big).upload(t.http(this.port));
		assertThat(second.status()).as(second.body()).isEqualTo(507);
		assertThat(second.json().get("type").asString()).endsWith("/storage-quota-exceeded");
		assertThat(second.json().get("errors").get(0).get("rule").asString()).isEqualTo("quota");
		assertThat(Multipart.file("small.pdf", "application/pdf", half).upload(t.http(this.port)).status()).isEqualTo(201);
		assertThat(this.helpers.objects(t)).hasSize(2);
		assertThat(t.http(this.port).get("/api/files/usage").json().get("bytes").asLong()).isEqualTo(big.length + half.length);
	}

	@Test
	void whenClamdIsDownUploadsFailClosedWith503() {
		TestTenants.TestTenant t = TestTenants.create(this.port, "scan-down");
		Clamd.shared().stop();
		try {
			Http.Response r = Multipart.file("report.pdf", "application/pdf", TestFiles.pdf()).upload(t.http(this.port));
			assertThat(r.status()).as(r.body()).isEqualTo(503);
			assertThat(r.json().get("type").asString()).endsWith("/virus-scanner-unavailable");
			assertThat(this.helpers.objects(t)).isEmpty();
			assertThat(this.helpers.rows(t)).isZero();
			awaitScanner("down");
		}
		finally {
			Clamd.shared().start();
		}
		assertThat(Multipart.file("report.pdf", "application/pdf", TestFiles.pdf()).upload(t.http(this.port)).status()).isEqualTo(201);
	}

	/** /health caches its report for a second. */
	void awaitScanner(String status) {
		org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).pollInterval(java.time.Duration.ofMillis(200))
			.untilAsserted(() -> assertThat(new Http(this.port).get("/health").json().get("checks").get("virusScanner").get("status").asString())
				.isEqualTo(status));
	}

}
