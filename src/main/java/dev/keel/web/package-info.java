/**
 * The HTTP edge: the security filter chain (which paths need which authority), RFC 9457 problem
 * responses for every error, and the rendering of {@link dev.keel.shared.KeelProblemException};
 * bearer authentication with tenant resolution ({@code X-Tenant-ID} for platform admins only),
 * security headers, CORS, Bucket4j rate limits (in memory or shared through PostgreSQL) and the body
 * limit. Depends on {@code identity} (token verification), {@code tenancy} (binding), {@code audit}
 * (header abuse), {@code observability} (metrics token, correlation id) and {@code shared}.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = { "identity", "tenancy", "audit", "observability", "shared" })
package dev.keel.web;
