package dev.keel.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.keel.Http;
import dev.keel.KeelTest;
import dev.keel.TestTenants;

import org.springframework.boot.test.web.server.LocalServerPort;

@KeelTest
class IdentityTests {

	@LocalServerPort
	int port;

	private Http.Response login(String slug, String email, String password) {
		return new Http(this.port).post("/api/auth/login", Map.of("tenant", slug, "email", email, "password", password));
	}

	@Test
	void tenantAdminManagesUsersOfItsTenant() {
		TestTenants.TestTenant t = TestTenants.create(this.port, "users");
		Http api = t.http(this.port);
		Http.Response created = api.post("/api/users", Map.of("email", "ann@example.com", "password", "Long-enough-secret-1"));
		assertThat(created.status()).isEqualTo(201);
		assertThat(created.body()).doesNotContain("password").doesNotContain("$2a$");
		String id = created.json().get("id").asString();
		assertThat(created.json().get("roles").get(0).asString()).isEqualTo("member");
		assertThat(api.get("/api/users/" + id).json().get("email").asString()).isEqualTo("ann@example.com");
		Http.Response patched = api.patch("/api/users/" + id, Map.of("roles", List.of("tenant_admin")));
		assertThat(patched.status()).isEqualTo(200);
		assertThat(patched.json().get("roles").get(0).asString()).isEqualTo("tenant_admin");
		assertThat(api.get("/api/users?limit=10").json().get("items")).hasSize(2);
		assertThat(api.delete("/api/users/" + id).status()).isEqualTo(204);
		assertThat(api.get("/api/users/" + id).status()).isEqualTo(404);
		assertThat(api.post("/api/users", Map.of("email", t.adminEmail(), "password", "Long-enough-secret-1")).status()).isEqualTo(409);
	}

	@Test
	void passwordPolicyAndOtherFieldErrorsAreListedPerField() {
		TestTenants.TestTenant t = TestTenants.create(this.port, "policy");
		Http.Response bad = t.http(this.port).post("/api/users",
				Map.of("email", "not-an-email", "password", "short", "roles", List.of("platform_admin", "wizard")));
		assertThat(bad.status()).isEqualTo(400);
		List<String> fields = bad.json().get("errors").valueStream().map((e) -> e.get("field").asString() + ":" + e.get("rule").asString()).toList();
		assertThat(fields).contains("email:email", "password:min-length", "roles:platform-admin", "roles:oneOf");
	}

	@Test
	void membersReadOnlyThemselves() {
		TestTenants.TestTenant t = TestTenants.create(this.port, "member");
		t.http(this.port).post("/api/users", Map.of("email", "mo@example.com", "password", "Long-enough-secret-1"));
		String token = login(t.slug(), "mo@example.com", "Long-enough-secret-1").json().get("accessToken").asString();
		Http member = new Http(this.port).as(token);
		Http.Response me = member.get("/api/me");
		assertThat(me.status()).isEqualTo(200);
		assertThat(me.json().get("tenantSlug").asString()).isEqualTo(t.slug());
		assertThat(me.json().get("roles").get(0).asString()).isEqualTo("member");
		assertThat(member.get("/api/users").status()).isEqualTo(403);
		assertThat(member.get("/api/audit").status()).isEqualTo(403);
	}

	@Test
	void locksTheAccountAfterMaxFailedLoginsEvenForTheRightPasswordAndAuditsIt() {
		TestTenants.TestTenant t = TestTenants.create(this.port, "lock");
		for (int i = 1; i < 5; i++) {
			assertThat(login(t.slug(), t.adminEmail(), "wrong-password-" + i).status()).isEqualTo(401);
		}
		Http.Response fifth = login(t.slug(), t.adminEmail(), "wrong-password-5");
		assertThat(fifth.status()).isEqualTo(423);
		assertThat(fifth.json().get("type").asString()).endsWith("/account-locked");
		assertThat(fifth.json().get("lockedUntil").asString()).isNotBlank();
		Http.Response right = login(t.slug(), t.adminEmail(), TestTenants.PASSWORD);
		assertThat(right.status()).isEqualTo(423);
		Http.Response trail = t.http(this.port).get("/api/audit?limit=50");
		assertThat(trail.status()).isEqualTo(200);
		assertThat(trail.body()).contains("auth.lockout").contains("auth.login.locked").contains("auth.login.failed");
	}

	@Test
	void unknownTenantUnknownEmailAndWrongPasswordLookTheSame() {
		TestTenants.TestTenant t = TestTenants.create(this.port, "same");
		Http.Response noTenant = login("no-such-tenant-x", t.adminEmail(), TestTenants.PASSWORD);
		Http.Response noUser = login(t.slug(), "nobody@example.com", TestTenants.PASSWORD);
		assertThat(noTenant.status()).isEqualTo(401);
		assertThat(noUser.status()).isEqualTo(401);
		assertThat(noTenant.json().get("detail").asString()).isEqualTo(noUser.json().get("detail").asString());
	}

	@Test
	void refreshRotatesAndReuseOfASpentTokenRevokesTheWholeFamily() {
		TestTenants.TestTenant t = TestTenants.create(this.port, "refresh");
		Http.Response first = login(t.slug(), t.adminEmail(), TestTenants.PASSWORD);
		String r1 = first.json().get("refreshToken").asString();
		Http anon = new Http(this.port);
		Http.Response second = anon.post("/api/auth/refresh", Map.of("refreshToken", r1));
		assertThat(second.status()).isEqualTo(200);
		String r2 = second.json().get("refreshToken").asString();
		assertThat(r2).isNotEqualTo(r1);
		assertThat(new Http(this.port).as(second.json().get("accessToken").asString()).get("/api/me").status()).isEqualTo(200);
		Http.Response reuse = anon.post("/api/auth/refresh", Map.of("refreshToken", r1));
		assertThat(reuse.status()).isEqualTo(401);
		assertThat(reuse.json().get("type").asString()).endsWith("/invalid-refresh-token");
		// The family is gone: even the newest token no longer works.
		assertThat(anon.post("/api/auth/refresh", Map.of("refreshToken", r2)).status()).isEqualTo(401);
		assertThat(t.http(this.port).get("/api/audit").body()).contains("auth.refresh.reuse");
	}

	@Test
	void logoutRevokesTheRefreshFamily() {
		TestTenants.TestTenant t = TestTenants.create(this.port, "logout");
		String r1 = login(t.slug(), t.adminEmail(), TestTenants.PASSWORD).json().get("refreshToken").asString();
		Http anon = new Http(this.port);
		assertThat(anon.post("/api/auth/logout", Map.of("refreshToken", r1)).status()).isEqualTo(204);
		assertThat(anon.post("/api/auth/refresh", Map.of("refreshToken", r1)).status()).isEqualTo(401);
		assertThat(anon.post("/api/auth/refresh", Map.of("refreshToken", "garbage")).status()).isEqualTo(401);
	}

}
