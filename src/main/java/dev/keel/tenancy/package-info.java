/**
 * Tenancy: the tenant registry and the tenant binding. Every transaction that runs inside a
 * {@link dev.keel.tenancy.TenantScope} binds {@code app.tenant_id} with {@code set_config(..., true)}
 * at its start, so PostgreSQL's row-level security sees only that tenant's rows. Depends on
 * {@code observability} (logging context) and {@code shared}.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = { "observability", "shared" })
package dev.keel.tenancy;
