package dev.keel.tenancy;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Tenancy settings.
 *
 * @param bootstrapDemoTenant create a {@code demo} tenant on first start (default in dev)
 * @param purgeGraceDays days between a tenant's soft delete and its purge ({@code TENANT_PURGE_GRACE_DAYS})
 */
@ConfigurationProperties("keel.tenancy")
public record TenancyProperties(@DefaultValue("false") boolean bootstrapDemoTenant, @DefaultValue("30") int purgeGraceDays) {
}
