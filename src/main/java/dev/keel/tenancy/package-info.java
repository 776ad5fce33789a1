/**
 * Tenancy: the tenant registry and the tenant binding. Every transaction that runs inside a
 * {@link dev.keel.tenancy.TenantScope} binds {@code app.tenant_id} with {@code set_config(..., true)}
 * at its start, so PostgreSQL's row-level security sees only that tenant's rows. Depends on
 * {@code observability} (logging context), {@code database} and {@code runtime} (the
 * {@code keel tenancy check} command) and {@code shared}. Lifecycle changes are published as
 * {@link dev.keel.tenancy.TenantCreated}, {@link dev.keel.tenancy.TenantSuspended},
 * {@link dev.keel.tenancy.TenantResumed} and {@link dev.keel.tenancy.TenantDeleted} (the purge hook); the
 * isolation check ({@link dev.keel.tenancy.IsolationCheck}) proves PostgreSQL enforces the walls.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = { "observability", "database", "runtime", "shared" })
package dev.keel.tenancy;
