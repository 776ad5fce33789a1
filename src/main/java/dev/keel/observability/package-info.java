/**
 * Observability: correlation ids and the logging context of every request, redaction, JSON or text
 * log lines, the PostgreSQL log sink and its query API, Prometheus metrics on {@code /metrics},
 * per-minute request rollups, and the health probes ({@code /up}, {@code /ping}, {@code /health},
 * {@code /health/detailed}, {@code /ready}). Other modules contribute {@link dev.keel.observability.HealthCheck}s.
 * Depends on {@code runtime}, {@code database} and {@code shared}.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = { "runtime", "database", "shared" })
package dev.keel.observability;
