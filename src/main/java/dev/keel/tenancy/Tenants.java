package dev.keel.tenancy;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The tenant registry (platform-level rows, not behind row-level security). All its SQL is here. */
@Repository
public class Tenants {

	private static final String COLUMNS = "id, slug, name, status, created_at, updated_at, deleted_at";

	private final JdbcClient jdbc;

	Tenants(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	public Optional<Tenant> bySlug(String slug) {
		return this.jdbc.sql("select " + COLUMNS + " from tenants where slug = ?").param(slug).query(Tenants::map).optional();
	}

	public Optional<Tenant> byId(UUID id) {
		return this.jdbc.sql("select " + COLUMNS + " from tenants where id = ?").param(id).query(Tenants::map).optional();
	}

	public Tenant create(String slug, String name) {
		return this.jdbc.sql("insert into tenants (id, slug, name) values (?, ?, ?) returning " + COLUMNS)
			.params(UUID.randomUUID(), slug, name).query(Tenants::map).single();
	}

	/** Tenants ordered by slug after {@code afterSlug}, {@code limit} rows, optionally of one status. */
	List<Tenant> page(String afterSlug, String status, int limit) {
		return this.jdbc.sql("select " + COLUMNS + " from tenants where (?::text is null or slug > ?) "
				+ "and (?::text is null or status = ?) order by slug limit ?")
			.params(afterSlug, afterSlug, status, status, limit).query(Tenants::map).list();
	}

	Optional<Tenant> setStatus(UUID id, String status) {
		return this.jdbc.sql("update tenants set status = ?, updated_at = now(), "
				+ "deleted_at = case when ? = 'deleted' then now() else deleted_at end where id = ? returning " + COLUMNS)
			.params(status, status, id).query(Tenants::map).optional();
	}

	/** Every tenant id, for platform work that visits each tenant in turn (audit verification, purges). */
	public List<UUID> allIds() {
		return this.jdbc.sql("select id from tenants order by id").query(UUID.class).list();
	}

	private static Tenant map(ResultSet rs, int i) throws SQLException {
		return new Tenant(rs.getObject("id", UUID.class), rs.getString("slug"), rs.getString("name"), rs.getString("status"),
				instant(rs.getTimestamp("created_at")), instant(rs.getTimestamp("updated_at")), instant(rs.getTimestamp("deleted_at")));
	}

	private static Instant instant(Timestamp t) {
		return (t != null) ? t.toInstant() : null;
	}

	/** A tenant as the registry holds it. */
	public record Tenant(UUID id, String slug, String name, String status, Instant createdAt, Instant updatedAt,
			Instant deletedAt) {

		public static final String ACTIVE = "active";

		public static final String SUSPENDED = "suspended";

		public static final String DELETED = "deleted";

		public boolean active() {
			return ACTIVE.equals(this.status);
		}

	}

}
