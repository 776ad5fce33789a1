/**
 * Identity: users of a tenant, their roles and password hashes, the first platform admin and the
 * demo tenant on first start, login with lockout, JWT access tokens ({@link dev.keel.identity.AccessTokens})
 * and rotated refresh tokens. Depends on {@code tenancy}, {@code audit}, {@code observability},
 * {@code runtime} and {@code shared}.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = { "tenancy", "audit", "observability", "runtime", "shared" })
package dev.keel.identity;
