package dev.keel.identity;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Identity settings ({@code PASSWORD_HASH_COST}, {@code BOOTSTRAP_*}, lockout, token lifetimes).
 *
 * @param passwordHashCost bcrypt cost factor
 * @param bootstrapAdminEmail email of the first platform admin
 * @param bootstrapAdminPassword its password; empty = generated and printed once
 * @param maxLoginAttempts failed logins before lockout
 * @param lockoutDurationMinutes minutes a locked account stays locked
 */
@ConfigurationProperties("keel.identity")
public record IdentityProperties(@DefaultValue("12") int passwordHashCost,
		@DefaultValue("admin@keel.local") String bootstrapAdminEmail, String bootstrapAdminPassword,
		@DefaultValue("5") int maxLoginAttempts, @DefaultValue("15") int lockoutDurationMinutes) {

}
