package dev.keel;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Credentials every {@link KeelTest} context starts with. */
public final class TestAdmin {

	public static final String EMAIL = "admin@keel.test";

	public static final String PASSWORD = "Admin-password-for-tests-1";

	public static final String METRICS_TOKEN = "metrics-token-for-tests-0123456789";

	private static final Map<Integer, String> TOKENS = new ConcurrentHashMap<>();

	private TestAdmin() {
	}

	/** The Authorization header value of the test platform admin. */
	public static String authorization(int port) {
		return "Bearer " + bearerToken(port);
	}

	/**
	 * An access token of the test platform admin for the Keel listening on {@code port}: logs in once
	 * through {@code POST /api/auth/login} (tenant {@code platform}) and caches the token per port.
	 */
	public static String bearerToken(int port) {
		return TOKENS.computeIfAbsent(port, (p) -> {
			Http.Response response = new Http(p).post("/api/auth/login",
					Map.of("tenant", "platform", "email", EMAIL, "password", PASSWORD));
			if (response.status() != 200) {
				throw new IllegalStateException("Test admin login failed: " + response.status() + " " + response.body());
			}
			return response.json().get("accessToken").asString();
		});
	}

}
