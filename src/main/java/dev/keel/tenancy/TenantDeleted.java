package dev.keel.tenancy;

import java.time.Instant;

/**
 * A tenant was soft-deleted: nobody can sign in to it any more. This is the purge hook: after
 * {@code purgeAfter} (the grace period) a purge job takes a final tenant backup and removes its rows.
 */
public record TenantDeleted(Tenants.Tenant before, Tenants.Tenant after, Instant purgeAfter) {
}
