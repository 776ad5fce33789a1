package dev.keel.tenancy;

/** A suspended tenant was resumed. */
public record TenantResumed(Tenants.Tenant before, Tenants.Tenant after) {
}
