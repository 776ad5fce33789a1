package dev.keel.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

import dev.keel.Http;
import dev.keel.KeelTest;
import dev.keel.TestTenants;
import dev.keel.database.DatabaseEndpoints;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * The isolation suite. Two tenants with data; every tenant-scoped endpoint, DERIVED FROM THE REQUEST
 * MAPPINGS (so endpoints added later are covered without new cases), is called with tenant A's token:
 * on B's ids it must answer 404 and change nothing, its lists must hold only A's rows, and a spoofed
 * {@code X-Tenant-ID} must be refused. Below HTTP, raw SQL as the application role with no tenant bound
 * must see no rows of any tenant table and insert none.
 * <p>
 * A new resource {@code /api/things/{id}} is found automatically; the suite fetches one of B's ids from
 * its collection {@code GET /api/things}. If that list is empty the suite fails and names the endpoint:
 * seed B with one such row in {@link #seed} (the only place a new module touches this class).
 */
@KeelTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IsolationSuiteTests {

	/** Tenant-scoped: under /api, except the token endpoints which have no tenant yet. */
	private static final List<String> NOT_TENANT_SCOPED = List.of("/api/auth/");

	/** The smallest PDF the upload rules accept (sniffed as PDF, ends with %%EOF). */
	private static final String MINIMAL_PDF = "%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n";

	@LocalServerPort
	int port;

	@Autowired
	@Qualifier("requestMappingHandlerMapping")
	RequestMappingHandlerMapping mappings;

	@Autowired
	DatabaseEndpoints endpoints;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	org.springframework.transaction.support.TransactionTemplate tx;

	TestTenants.TestTenant a;

	TestTenants.TestTenant b;

	@BeforeAll
	void seed() {
		this.a = TestTenants.create(this.port, "iso-a");
		this.b = TestTenants.create(this.port, "iso-b");
		for (TestTenants.TestTenant t : List.of(this.a, this.b)) {
			Http.Response member = t.http(this.port).post("/api/users",
					Map.of("email", "member@" + t.slug() + ".test", "password", "Long-enough-secret-1"));
			assertThat(member.status()).isEqualTo(201);
			Http.Response file = dev.keel.Multipart.file("seed.pdf", "application/pdf", MINIMAL_PDF.getBytes(java.nio.charset.StandardCharsets.US_ASCII))
				.upload(t.http(this.port));
			assertThat(file.status()).as(file.body()).isEqualTo(201);
		}
	}

	/** Every (method, pattern) of a tenant-scoped endpoint, from Spring MVC's own registry. */
	private Map<String, Set<String>> tenantScopedEndpoints() {
		Map<String, Set<String>> byPattern = new TreeMap<>();
		for (RequestMappingInfo info : this.mappings.getHandlerMethods().keySet()) {
			for (String pattern : info.getPatternValues()) {
				if (!pattern.startsWith("/api/") || NOT_TENANT_SCOPED.stream().anyMatch(pattern::startsWith)) {
					continue;
				}
				Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
				Set<String> names = byPattern.computeIfAbsent(pattern, (p) -> new HashSet<>());
				if (methods.isEmpty()) {
					names.addAll(List.of("GET", "POST", "PUT", "PATCH", "DELETE"));
				}
				methods.forEach((m) -> names.add(m.name()));
			}
		}
		return byPattern;
	}

	@Test
	void theSuiteCoversTheKnownTenantScopedEndpoints() {
		assertThat(tenantScopedEndpoints()).containsKeys("/api/users", "/api/users/{id}", "/api/me", "/api/audit", "/api/files",
				"/api/files/{id}", "/api/files/{id}/content", "/api/files/{id}/signed-url");
	}

	@Test
	void anotherTenantsIdsAreNotFoundAndNothingChanges() {
		List<String> checked = new ArrayList<>();
		tenantScopedEndpoints().forEach((pattern, methods) -> {
			int variable = pattern.indexOf("/{");
			if (variable < 0) {
				return;
			}
			String collection = pattern.substring(0, variable);
			String bId = firstId(this.b.http(this.port).get(collection), collection);
			String path = pattern.substring(0, variable) + "/" + bId + pattern.substring(pattern.indexOf('}', variable) + 1)
				.replaceAll("\\{[^}]+}", bId);
			String before = this.b.http(this.port).get(collection + "/" + bId).body();
			for (String method : methods) {
				Object body = ("POST".equals(method) || "PUT".equals(method) || "PATCH".equals(method)) ? Map.of() : null;
				Http.Response response = this.a.http(this.port).send(method, path, body, (body != null) ? "application/json" : null);
				assertThat(response.status()).as(method + " " + path + " with tenant A's token: " + response.body()).isEqualTo(404);
				checked.add(method + " " + pattern);
			}
			assertThat(this.b.http(this.port).get(collection + "/" + bId).body()).as("B's row behind " + pattern + " is unchanged")
				.isEqualTo(before);
		});
		assertThat(checked).contains("GET /api/users/{id}", "PATCH /api/users/{id}", "DELETE /api/users/{id}", "GET /api/files/{id}/content",
				"GET /api/files/{id}/signed-url", "DELETE /api/files/{id}");
	}

	@Test
	void listsShowOnlyTheCallersOwnRows() {
		tenantScopedEndpoints().forEach((pattern, methods) -> {
			if (pattern.contains("{") || !methods.contains("GET")) {
				return;
			}
			Set<String> aIds = ids(this.a.http(this.port).get(pattern));
			Set<String> bIds = ids(this.b.http(this.port).get(pattern));
			// A summary without ids (e.g. /api/files/usage) lists no rows that could leak.
			assertThat(aIds).as("ids listed by " + pattern + " for A and B").doesNotContainAnyElementsOf(bIds.isEmpty() ? Set.of("") : bIds);
		});
		assertThat(ids(this.a.http(this.port).get("/api/users"))).contains(this.a.adminId().toString())
			.doesNotContain(this.b.adminId().toString());
		assertThat(ids(this.a.http(this.port).get("/api/files"))).hasSize(1).doesNotContainAnyElementsOf(ids(this.b.http(this.port).get("/api/files")));
	}

	@Test
	void aSpoofedTenantHeaderIsRefusedAndAudited() {
		tenantScopedEndpoints().forEach((pattern, methods) -> {
			if (pattern.contains("{") || !methods.contains("GET")) {
				return;
			}
			Http.Response response = this.a.http(this.port).header("X-Tenant-ID", this.b.id().toString()).get(pattern);
			assertThat(response.status()).as("GET " + pattern + " with X-Tenant-ID of B").isEqualTo(403);
			assertThat(response.json().get("type").asString()).endsWith("/tenant-mismatch");
		});
		assertThat(this.a.http(this.port).header("X-Tenant-ID", this.a.id().toString()).get("/api/me").status()).isEqualTo(200);
		assertThat(this.a.http(this.port).get("/api/audit?action=tenant.header-rejected").json().get("items").size()).isPositive();
	}

	@Test
	void rawSqlAsTheApplicationRoleWithoutATenantSeesNoRowsAndInsertsNone() throws SQLException {
		List<String> tables = this.jdbc.sql("""
				select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
				join pg_attribute a on a.attrelid = c.oid and a.attname = 'tenant_id'
				where c.relkind = 'r' and n.nspname = 'public'
				  and coalesce(obj_description(c.oid, 'pg_class'), '') not like 'keel:platform-level%'""").query(String.class).list();
		assertThat(tables).contains("users", "refresh_tokens", "audit_events", "files", "file_usage");
		try (Connection c = DriverManager.getConnection(this.endpoints.app().jdbcUrl(), this.endpoints.app().user(),
				this.endpoints.app().password())) {
			assertThat(c.getMetaData().getUserName()).isEqualTo(this.endpoints.app().user());
			for (String table : tables) {
				assertThat(count(c, table)).as("rows of " + table + " visible with no tenant bound").isZero();
			}
			try (Statement s = c.createStatement()) {
				s.execute("select set_config('app.tenant_id', '" + this.b.id() + "', false)");
			}
			assertThat(count(c, "users")).as("B's users when B is bound").isEqualTo(2);
			try (Statement s = c.createStatement()) {
				s.execute("select set_config('app.tenant_id', '', false)");
			}
			for (String table : tables) {
				assertThatThrownBy(() -> {
					try (PreparedStatement ps = c.prepareStatement("insert into " + table + " (tenant_id) values (?)")) {
						ps.setObject(1, this.b.id());
						ps.executeUpdate();
					}
				}).as("insert into " + table + " with no tenant bound").isInstanceOf(SQLException.class)
					.satisfiesAnyOf((ex) -> assertThat(((SQLException) ex).getSQLState()).isEqualTo("42501"));
			}
			try (Statement s = c.createStatement()) {
				s.execute("select set_config('app.tenant_id', '" + this.a.id() + "', false)");
			}
			assertThatThrownBy(() -> {
				try (PreparedStatement ps = c.prepareStatement(
						"insert into users (tenant_id, id, email, password_hash) values (?, ?, 'x@example.com', 'x')")) {
					ps.setObject(1, this.b.id());
					ps.setObject(2, UUID.randomUUID());
					ps.executeUpdate();
				}
			}).as("A writing a row into B").hasMessageContaining("row-level security");
			try (Statement s = c.createStatement()) {
				assertThat(s.executeUpdate("update users set email = email where tenant_id = '" + this.b.id() + "'")).isZero();
				assertThat(s.executeUpdate("delete from users where tenant_id = '" + this.b.id() + "'")).isZero();
			}
		}
	}

	@Test
	void aPooledConnectionDoesNotCarryATenantIntoTheNextUse() {
		Long inB = TenantScope.call(this.b.id(), () -> this.tx.execute((s) -> countUsers()));
		assertThat(inB).isEqualTo(2L);
		// The same pool, no tenant: neither a new transaction nor autocommit statements see B's rows.
		for (int i = 0; i < 20; i++) {
			Long unbound = this.tx.execute((s) -> countUsers());
			assertThat(unbound).isZero();
			assertThat(countUsers()).isZero();
		}
	}

	private long countUsers() {
		return this.jdbc.sql("select count(*) from users").query(Long.class).single();
	}

	private static long count(Connection c, String table) throws SQLException {
		try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select count(*) from " + table)) {
			rs.next();
			return rs.getLong(1);
		}
	}

	private static String firstId(Http.Response list, String collection) {
		assertThat(list.status()).as("GET " + collection + " as tenant B (the suite needs B's ids from it)").isEqualTo(200);
		Set<String> ids = ids(list);
		assertThat(ids).as("tenant B has no rows at " + collection + ": seed one in IsolationSuiteTests.seed()").isNotEmpty();
		return ids.iterator().next();
	}

	private static Set<String> ids(Http.Response response) {
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		JsonNode json = response.json();
		JsonNode items = json.has("items") ? json.get("items") : json;
		Set<String> ids = new java.util.LinkedHashSet<>();
		if (items.isArray()) {
			items.forEach((item) -> {
				if (item.has("id")) {
					ids.add(item.get("id").asString());
				}
			});
		}
		else if (json.has("userId")) {
			ids.add(json.get("userId").asString());
		}
		return ids;
	}

}
