package dev.keel.identity;

/** Keel's built-in roles; feature modules may add their own strings. */
public final class Role {

	public static final String PLATFORM_ADMIN = "platform_admin";

	public static final String TENANT_ADMIN = "tenant_admin";

	public static final String MEMBER = "member";

	private Role() {
	}

}
