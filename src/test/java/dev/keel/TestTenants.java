package dev.keel;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Builds tenants through the public API, the way an operator would: the platform admin creates the
 * tenant and its first tenant admin (acting in it with {@code X-Tenant-ID}), who then signs in.
 * Slugs are unique per call because every test class shares one database.
 */
public final class TestTenants {

	public static final String PASSWORD = "Correct-horse-battery-9";

	private static final AtomicInteger SEQ = new AtomicInteger();

	private TestTenants() {
	}

	public static String uniqueSlug(String prefix) {
		return prefix + "-" + Long.toString(System.nanoTime(), 36) + SEQ.incrementAndGet();
	}

	/** A new active tenant with one signed-in tenant admin. */
	public static TestTenant create(int port, String prefix) {
		Http admin = new Http(port).as(TestAdmin.bearerToken(port));
		String slug = uniqueSlug(prefix);
		Http.Response created = admin.post("/admin/tenants", Map.of("slug", slug, "name", prefix + " tenant"));
		if (created.status() != 201) {
			throw new IllegalStateException("tenant create failed: " + created);
		}
		UUID id = UUID.fromString(created.json().get("id").asString());
		String email = "boss@" + slug + ".test";
		Http.Response user = admin.header("X-Tenant-ID", id.toString())
			.post("/api/users", Map.of("email", email, "password", PASSWORD, "roles", List.of("tenant_admin")));
		if (user.status() != 201) {
			throw new IllegalStateException("tenant admin create failed: " + user);
		}
		return new TestTenant(id, slug, UUID.fromString(user.json().get("id").asString()), email, login(port, slug, email, PASSWORD));
	}

	public static String login(int port, String slug, String email, String password) {
		Http.Response login = new Http(port).post("/api/auth/login", Map.of("tenant", slug, "email", email, "password", password));
		if (login.status() != 200) {
			throw new IllegalStateException("login failed: " + login);
		}
		return login.json().get("accessToken").asString();
	}

	/** A tenant made by {@link #create}. */
	public record TestTenant(UUID id, String slug, UUID adminId, String adminEmail, String token) {

		public Http http(int port) {
			return new Http(port).as(this.token);
		}

	}

}
