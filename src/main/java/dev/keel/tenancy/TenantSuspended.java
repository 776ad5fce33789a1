package dev.keel.tenancy;

/** A tenant was suspended: its users are refused with {@link TenancyProblems#TENANT_SUSPENDED} from now on. */
public record TenantSuspended(Tenants.Tenant before, Tenants.Tenant after) {
}
