package dev.keel.tenancy;

import org.springframework.http.HttpStatus;

import dev.keel.shared.ProblemType;

/** Problem types of tenancy. */
public final class TenancyProblems {

	/** The caller's tenant is suspended; distinct from a plain 403 so clients can tell users why. */
	public static final ProblemType TENANT_SUSPENDED = new ProblemType("tenant-suspended", "Tenant suspended", HttpStatus.FORBIDDEN);

	/** {@code X-Tenant-ID} names another tenant than the caller's token and the caller is not a platform admin. */
	public static final ProblemType TENANT_MISMATCH = new ProblemType("tenant-mismatch", "Tenant header not allowed", HttpStatus.FORBIDDEN);

	private TenancyProblems() {
	}

}
