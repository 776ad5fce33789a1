package dev.keel.identity;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import dev.keel.tenancy.TenantScope;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * SQL of the users table. Every call runs in a transaction bound to the caller's tenant; no query
 * filters by tenant itself, row-level security does (so a forgotten filter cannot leak).
 */
@Repository
class UserRepository {

	private static final String COLUMNS = "tenant_id, id, email, password_hash, roles, status, failed_logins, locked_until, created_at, updated_at";

	private final JdbcClient jdbc;

	UserRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	Optional<User> byEmail(String email) {
		return this.jdbc.sql("select " + COLUMNS + " from users where lower(email) = lower(?)").param(email).query(UserRepository::map).optional();
	}

	Optional<User> byId(UUID id) {
		return this.jdbc.sql("select " + COLUMNS + " from users where id = ?").param(id).query(UserRepository::map).optional();
	}

	/** Users ordered by email after {@code afterEmail}. */
	List<User> page(String afterEmail, int limit) {
		return this.jdbc.sql("select " + COLUMNS + " from users where (?::text is null or lower(email) > ?) order by lower(email) limit ?")
			.params(afterEmail, afterEmail, limit).query(UserRepository::map).list();
	}

	boolean anyWithRole(String role) {
		return this.jdbc.sql("select exists (select 1 from users where ? = any(roles) and status = 'active')").param(role)
			.query(Boolean.class).single();
	}

	User insert(String email, String passwordHash, List<String> roles) {
		return this.jdbc.sql("insert into users (tenant_id, id, email, password_hash, roles) values (?, ?, ?, ?, ?) returning " + COLUMNS)
			.params(TenantScope.current(), UUID.randomUUID(), email, passwordHash, roles.toArray(String[]::new))
			.query(UserRepository::map).single();
	}

	Optional<User> update(UUID id, List<String> roles, String status, String passwordHash) {
		return this.jdbc.sql("update users set roles = coalesce(?, roles), status = coalesce(?, status), "
				+ "password_hash = coalesce(?, password_hash), updated_at = now() where id = ? returning " + COLUMNS)
			.params((roles != null) ? roles.toArray(String[]::new) : null, status, passwordHash, id)
			.query(UserRepository::map).optional();
	}

	boolean delete(UUID id) {
		return this.jdbc.sql("delete from users where id = ?").param(id).update() == 1;
	}

	/** Counts a failed login; locks the account until {@code lockUntil} when it reaches {@code max}. Returns the row after. */
	User recordFailedLogin(UUID id, int max, Instant lockUntil) {
		return this.jdbc.sql("update users set failed_logins = case when failed_logins + 1 >= ? then 0 else failed_logins + 1 end, "
				+ "locked_until = case when failed_logins + 1 >= ? then ? else locked_until end where id = ? returning " + COLUMNS)
			.params(max, max, java.sql.Timestamp.from(lockUntil), id).query(UserRepository::map).single();
	}

	void recordSuccessfulLogin(UUID id) {
		this.jdbc.sql("update users set failed_logins = 0, locked_until = null where id = ?").param(id).update();
	}

	private static User map(ResultSet rs, int i) throws SQLException {
		var locked = rs.getTimestamp("locked_until");
		return new User(rs.getObject("tenant_id", UUID.class), rs.getObject("id", UUID.class), rs.getString("email"),
				rs.getString("password_hash"), List.of((String[]) rs.getArray("roles").getArray()), rs.getString("status"),
				rs.getInt("failed_logins"), (locked != null) ? locked.toInstant() : null, rs.getTimestamp("created_at").toInstant(),
				rs.getTimestamp("updated_at").toInstant());
	}

	/** A user row. */
	record User(UUID tenantId, UUID id, String email, String passwordHash, List<String> roles, String status, int failedLogins,
			Instant lockedUntil, Instant createdAt, Instant updatedAt) {

		/** The user as the API and the audit trail show it: never the hash. */
		UserView view() {
			return new UserView(this.id, this.tenantId, this.email, this.roles, this.status, this.createdAt, this.updatedAt);
		}

	}

	/** The public shape of a user. */
	record UserView(UUID id, UUID tenantId, String email, List<String> roles, String status, Instant createdAt, Instant updatedAt) {
	}

}
