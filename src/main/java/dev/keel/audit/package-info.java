/**
 * Audit: the append-only, tamper-evident trail of every state change. Other modules call
 * {@link dev.keel.audit.AuditTrail}; tenant lifecycle events are recorded by a listener. Each tenant
 * has its own hash chain; {@code /admin/audit/verify} recomputes it and names the first broken link.
 * Retention is archival ({@link dev.keel.audit.AuditRetention}, the {@code audit-cleanup} job).
 * Depends on {@code tenancy} (binding, tenant events), {@code observability} (correlation id,
 * redaction), {@code jobs} (the retention job) and {@code shared}.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = { "tenancy", "observability", "jobs", "shared" })
package dev.keel.audit;
