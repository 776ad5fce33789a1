package dev.keel.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.MDC;

import dev.keel.audit.AuditEntry;
import dev.keel.audit.AuditTrail;
import dev.keel.observability.LogContext;
import dev.keel.shared.KeelProblemException;
import dev.keel.tenancy.TenancyProblems;
import dev.keel.tenancy.TenantScope;
import dev.keel.tenancy.Tenants;

import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Login by tenant slug + email + password, refresh-token rotation and logout.
 * <p>
 * Failed logins are counted per account; reaching {@code MAX_LOGIN_ATTEMPTS} locks it for
 * {@code LOCKOUT_DURATION_MINUTES} (423, even with the right password) and is audited. Counters are
 * committed before the error is thrown, so a failed attempt always counts.
 * <p>
 * Refresh tokens are {@code <tenantId>.<256 random bits>}: the tenant part lets the lookup run under
 * that tenant's row-level security, only the SHA-256 of the whole token is stored. Each refresh spends
 * the token and issues the next of its family; presenting a spent token revokes the whole family
 * (a stolen token was used by someone else too).
 */
@Service
class Logins {

	private final Tenants tenants;

	private final UserRepository users;

	private final RefreshTokenRepository refreshTokens;

	private final AccessTokens accessTokens;

	private final PasswordEncoder encoder;

	private final TransactionTemplate tx;

	private final AuditTrail audit;

	private final IdentityProperties properties;

	private final Clock clock;

	private final MeterRegistry meters;

	private final String dummyHash;

	private final SecureRandom random = new SecureRandom();

	Logins(Tenants tenants, UserRepository users, RefreshTokenRepository refreshTokens, AccessTokens accessTokens,
			PasswordEncoder encoder, TransactionTemplate tx, AuditTrail audit, IdentityProperties properties, Clock clock,
			MeterRegistry meters) {
		this.tenants = tenants;
		this.users = users;
		this.refreshTokens = refreshTokens;
		this.accessTokens = accessTokens;
		this.encoder = encoder;
		this.tx = tx;
		this.audit = audit;
		this.properties = properties;
		this.clock = clock;
		this.meters = meters;
		// Compared against when the account does not exist, so timing does not reveal which emails exist.
		this.dummyHash = encoder.encode("keel-dummy-password-for-timing");
	}

	TokenPair login(String tenantSlug, String email, String password) {
		if (tenantSlug == null || email == null || password == null) {
			throw fail("missing", IdentityProblems.INVALID_CREDENTIALS, "tenant, email and password are required");
		}
		Optional<Tenants.Tenant> tenant = this.tenants.bySlug(tenantSlug).filter((t) -> !Tenants.Tenant.DELETED.equals(t.status()));
		if (tenant.isEmpty()) {
			this.encoder.matches(password, this.dummyHash);
			throw fail("failed", IdentityProblems.INVALID_CREDENTIALS, "Tenant, email or password is wrong");
		}
		if (Tenants.Tenant.SUSPENDED.equals(tenant.get().status())) {
			throw fail("suspended", TenancyProblems.TENANT_SUSPENDED, "Tenant '" + tenantSlug + "' is suspended");
		}
		UUID tenantId = tenant.get().id();
		Outcome outcome = TenantScope.call(tenantId, () -> this.tx.execute((s) -> attempt(email, password)));
		return switch (outcome) {
			case Outcome.Success ok -> {
				this.meters.counter("auth_login_total", "result", "success").increment();
				yield ok.pair();
			}
			case Outcome.Locked locked -> throw fail("locked", IdentityProblems.ACCOUNT_LOCKED,
					"The account is locked after too many failed logins; try again after " + locked.until(),
					Map.of("lockedUntil", locked.until().toString()));
			case Outcome.Failed f -> throw fail("failed", IdentityProblems.INVALID_CREDENTIALS, "Tenant, email or password is wrong");
		};
	}

	private Outcome attempt(String email, String password) {
		Optional<UserRepository.User> found = this.users.byEmail(email);
		if (found.isEmpty()) {
			this.encoder.matches(password, this.dummyHash);
			return new Outcome.Failed();
		}
		UserRepository.User user = found.get();
		Instant now = this.clock.instant();
		if (user.lockedUntil() != null && user.lockedUntil().isAfter(now)) {
			this.audit.record(user.tenantId(), AuditEntry.of("auth.login.locked", "user", user.id(), null, null).by(user.id(), user.email()));
			return new Outcome.Locked(user.lockedUntil());
		}
		if (!"active".equals(user.status()) || !this.encoder.matches(password, user.passwordHash())) {
			UserRepository.User after = this.users.recordFailedLogin(user.id(), this.properties.maxLoginAttempts(),
					now.plus(Duration.ofMinutes(this.properties.lockoutDurationMinutes())));
			this.audit.record(user.tenantId(), AuditEntry.of("auth.login.failed", "user", user.id(), null,
					Map.of("failedLogins", after.failedLogins())).by(user.id(), user.email()));
			if (after.lockedUntil() != null && after.lockedUntil().isAfter(now)) {
				this.audit.record(user.tenantId(), AuditEntry.of("auth.lockout", "user", user.id(), null,
						Map.of("lockedUntil", after.lockedUntil().toString())).by(user.id(), user.email()));
				return new Outcome.Locked(after.lockedUntil());
			}
			return new Outcome.Failed();
		}
		this.users.recordSuccessfulLogin(user.id());
		MDC.put(LogContext.USER_ID, user.id().toString());
		this.audit.record(user.tenantId(), AuditEntry.of("auth.login", "user", user.id(), null, null).by(user.id(), user.email()));
		return new Outcome.Success(issuePair(user, UUID.randomUUID()));
	}

