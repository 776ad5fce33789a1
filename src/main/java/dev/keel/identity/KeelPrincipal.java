package dev.keel.identity;

import java.util.List;
import java.util.UUID;

/**
 * The authenticated caller of a request, as verified from its access token and checked against the
 * database (user still active, tenant not suspended or deleted).
 *
 * @param tenantId the user's own tenant (the token's {@code tid})
 * @param tenantSlug that tenant's slug
 */
public record KeelPrincipal(UUID userId, UUID tenantId, String tenantSlug, String email, List<String> roles) {

	public boolean hasRole(String role) {
		return this.roles.contains(role);
	}

	public boolean platformAdmin() {
		return hasRole(Role.PLATFORM_ADMIN);
	}

}
