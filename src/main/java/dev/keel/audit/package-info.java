/**
 * Audit: the append-only, tamper-evident trail of every state change. Other modules call
 * {@link dev.keel.audit.AuditTrail}; tenant lifecycle events are recorded by a listener. Each tenant
 * has its own hash chain; {@code /admin/audit/verify} recomputes it and names the first broken link.
 * Depends on {@code tenancy} (binding, tenant events), {@code observability} (correlation id,
 * redaction) and {@code shared}.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = { "tenancy", "observability", "shared" })
package dev.keel.audit;
