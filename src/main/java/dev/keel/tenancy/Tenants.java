package dev.keel.tenancy;

import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The tenant registry (platform-level rows, not behind row-level security). */
@Repository
public class Tenants {

	private final JdbcClient jdbc;

	Tenants(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	public Optional<Tenant> bySlug(String slug) {
		return this.jdbc.sql("select id, slug, name, status from tenants where slug = ?").param(slug)
			.query((rs, i) -> new Tenant(rs.getObject("id", UUID.class), rs.getString("slug"), rs.getString("name"), rs.getString("status")))
			.optional();
	}

	public Tenant create(String slug, String name) {
		UUID id = UUID.randomUUID();
		this.jdbc.sql("insert into tenants (id, slug, name) values (?, ?, ?)").params(id, slug, name).update();
		return new Tenant(id, slug, name, "active");
	}

	/** A tenant as the registry holds it. */
	public record Tenant(UUID id, String slug, String name, String status) {
	}

}
