/**
 * Runtime core: the configuration catalog (every environment variable, its rule and hint, validated
 * all at once before anything starts), profiles, phased bootstrap and banner, graceful shutdown, and
 * the command line ({@code serve}, {@code config check}, and commands contributed by other modules).
 * Depends only on {@code shared}.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = "shared")
package dev.keel.runtime;
