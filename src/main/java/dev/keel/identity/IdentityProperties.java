package dev.keel.identity;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Identity settings ({@code JWT_*}, {@code REFRESH_TOKEN_TTL}, {@code PASSWORD_*}, lockout, {@code BOOTSTRAP_*}).
 *
 * @param passwordHashCost bcrypt cost factor
 * @param passwordMinLength shortest password the policy accepts
 * @param bootstrapAdminEmail email of the first platform admin
 * @param bootstrapAdminPassword its password; empty = generated and printed once
 * @param maxLoginAttempts failed logins before lockout
 * @param lockoutDurationMinutes minutes a locked account stays locked
 * @param jwtSecret the current HS256 signing secret; empty in dev = a random per-process secret
 * @param jwtPreviousSecrets retired secrets that still verify during rotation (comma-separated)
 * @param jwtExpiresIn access token lifetime
 * @param jwtIssuer the {@code iss} claim written and demanded
 * @param jwtAudience the {@code aud} claim written and demanded
 * @param refreshTokenTtl refresh token lifetime
 */
@ConfigurationProperties("keel.identity")
public record IdentityProperties(@DefaultValue("12") int passwordHashCost, @DefaultValue("12") int passwordMinLength,
		@DefaultValue("admin@keel.local") String bootstrapAdminEmail, String bootstrapAdminPassword,
		@DefaultValue("5") int maxLoginAttempts, @DefaultValue("15") int lockoutDurationMinutes, String jwtSecret,
		List<String> jwtPreviousSecrets, @DefaultValue("15m") Duration jwtExpiresIn, @DefaultValue("keel") String jwtIssuer,
		@DefaultValue("keel-api") String jwtAudience, @DefaultValue("30d") Duration refreshTokenTtl) {

	public IdentityProperties {
		jwtPreviousSecrets = (jwtPreviousSecrets != null) ? jwtPreviousSecrets.stream().map(String::strip).filter((s) -> !s.isEmpty()).toList()
				: List.of();
	}

}
