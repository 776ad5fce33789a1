package dev.keel.tenancy;

/** A platform admin created a tenant. */
public record TenantCreated(Tenants.Tenant tenant) {
}
