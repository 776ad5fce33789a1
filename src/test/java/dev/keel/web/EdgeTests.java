package dev.keel.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import dev.keel.Http;
import dev.keel.KeelApplication;
import dev.keel.TestAdmin;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The HTTP edge as staging runs it, on TWO Keel instances sharing one PostgreSQL: security headers
 * (with HSTS), the CORS allowlist, 413 and 415, and rate limits whose buckets live in PostgreSQL so
 * the instances enforce one limit together. Limits are spent in order, so the methods are ordered.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EdgeTests {

	static final String ORIGIN = "https://app.example.com";

	static final int GENERAL_LIMIT = 60;

	static final int LOGIN_LIMIT = 3;

	static final int TENANT_LIMIT = 6;

	ConfigurableApplicationContext one;

	ConfigurableApplicationContext two;

	Http http1;

	Http http2;

	@BeforeAll
	void startTwoInstances() {
		this.one = start();
		this.two = start();
		this.http1 = new Http(port(this.one));
		this.http2 = new Http(port(this.two));
	}

	@AfterAll
	void stop() {
		if (this.one != null) {
			this.one.close();
		}
		if (this.two != null) {
			this.two.close();
		}
	}

	private static ConfigurableApplicationContext start() {
		Map<String, Object> p = new HashMap<>();
		p.put("PORT", "0");
		p.put("keel.database.embedded-dir", "target/test-postgres");
		p.put("keel.database.embedded-clean", "true");
		p.put("APP_ENV", "staging");
		p.put("JWT_SECRET", "p3Z9vK2xQ7mL8nR4tW6yB1cD5fG0hJ3kS9uV2wX7zA4eN8qM");
		p.put("BOOTSTRAP_ADMIN_EMAIL", TestAdmin.EMAIL);
		p.put("BOOTSTRAP_ADMIN_PASSWORD", TestAdmin.PASSWORD);
		p.put("BOOTSTRAP_DEMO_TENANT", "false");
		p.put("PASSWORD_HASH_COST", "4");
		p.put("CORS_ORIGINS", ORIGIN);
		p.put("BODY_LIMIT", "2kb");
		p.put("RATE_LIMIT_BACKEND", "postgres");
		p.put("RATE_LIMIT_MAX_REQUESTS", Integer.toString(GENERAL_LIMIT));
		p.put("AUTH_RATE_LIMIT_MAX", Integer.toString(LOGIN_LIMIT));
		p.put("TENANT_RATE_LIMIT_MAX", Integer.toString(TENANT_LIMIT));
		p.put("LOG_FORMAT", "text");
		return new SpringApplicationBuilder(KeelApplication.class).properties(p).run();
	}

	private static int port(ConfigurableApplicationContext context) {
		return ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	@Test
	@Order(1)
	void everyResponseCarriesTheSecurityHeaders() {
		for (Http.Response r : List.of(this.http1.get("/up"), this.http1.get("/api/me"), this.http2.get("/no/such/page"),
				this.http2.post("/api/auth/refresh", Map.of("refreshToken", "x")))) {
			assertThat(r.header("Content-Security-Policy")).as(r.toString()).contains("default-src 'none'").contains("frame-ancestors 'none'");
			assertThat(r.header("Strict-Transport-Security")).as(r.toString()).contains("max-age=31536000").contains("includeSubDomains");
			assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
			assertThat(r.header("X-Frame-Options")).isEqualTo("DENY");
			assertThat(r.header("Referrer-Policy")).isEqualTo("no-referrer");
			assertThat(r.header("Permissions-Policy")).contains("camera=()");
			assertThat(r.header("Cache-Control")).contains("no-store");
			assertThat(r.header("X-Powered-By")).isNull();
			assertThat(r.header("Server")).isNull();
		}
	}

	@Test
	@Order(2)
	void corsPreflightIsAllowedOnlyForListedOrigins() {
		Http.Response allowed = this.http1.header("Origin", ORIGIN).header("Access-Control-Request-Method", "GET")
			.header("Access-Control-Request-Headers", "authorization").send("OPTIONS", "/api/me", null, null);
		assertThat(allowed.status()).isEqualTo(200);
		assertThat(allowed.header("Access-Control-Allow-Origin")).isEqualTo(ORIGIN);
		assertThat(allowed.header("Access-Control-Allow-Methods")).contains("GET");
		Http.Response denied = this.http1.header("Origin", "https://evil.example.com").header("Access-Control-Request-Method", "GET")
			.send("OPTIONS", "/api/me", null, null);
		assertThat(denied.status()).isEqualTo(403);
		assertThat(denied.header("Access-Control-Allow-Origin")).isNull();
	}

	@Test
	@Order(3)
	void refusesOversizedBodiesWith413AndNonJsonWith415() {
		Http.Response tooLarge = this.http1.post("/api/auth/refresh", Map.of("refreshToken", "x".repeat(4096)));
		assertThat(tooLarge.status()).isEqualTo(413);
		assertThat(tooLarge.json().get("type").asString()).endsWith("/payload-too-large");
		Http.Response text = this.http1.send("POST", "/api/auth/refresh", "refreshToken=x", "text/plain");
		assertThat(text.status()).isEqualTo(415);
		assertThat(text.header("Content-Type")).startsWith("application/problem+json");
		Http.Response xml = this.http2.send("POST", "/api/auth/refresh", "<a/>", "application/xml");
		assertThat(xml.status()).isEqualTo(415);
	}

	@Test
	@Order(4)
	void loginLimitIsSharedByBothInstances() {
		// One allowed login for the admin token used later, then failed attempts alternating instances.
		TestAdmin.bearerToken(port(this.one));
		Map<String, String> wrong = Map.of("tenant", "platform", "email", TestAdmin.EMAIL, "password", "wrong-password-123");
		assertThat(this.http2.post("/api/auth/login", wrong).status()).isEqualTo(401);
		assertThat(this.http1.post("/api/auth/login", wrong).status()).isEqualTo(401);
		Http.Response limited = this.http2.post("/api/auth/login", wrong);
		assertThat(limited.status()).isEqualTo(429);
		assertThat(limited.json().get("type").asString()).endsWith("/rate-limited");
		assertThat(Long.parseLong(limited.header("Retry-After"))).isPositive();
		assertThat(limited.header("RateLimit-Limit")).isEqualTo(Integer.toString(LOGIN_LIMIT));
		assertThat(limited.header("RateLimit-Remaining")).isEqualTo("0");
		assertThat(limited.header("RateLimit-Reset")).isNotBlank();
	}

	@Test
	@Order(5)
	void tenantLimitIsSharedByBothInstances() {
		String token = TestAdmin.bearerToken(port(this.one));
		int ok = 0;
		Http.Response last = null;
		for (int i = 0; i < TENANT_LIMIT + 2; i++) {
			last = ((i % 2 == 0) ? this.http1 : this.http2).as(token).get("/api/me");
			if (last.status() == 429) {
				break;
			}
			assertThat(last.status()).isEqualTo(200);
			ok++;
		}
		assertThat(ok).isEqualTo(TENANT_LIMIT);
		assertThat(last.status()).isEqualTo(429);
		assertThat(last.json().get("detail").asString()).contains("tenant");
		assertThat(last.header("Retry-After")).isNotBlank();
	}

	@Test
	@Order(6)
	void generalLimitPerClientIsSharedAndProbesAreExempt() {
		Http.Response first = this.http1.get("/ping");
		Http.Response second = this.http2.get("/api/me");
		long r1 = Long.parseLong(first.header("RateLimit-Remaining") != null ? first.header("RateLimit-Remaining") : "-1");
		long r2 = Long.parseLong(second.header("RateLimit-Remaining"));
		assertThat(r2).as("remaining after a request to the other instance").isLessThan(Math.max(r1, r2 + 1));
		Http.Response last = null;
		for (int i = 0; i < GENERAL_LIMIT + 1; i++) {
			last = ((i % 2 == 0) ? this.http1 : this.http2).get("/api/me");
			if (last.status() == 429) {
				break;
			}
		}
		assertThat(last.status()).isEqualTo(429);
		assertThat(last.header("RateLimit-Limit")).isEqualTo(Integer.toString(GENERAL_LIMIT));
		assertThat(last.header("RateLimit-Remaining")).isEqualTo("0");
		assertThat(last.header("Retry-After")).isNotBlank();
		assertThat(this.http1.get("/up").status()).isEqualTo(200);
		assertThat(this.http2.get("/health").status()).isIn(200, 503);
		assertThat(this.http2.get("/ready").status()).isNotEqualTo(429);
	}

}
