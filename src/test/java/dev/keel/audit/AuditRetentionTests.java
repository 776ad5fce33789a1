package dev.keel.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
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

/** The audit-cleanup job archives old records without breaking any chain, and nobody can delete them. */
@KeelTest
class AuditRetentionTests {

	@LocalServerPort
	int port;

	@Autowired
	DatabaseEndpoints endpoints;

	@Autowired
	AuditRetention retention;

	private Http admin() {
		return new Http(this.port).as(TestAdmin.bearerToken(this.port));
	}

	@Test
	void archivesOldRecordsKeepsTheNewestAndTheChainStaysVerifiable() throws SQLException {
		TestTenants.TestTenant t = TestTenants.create(this.port, "archive");
		Http api = t.http(this.port);
		for (int i = 0; i < 4; i++) {
			api.post("/api/users", Map.of("email", "a" + i + "@example.com", "password", "Long-enough-secret-1"));
		}
		int total = backdateWholeChain(t.id().toString(), 400);
		assertThat(total).isGreaterThanOrEqualTo(5);
		assertThat(admin().get("/admin/audit/verify?tenantId=" + t.id()).json().get("valid").asBoolean()).isTrue();

		assertThat(this.retention.archive()).isGreaterThanOrEqualTo(total - 1);

		try (Connection c = owner(t.id().toString()); Statement s = c.createStatement()) {
			assertThat(count(s, "select count(*) from audit_events")).as("the newest record stays live").isEqualTo(1);
			assertThat(count(s, "select count(*) from audit_events_archive")).isEqualTo(total - 1);
			assertThat(count(s, "select archived_through_seq from audit_chain_anchors")).isEqualTo(total - 1);
		}
		JsonNode verified = admin().get("/admin/audit/verify?tenantId=" + t.id()).json();
		assertThat(verified.get("valid").asBoolean()).as(verified.toString()).isTrue();
		// The chain goes on from the anchor.
		api.post("/api/users", Map.of("email", "after@example.com", "password", "Long-enough-secret-1"));
		assertThat(admin().get("/admin/audit/verify?tenantId=" + t.id()).json().get("valid").asBoolean()).isTrue();
		assertThat(admin().get("/admin/audit/verify?tenantId=" + t.id()).json().get("chains").get(0).get("records").asLong()).isEqualTo(2);
	}

	@Test
	void theApplicationRoleCannotArchiveRecentRecordsNorTouchTheArchive() throws SQLException {
		TestTenants.TestTenant t = TestTenants.create(this.port, "archiveguard");
		try (Connection c = DriverManager.getConnection(this.endpoints.app().jdbcUrl(), this.endpoints.app().user(),
				this.endpoints.app().password()); Statement s = c.createStatement()) {
			s.execute("select set_config('app.tenant_id', '" + t.id() + "', false)");
			long before = count(s, "select count(*) from audit_events");
			// Asking for "everything until tomorrow" still leaves anything younger than 30 days alone.
			assertThat(count(s, "select archive_audit_events(now() + interval '1 day', 10000)")).isZero();
			assertThat(count(s, "select count(*) from audit_events")).isEqualTo(before);
			assertThatThrownBy(() -> s.executeUpdate("delete from audit_events_archive")).hasMessageContaining("permission denied");
			assertThatThrownBy(() -> s.executeUpdate("insert into audit_chain_anchors values ('" + t.id() + "', 1, 'x', 1, now())"))
				.hasMessageContaining("permission denied");
			s.execute("select set_config('app.tenant_id', '', false)");
			assertThatThrownBy(() -> s.execute("select archive_audit_events(now(), 10)")).hasMessageContaining("needs a bound tenant");
		}
	}

	/** As the owner: moves a tenant's whole chain {@code days} into the past and re-links its hashes. */
	private int backdateWholeChain(String tenant, int days) throws SQLException {
		try (Connection c = owner(tenant)) {
			List<Long> seqs = new ArrayList<>();
			try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select seq from audit_events order by seq")) {
				while (rs.next()) {
					seqs.add(rs.getLong(1));
				}
			}
			String prev = "";
			for (long seq : seqs) {
				try (PreparedStatement ps = c.prepareStatement("update audit_events set occurred_at = occurred_at - make_interval(days => ?), "
						+ "prev_hash = ? where seq = ?")) {
					ps.setInt(1, days);
					ps.setString(2, prev);
					ps.setLong(3, seq);
					ps.executeUpdate();
				}
				try (PreparedStatement ps = c.prepareStatement("update audit_events set hash = encode(sha256(convert_to("
						+ AuditRepository.CANONICAL + ", 'UTF8')), 'hex') where seq = ? returning hash")) {
					ps.setLong(1, seq);
					try (ResultSet rs = ps.executeQuery()) {
						rs.next();
						prev = rs.getString(1);
					}
				}
			}
			return seqs.size();
		}
	}

	private Connection owner(String tenant) throws SQLException {
		Connection c = DriverManager.getConnection(this.endpoints.owner().jdbcUrl(), this.endpoints.owner().user(),
				this.endpoints.owner().password());
		try (Statement s = c.createStatement()) {
			s.execute("select set_config('app.tenant_id', '" + tenant + "', false)");
		}
		return c;
	}

	private static long count(Statement s, String sql) throws SQLException {
		try (ResultSet rs = s.executeQuery(sql)) {
			rs.next();
			return rs.getLong(1);
		}
	}

}
