package dev.keel.web;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * HTTP edge settings ({@code CORS_ORIGINS}, {@code BODY_LIMIT}, {@code REQUEST_TIMEOUT}, {@code RATE_LIMIT_*},
 * {@code AUTH_RATE_LIMIT_MAX}, {@code TENANT_RATE_LIMIT_MAX}).
 *
 * @param corsOrigins allowed browser origins; {@code *} only in dev
 * @param bodyLimit largest request body (uploads have their own limit)
 * @param requestTimeout request time limit
 * @param rateLimitWindow window of the general and per-tenant limits
 * @param rateLimitMaxRequests requests per client IP per window
 * @param authRateLimitMax login attempts per IP and per account per {@link #LOGIN_WINDOW}
 * @param tenantRateLimitMax requests per tenant per window
 * @param rateLimitBackend {@code memory} (one instance) or {@code postgres} (shared by all instances)
 */
@ConfigurationProperties("keel.web")
public record WebProperties(List<String> corsOrigins, @DefaultValue("10MB") DataSize bodyLimit,
		@DefaultValue("30s") Duration requestTimeout, @DefaultValue("15m") Duration rateLimitWindow,
		@DefaultValue("100") long rateLimitMaxRequests, @DefaultValue("5") long authRateLimitMax,
		@DefaultValue("1000") long tenantRateLimitMax, @DefaultValue("memory") String rateLimitBackend) {

	/** The login limits' window (SPEC C5: 5 per 15 minutes by default). */
	public static final Duration LOGIN_WINDOW = Duration.ofMinutes(15);

	public WebProperties {
		corsOrigins = (corsOrigins != null) ? corsOrigins.stream().map(String::strip).filter((s) -> !s.isEmpty()).toList() : List.of();
	}

}
