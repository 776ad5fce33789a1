package dev.keel.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.keel.Http;
import dev.keel.KeelTest;
import dev.keel.TestAdmin;
import dev.keel.TestTenants;
import dev.keel.database.DatabaseEndpoints;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

@KeelTest
class AuditTrailTests {

	@LocalServerPort
	int port;

	@Autowired
	DatabaseEndpoints endpoints;

	private Http admin() {
		return new Http(this.port).as(TestAdmin.bearerToken(this.port));
	}

	@Test
	void recordsUserChangesWithRedactedBeforeAndAfterInTheTenantsOwnTrail() {
		TestTenants.TestTenant t = TestTenants.create(this.port, "audit");
		Http api = t.http(this.port);
		String id = api.post("/api/users", Map.of("email", "eve@example.com", "password", "Long-enough-secret-1")).json().get("id").asString();
		api.patch("/api/users/" + id, Map.of("roles", List.of("tenant_admin"), "password", "Another-long-secret-2"));
		JsonNode items = api.get("/api/audit?limit=50").json().get("items");
		JsonNode change = items.valueStream().filter((r) -> "user.roles-changed".equals(r.get("action").asString())).findFirst().orElseThrow();
		assertThat(change.get("resourceId").asString()).isEqualTo(id);
		assertThat(change.get("before").get("roles").get(0).asString()).isEqualTo("member");
		assertThat(change.get("after").get("password").asString()).isEqualTo("[REDACTED]");
		assertThat(change.get("actorId").asString()).isEqualTo(t.adminId().toString());
		assertThat(change.get("correlationId").asString()).isNotBlank();
		assertThat(change.get("ip").asString()).isNotBlank();
		assertThat(items.toString()).doesNotContain("Another-long-secret-2").doesNotContain("$2a$");
		assertThat(items.valueStream().map((r) -> r.get("tenantId").asString()).distinct().toList()).containsExactly(t.id().toString());
	}

	@Test
	void recordsTenantLifecycleInThePlatformTrail() {
		TestTenants.TestTenant t = TestTenants.create(this.port, "auditlife");
		admin().post("/admin/tenants/" + t.id() + "/suspend", null);
		String platform = admin().get("/admin/audit?limit=200").body();
		assertThat(platform).contains("tenant.created").contains("tenant.suspended").contains(t.id().toString());
		assertThat(admin().get("/admin/audit?tenantId=" + t.id()).body()).contains("user.created");
	}

	@Test
	void theApplicationRoleCanNeitherUpdateNorDeleteAuditRecords() throws SQLException {
		TestTenants.TestTenant t = TestTenants.create(this.port, "auditro");
		try (Connection c = DriverManager.getConnection(this.endpoints.app().jdbcUrl(), this.endpoints.app().user(), this.endpoints.app().password());
				Statement s = c.createStatement()) {
			s.execute("select set_config('app.tenant_id', '" + t.id() + "', false)");
			assertThatThrownBy(() -> s.executeUpdate("update audit_events set action = 'x'")).isInstanceOf(SQLException.class)
				.hasMessageContaining("permission denied");
			assertThatThrownBy(() -> s.executeUpdate("delete from audit_events")).isInstanceOf(SQLException.class)
				.hasMessageContaining("permission denied");
		}
	}

	@Test
	void verifyReportsTheFirstBrokenLinkAfterTamperingByTheOwner() throws SQLException {
		TestTenants.TestTenant t = TestTenants.create(this.port, "tamper");
		Http api = t.http(this.port);
		for (int i = 0; i < 3; i++) {
			api.post("/api/users", Map.of("email", "u" + i + "@example.com", "password", "Long-enough-secret-1"));
		}
		JsonNode clean = admin().get("/admin/audit/verify?tenantId=" + t.id()).json();
		assertThat(clean.get("valid").asBoolean()).isTrue();
		assertThat(clean.get("chains").get(0).get("records").asLong()).isGreaterThanOrEqualTo(4);
		try (Connection c = DriverManager.getConnection(this.endpoints.owner().jdbcUrl(), this.endpoints.owner().user(),
				this.endpoints.owner().password()); Statement s = c.createStatement()) {
			// Even the owner is subject to the forced policy: it has to bind the tenant to touch its rows.
			s.execute("select set_config('app.tenant_id', '" + t.id() + "', false)");
			assertThat(s.executeUpdate("update audit_events set after = '{\"email\":\"forged@example.com\"}' where seq = 3")).isEqualTo(1);
		}
		JsonNode tampered = admin().get("/admin/audit/verify?tenantId=" + t.id()).json();
		assertThat(tampered.get("valid").asBoolean()).isFalse();
		JsonNode broken = tampered.get("chains").get(0).get("firstBrokenLink");
		assertThat(broken.get("seq").asLong()).isEqualTo(3);
		assertThat(broken.get("reason").asString()).isEqualTo("hash-mismatch");
		JsonNode all = admin().get("/admin/audit/verify").json();
		assertThat(all.get("valid").asBoolean()).isFalse();
	}

	@Test
	void verifyReportsADeletedRecordAsABrokenLink() throws SQLException {
		TestTenants.TestTenant t = TestTenants.create(this.port, "tamperdel");
		Http api = t.http(this.port);
		api.post("/api/users", Map.of("email", "d1@example.com", "password", "Long-enough-secret-1"));
		api.post("/api/users", Map.of("email", "d2@example.com", "password", "Long-enough-secret-1"));
		try (Connection c = DriverManager.getConnection(this.endpoints.owner().jdbcUrl(), this.endpoints.owner().user(),
				this.endpoints.owner().password()); Statement s = c.createStatement()) {
			s.execute("select set_config('app.tenant_id', '" + t.id() + "', false)");
			s.executeUpdate("delete from audit_events where seq = 2");
		}
		JsonNode broken = admin().get("/admin/audit/verify?tenantId=" + t.id()).json().get("chains").get(0).get("firstBrokenLink");
		assertThat(broken.get("seq").asLong()).isEqualTo(3);
		assertThat(broken.get("reason").asString()).isEqualTo("prev-hash-mismatch");
	}

	@Test
	void tenantAdminsCannotReadThePlatformTrail() {
		TestTenants.TestTenant t = TestTenants.create(this.port, "auditno");
		assertThat(t.http(this.port).get("/admin/audit").status()).isEqualTo(403);
		assertThat(t.http(this.port).get("/admin/audit/verify").status()).isEqualTo(403);
	}

}
