package dev.keel;

/** Credentials every {@link KeelTest} context starts with. */
public final class TestAdmin {

	public static final String EMAIL = "admin@keel.test";

	public static final String PASSWORD = "Admin-password-for-tests-1";

	public static final String METRICS_TOKEN = "metrics-token-for-tests-0123456789";

	private TestAdmin() {
	}

	/** The Authorization header value of the test platform admin. */
	public static String authorization(int port) {
		return "Basic " + java.util.Base64.getEncoder()
			.encodeToString((EMAIL + ":" + PASSWORD).getBytes(java.nio.charset.StandardCharsets.UTF_8));
	}

}
