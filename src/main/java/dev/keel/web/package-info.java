/**
 * The HTTP edge: the security filter chain (which paths need which authority), RFC 9457 problem
 * responses for every error, and the rendering of {@link dev.keel.shared.KeelProblemException}.
 * Depends on {@code observability} (metrics token, correlation id) and {@code shared}.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = { "observability", "shared" })
package dev.keel.web;
