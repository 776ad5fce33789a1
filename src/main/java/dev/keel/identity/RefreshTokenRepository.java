package dev.keel.identity;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL of refresh tokens (tenant-owned, behind row-level security; only hashes are stored). */
@Repository
class RefreshTokenRepository {

	private final JdbcClient jdbc;

	RefreshTokenRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	void insert(UUID tenantId, UUID familyId, UUID userId, String hash, Instant expiresAt) {
		this.jdbc.sql("insert into refresh_tokens (tenant_id, id, family_id, user_id, token_hash, expires_at) values (?, ?, ?, ?, ?, ?)")
			.params(tenantId, UUID.randomUUID(), familyId, userId, hash, Timestamp.from(expiresAt)).update();
	}

	/** Locks the token's row so two concurrent refreshes of one token cannot both succeed. */
	Optional<Stored> lockByHash(String hash) {
		return this.jdbc.sql("select id, family_id, user_id, expires_at, used_at, revoked_at from refresh_tokens where token_hash = ? for update")
			.param(hash)
			.query((rs, i) -> new Stored(rs.getObject("id", UUID.class), rs.getObject("family_id", UUID.class),
					rs.getObject("user_id", UUID.class), rs.getTimestamp("expires_at").toInstant(), rs.getTimestamp("used_at") != null,
					rs.getTimestamp("revoked_at") != null))
			.optional();
	}

	void markUsed(UUID id) {
		this.jdbc.sql("update refresh_tokens set used_at = now() where id = ?").param(id).update();
	}

	int revokeFamily(UUID familyId) {
		return this.jdbc.sql("update refresh_tokens set revoked_at = now() where family_id = ? and revoked_at is null").param(familyId).update();
	}

	/** A stored refresh token. */
	record Stored(UUID id, UUID familyId, UUID userId, Instant expiresAt, boolean used, boolean revoked) {
	}

}
