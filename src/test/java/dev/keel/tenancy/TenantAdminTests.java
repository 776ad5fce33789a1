package dev.keel.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.keel.Http;
import dev.keel.KeelTest;
import dev.keel.TestAdmin;
import dev.keel.TestTenants;

import org.springframework.boot.test.web.server.LocalServerPort;

@KeelTest
class TenantAdminTests {

	@LocalServerPort
	int port;

	Http admin() {
		return new Http(this.port).as(TestAdmin.bearerToken(this.port));
	}

	@Test
	void createsGetsAndListsTenants() {
		String slug = TestTenants.uniqueSlug("acme");
		Http.Response created = admin().post("/admin/tenants", Map.of("slug", slug, "name", "Acme"));
		assertThat(created.status()).isEqualTo(201);
		String id = created.json().get("id").asString();
		assertThat(created.json().get("status").asString()).isEqualTo("active");
		assertThat(admin().get("/admin/tenants/" + id).json().get("slug").asString()).isEqualTo(slug);
		Http.Response page = admin().get("/admin/tenants?limit=200");
		assertThat(page.status()).isEqualTo(200);
		assertThat(page.body()).contains(slug);
	}

	@Test
	void rejectsInvalidSlugsWithFieldErrors() {
		Http.Response upper = admin().post("/admin/tenants", Map.of("slug", "Acme", "name", "x"));
		assertThat(upper.status()).isEqualTo(400);
		assertThat(upper.json().get("errors").get(0).get("field").asString()).isEqualTo("slug");
		assertThat(upper.json().get("errors").get(0).get("rule").asString()).isEqualTo("lowercase");
		Http.Response shortAndNameless = admin().post("/admin/tenants", Map.of("slug", "ab"));
		assertThat(shortAndNameless.status()).isEqualTo(400);
		assertThat(shortAndNameless.json().get("errors")).hasSize(2);
		assertThat(admin().post("/admin/tenants", Map.of("slug", "-bad-", "name", "x")).json().get("errors").get(0).get("rule").asString())
			.isEqualTo("pattern");
		Http.Response duplicate = admin().post("/admin/tenants", Map.of("slug", "platform", "name", "x"));
		assertThat(duplicate.status()).isEqualTo(409);
		assertThat(duplicate.json().get("errors").get(0).get("rule").asString()).isEqualTo("unique");
	}

	@Test
	void suspendedTenantsUsersGetADistinctForbiddenProblemUntilResumed() {
		TestTenants.TestTenant t = TestTenants.create(this.port, "susp");
		assertThat(t.http(this.port).get("/api/me").status()).isEqualTo(200);
		assertThat(admin().post("/admin/tenants/" + t.id() + "/suspend", null).json().get("status").asString()).isEqualTo("suspended");
		Http.Response refused = t.http(this.port).get("/api/me");
		assertThat(refused.status()).isEqualTo(403);
		assertThat(refused.json().get("type").asString()).isEqualTo("https://keel.dev/problems/tenant-suspended");
		Http.Response login = new Http(this.port).post("/api/auth/login",
				Map.of("tenant", t.slug(), "email", t.adminEmail(), "password", TestTenants.PASSWORD));
		assertThat(login.status()).isEqualTo(403);
		assertThat(login.json().get("type").asString()).endsWith("/tenant-suspended");
		admin().post("/admin/tenants/" + t.id() + "/resume", null);
		assertThat(t.http(this.port).get("/api/me").status()).isEqualTo(200);
	}

	@Test
	void deletionIsSoftAndStopsTheTenantAtOnce() {
		TestTenants.TestTenant t = TestTenants.create(this.port, "del");
		Http.Response deleted = admin().delete("/admin/tenants/" + t.id());
		assertThat(deleted.status()).isEqualTo(202);
		assertThat(deleted.json().get("purgeAfter").asString()).isNotBlank();
		assertThat(admin().get("/admin/tenants/" + t.id()).json().get("status").asString()).isEqualTo("deleted");
		assertThat(t.http(this.port).get("/api/me").status()).isEqualTo(401);
		assertThat(new Http(this.port).post("/api/auth/login",
				Map.of("tenant", t.slug(), "email", t.adminEmail(), "password", TestTenants.PASSWORD)).status()).isEqualTo(401);
	}

	@Test
	void onlyPlatformAdminsReachTheTenantRegistry() {
		TestTenants.TestTenant t = TestTenants.create(this.port, "noadm");
		assertThat(t.http(this.port).get("/admin/tenants").status()).isEqualTo(403);
		assertThat(new Http(this.port).get("/admin/tenants").status()).isEqualTo(401);
		assertThat(admin().post("/admin/tenants/" + TenantScope.PLATFORM + "/suspend", null).status()).isEqualTo(409);
	}

}
