package dev.keel.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

import dev.keel.Http;
import dev.keel.KeelTest;
import dev.keel.Multipart;
import dev.keel.TestAdmin;
import dev.keel.TestTenants;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Downloads across tenants and by signed link. */
@KeelTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FileSharingTests {

	@LocalServerPort
	int port;

	@Autowired
	SignedLinks links;

	TestTenants.TestTenant owner;

	TestTenants.TestTenant stranger;

	String fileId;

	@BeforeAll
	void upload() {
		this.owner = TestTenants.create(this.port, "share-a");
		this.stranger = TestTenants.create(this.port, "share-b");
		Http.Response r = Multipart.file("Quarterly report – Q3 \"final\".pdf", "application/pdf", TestFiles.pdf()).upload(this.owner.http(this.port));
		assertThat(r.status()).as(r.body()).isEqualTo(201);
		this.fileId = r.json().get("id").asString();
	}

	@Test
	void anotherTenantsFileIsNotFoundAndUntouched() {
		Http other = this.stranger.http(this.port);
		for (String path : new String[] { "", "/content", "/thumbnail", "/signed-url" }) {
			assertThat(other.get("/api/files/" + this.fileId + path).status()).as(path).isEqualTo(404);
		}
		assertThat(other.delete("/api/files/" + this.fileId).status()).isEqualTo(404);
		assertThat(other.get("/api/files").json().get("items").size()).isZero();
		assertThat(this.owner.http(this.port).get("/api/files/" + this.fileId).status()).isEqualTo(200);
	}

	@Test
	void aSignedLinkServesTheFileWithoutAuthenticationAsAnAttachment() {
		Http.Response signed = this.owner.http(this.port).get("/api/files/" + this.fileId + "/signed-url?ttl=600");
		assertThat(signed.status()).as(signed.body()).isEqualTo(200);
		JsonNode body = signed.json();
		Instant expiresAt = Instant.parse(body.get("expiresAt").asString());
		assertThat(expiresAt).isBetween(Instant.now().plusSeconds(590), Instant.now().plusSeconds(610));
		String path = URI.create(body.get("url").asString()).getPath();
		assertThat(path).startsWith("/files/signed/");
		HttpResponse<byte[]> content = new FileUploadTests().withPort(this.port).download(path, null);
		assertThat(content.statusCode()).isEqualTo(200);
		assertThat(content.body()).isEqualTo(TestFiles.pdf());
		assertThat(content.headers().firstValue("Content-Type")).contains("application/pdf");
		assertThat(content.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
		assertThat(content.headers().firstValue("Content-Disposition").orElseThrow())
			.isEqualTo("attachment; filename=\"Quarterly report _ Q3 _22final_22.pdf\"; "
					+ "filename*=UTF-8''Quarterly%20report%20%E2%80%93%20Q3%20%2522final%2522.pdf");
		String cache = content.headers().firstValue("Cache-Control").orElseThrow();
		assertThat(cache).contains("private").contains("max-age=");
		assertThat(Long.parseLong(cache.replaceAll(".*max-age=(\\d+).*", "$1"))).isBetween(1L, 600L);
		assertThat(this.owner.http(this.port).get("/api/audit?action=file.link-created").json().get("items").size()).isPositive();
	}

	@Test
	void aTamperedOrExpiredLinkIsForbidden() {
		String url = this.owner.http(this.port).get("/api/files/" + this.fileId + "/signed-url").json().get("url").asString();
		String token = url.substring(url.lastIndexOf('/') + 1);
		char last = token.charAt(20);
		String tampered = token.substring(0, 20) + ((last == 'A') ? 'B' : 'A') + token.substring(21);
		Http anonymous = new Http(this.port);
		Http.Response forged = anonymous.get("/files/signed/" + tampered);
		assertThat(forged.status()).isEqualTo(403);
		assertThat(forged.header("Content-Type")).startsWith("application/problem+json");
		assertThat(forged.json().get("type").asString()).endsWith("/signed-url-invalid");
		String expired = this.links.sign(this.owner.id(), UUID.fromString(this.fileId), Instant.now().minusSeconds(1));
		Http.Response late = anonymous.get("/files/signed/" + expired);
		assertThat(late.status()).isEqualTo(403);
		assertThat(late.json().get("detail").asString()).contains("expired");
		String otherTenant = this.links.sign(this.stranger.id(), UUID.fromString(this.fileId), Instant.now().plusSeconds(60));
		assertThat(anonymous.get("/files/signed/" + otherTenant).status()).as("a valid link to a file the tenant lacks").isEqualTo(404);
		assertThat(anonymous.get("/files/signed/not-a-token").status()).isEqualTo(403);
	}

	@Test
	void aSuspendedTenantsLinksStopWorkingUntilItIsResumed() {
		TestTenants.TestTenant t = TestTenants.create(this.port, "share-susp");
		Http.Response r = Multipart.file("minutes.pdf", "application/pdf", TestFiles.pdf()).upload(t.http(this.port));
		assertThat(r.status()).as(r.body()).isEqualTo(201);
		String url = t.http(this.port).get("/api/files/" + r.json().get("id").asString() + "/signed-url?ttl=600").json().get("url").asString();
		String path = URI.create(url).getPath();
		Http anonymous = new Http(this.port);
		assertThat(anonymous.get(path).status()).isEqualTo(200);
		Http admin = new Http(this.port).as(TestAdmin.bearerToken(this.port));
		assertThat(admin.post("/admin/tenants/" + t.id() + "/suspend", null).status()).isEqualTo(200);
		Http.Response refused = anonymous.get(path);
		assertThat(refused.status()).as(refused.body()).isEqualTo(403);
		assertThat(refused.json().get("type").asString()).endsWith("/signed-url-invalid");
		assertThat(admin.post("/admin/tenants/" + t.id() + "/resume", null).status()).isEqualTo(200);
		assertThat(anonymous.get(path).status()).isEqualTo(200);
	}

	@Test
	void theLinkLifetimeIsValidated() {
		Http http = this.owner.http(this.port);
		Http.Response bad = http.get("/api/files/" + this.fileId + "/signed-url?ttl=soon");
		assertThat(bad.status()).isEqualTo(400);
		assertThat(bad.json().get("errors").get(0).get("rule").asString()).isEqualTo("format");
		Http.Response tooLong = http.get("/api/files/" + this.fileId + "/signed-url?ttl=8d");
		assertThat(tooLong.status()).isEqualTo(400);
		assertThat(tooLong.json().get("errors").get(0).get("rule").asString()).isEqualTo("max");
		assertThat(http.get("/api/files/" + this.fileId + "/signed-url?ttl=0").status()).isEqualTo(400);
		assertThat(http.get("/api/files/" + this.fileId + "/signed-url?ttl=7d").status()).isEqualTo(200);
	}

}