	TokenPair refresh(String refreshToken) {
		UUID tenantId = tenantOf(refreshToken);
		String hash = sha256(refreshToken);
		Object result = TenantScope.call(tenantId, () -> this.tx.execute((s) -> {
			RefreshTokenRepository.Stored stored = this.refreshTokens.lockByHash(hash).orElse(null);
			if (stored == null) {
				return "unknown";
			}
			if (stored.used() || stored.revoked()) {
				int revoked = this.refreshTokens.revokeFamily(stored.familyId());
				this.audit.record(tenantId, AuditEntry.of("auth.refresh.reuse", "refresh-token-family", stored.familyId(), null,
						Map.of("revokedTokens", revoked)).by(stored.userId(), null));
				return "reused";
			}
			if (stored.expiresAt().isBefore(this.clock.instant())) {
				return "expired";
			}
			UserRepository.User user = this.users.byId(stored.userId()).filter((u) -> "active".equals(u.status())).orElse(null);
			Tenants.Tenant tenant = this.tenants.byId(tenantId).orElse(null);
			if (user == null || tenant == null || !tenant.active()) {
				this.refreshTokens.revokeFamily(stored.familyId());
				return "inactive";
			}
			this.refreshTokens.markUsed(stored.id());
			return issuePair(user, stored.familyId());
		}));
		if (result instanceof TokenPair pair) {
			return pair;
		}
		throw new KeelProblemException(IdentityProblems.INVALID_REFRESH_TOKEN, switch ((String) result) {
			case "reused" -> "This refresh token was already used; every token of its login has been revoked, sign in again";
			case "expired" -> "The refresh token has expired; sign in again";
			case "inactive" -> "The account or its tenant is no longer active";
			default -> "The refresh token is not valid";
		});
	}

	/** Revokes the family of {@code refreshToken}; unknown tokens are ignored (logout is idempotent). */
	void logout(String refreshToken) {
		UUID tenantId;
		try {
			tenantId = tenantOf(refreshToken);
		}
		catch (KeelProblemException ex) {
			return;
		}
		String hash = sha256(refreshToken);
		TenantScope.run(tenantId, () -> this.tx.executeWithoutResult((s) -> this.refreshTokens.lockByHash(hash).ifPresent((stored) -> {
			this.refreshTokens.revokeFamily(stored.familyId());
			this.audit.record(tenantId, AuditEntry.of("auth.logout", "refresh-token-family", stored.familyId(), null, null)
				.by(stored.userId(), null));
		})));
	}

	private TokenPair issuePair(UserRepository.User user, UUID familyId) {
		byte[] secret = new byte[32];
		this.random.nextBytes(secret);
		String refresh = user.tenantId() + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
		this.refreshTokens.insert(user.tenantId(), familyId, user.id(), sha256(refresh),
				this.clock.instant().plus(this.properties.refreshTokenTtl()));
		AccessTokens.Issued access = this.accessTokens.issue(user);
		return new TokenPair(access.token(), "Bearer", access.expiresIn(), refresh);
	}

	private static UUID tenantOf(String refreshToken) {
		if (refreshToken == null || refreshToken.indexOf('.') != 36) {
			throw new KeelProblemException(IdentityProblems.INVALID_REFRESH_TOKEN, "The refresh token is not valid");
		}
		try {
			return UUID.fromString(refreshToken.substring(0, 36));
		}
		catch (IllegalArgumentException ex) {
			throw new KeelProblemException(IdentityProblems.INVALID_REFRESH_TOKEN, "The refresh token is not valid");
		}
	}

	static String sha256(String value) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private KeelProblemException fail(String result, dev.keel.shared.ProblemType type, String detail) {
		return fail(result, type, detail, Map.of());
	}

	private KeelProblemException fail(String result, dev.keel.shared.ProblemType type, String detail, Map<String, Object> extensions) {
		this.meters.counter("auth_login_total", "result", result).increment();
		return new KeelProblemException(type, detail, java.util.List.of(), extensions);
	}

	/** The login response ({@code POST /api/auth/login}, {@code /refresh}). */
	record TokenPair(String accessToken, String tokenType, long expiresIn, String refreshToken) {
	}

	private sealed interface Outcome {

		record Success(TokenPair pair) implements Outcome {
		}

		record Locked(Instant until) implements Outcome {
		}

		record Failed() implements Outcome {
		}

	}

}
