package dev.keel.identity;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import dev.keel.tenancy.TenantScope;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL of the users table. Every call runs in a transaction bound to the caller's tenant. */
@Repository
class UserRepository {

	private final JdbcClient jdbc;

	UserRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	Optional<User> byEmail(String email) {
		return this.jdbc.sql("select tenant_id, id, email, password_hash, roles, status from users where lower(email) = lower(?)")
			.param(email)
			.query((rs, i) -> new User(rs.getObject("tenant_id", UUID.class), rs.getObject("id", UUID.class), rs.getString("email"),
					rs.getString("password_hash"), List.of((String[]) rs.getArray("roles").getArray()), rs.getString("status")))
			.optional();
	}

	boolean anyWithRole(String role) {
		return this.jdbc.sql("select exists (select 1 from users where ? = any(roles) and status = 'active')").param(role)
			.query(Boolean.class).single();
	}

	User insert(String email, String passwordHash, List<String> roles) {
		UUID id = UUID.randomUUID();
		UUID tenant = TenantScope.current();
		this.jdbc.sql("insert into users (tenant_id, id, email, password_hash, roles) values (?, ?, ?, ?, ?)")
			.params(tenant, id, email, passwordHash, roles.toArray(String[]::new)).update();
		return new User(tenant, id, email, passwordHash, roles, "active");
	}

	/** A user row. */
	record User(UUID tenantId, UUID id, String email, String passwordHash, List<String> roles, String status) {
	}

}
