/**
 * Identity: users of a tenant, their roles and password hashes, the first platform admin and the
 * demo tenant on first start, and authentication of platform admins. Depends on {@code tenancy},
 * {@code runtime} and {@code shared}.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = { "tenancy", "runtime", "shared" })
package dev.keel.identity;
