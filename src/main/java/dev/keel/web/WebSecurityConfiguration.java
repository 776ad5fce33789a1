package dev.keel.web;

import java.util.List;

import javax.sql.DataSource;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.keel.audit.AuditTrail;
import dev.keel.identity.AccessTokens;
import dev.keel.identity.Role;
import dev.keel.observability.MetricsTokenFilter;
import dev.keel.shared.ProblemType;
import dev.keel.tenancy.Tenants;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;
import org.springframework.security.web.header.writers.StaticHeadersWriter;
import org.springframework.security.web.util.matcher.AnyRequestMatcher;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;

/**
 * The edge, in order: CORS and security headers, body limit, the general per-IP limit, the login
 * limits, bearer authentication with tenant resolution, the per-tenant limit, then authorization:
 * probes open; {@code /metrics} takes the metrics token or a platform admin; {@code /health/detailed}
 * and {@code /admin/**} need {@code platform_admin}; {@code /api/users/**} and {@code /api/audit/**}
 * need {@code tenant_admin} (or a platform admin acting in the tenant); the rest of {@code /api/**} any
 * signed-in user. 401, 403, 413 and 429 answer problem+json.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WebProperties.class)
class WebSecurityConfiguration {

	private static final Logger log = LoggerFactory.getLogger(WebSecurityConfiguration.class);

	static final String PLATFORM_ADMIN = "ROLE_" + Role.PLATFORM_ADMIN;

	static final String TENANT_ADMIN = "ROLE_" + Role.TENANT_ADMIN;

	/**
	 * Spring Security would observe every filter of the chain (a span and counters per filter per
	 * request); on 2 cores that alone cut /up throughput several-fold. The request itself stays
	 * observed (http.server.requests, trace id in the logs).
	 */
	@Bean
	org.springframework.security.config.observation.SecurityObservationSettings securityObservationSettings() {
		return org.springframework.security.config.observation.SecurityObservationSettings.noObservations();
	}

	@Bean
	org.springframework.boot.web.servlet.FilterRegistrationBean<LivenessFastPath> livenessFastPath(@Value("${keel.env:dev}") String env) {
		var registration = new org.springframework.boot.web.servlet.FilterRegistrationBean<>(new LivenessFastPath(!"dev".equals(env)));
		registration.setOrder(org.springframework.core.Ordered.HIGHEST_PRECEDENCE);
		registration.addUrlPatterns("/up");
		return registration;
	}

	@Bean
	RateLimiter rateLimiter(WebProperties properties, DataSource dataSource) {
		if ("postgres".equals(properties.rateLimitBackend())) {
			log.info("Rate limits are shared through PostgreSQL (table rate_limit_buckets)");
			return new RateLimiter.Postgres(dataSource);
		}
		return new RateLimiter.Local();
	}

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http, MetricsTokenFilter metricsToken, WebProperties properties,
			RateLimiter limiter, MeterRegistry meters, AccessTokens tokens, Tenants tenants, AuditTrail audit,
			@Value("${keel.env:dev}") String env) throws Exception {
		boolean dev = "dev".equals(env);
		http.csrf((c) -> c.disable())
			.sessionManagement((s) -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.cors((c) -> c.configurationSource(corsSource(properties.corsOrigins(), dev)))
			.addFilterBefore(new BodyLimitFilter(properties.bodyLimit().toBytes()), BasicAuthenticationFilter.class)
			.addFilterBefore(new RateLimitFilter(RateLimitFilter.Scope.IP, limiter, properties.rateLimitMaxRequests(),
					properties.rateLimitWindow(), meters), BasicAuthenticationFilter.class)
			.addFilterBefore(new LoginRateLimitFilter(limiter, properties.authRateLimitMax(), meters), BasicAuthenticationFilter.class)
			.addFilterBefore(metricsToken, BasicAuthenticationFilter.class)
			.addFilterBefore(new BearerTokenFilter(tokens, tenants, audit), BasicAuthenticationFilter.class)
			.addFilterAfter(new RateLimitFilter(RateLimitFilter.Scope.TENANT, limiter, properties.tenantRateLimitMax(),
					properties.rateLimitWindow(), meters), BasicAuthenticationFilter.class)
			.headers((h) -> {
				h.frameOptions((f) -> f.deny())
					.referrerPolicy((r) -> r.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.NO_REFERRER))
					.contentSecurityPolicy((c) -> c.policyDirectives(SecurityHeaders.CSP))
					.addHeaderWriter(new StaticHeadersWriter("Permissions-Policy", SecurityHeaders.PERMISSIONS_POLICY))
					.addHeaderWriter(new StaticHeadersWriter("Cross-Origin-Opener-Policy", "same-origin"));
				if (dev) {
					h.httpStrictTransportSecurity((t) -> t.disable());
				}
				else {
					// TLS ends at the load balancer, so the request Keel sees is plain HTTP: send HSTS on every response.
					h.httpStrictTransportSecurity((t) -> t.requestMatcher(AnyRequestMatcher.INSTANCE).includeSubDomains(true).maxAgeInSeconds(31_536_000));
				}
			})
			.exceptionHandling((e) -> e
				.authenticationEntryPoint((req, res, ex) -> {
					res.setHeader("WWW-Authenticate", "Bearer");
					Problems.write(res, req, ProblemType.UNAUTHORIZED, "Authentication is required for this resource");
				})
				.accessDeniedHandler((req, res, ex) -> Problems.write(res, req, ProblemType.FORBIDDEN,
						"Your credentials do not grant access to this resource")))
			.authorizeHttpRequests((a) -> a
				.requestMatchers(HttpMethod.GET, "/up", "/ping", "/health", "/ready").permitAll()
				.requestMatchers("/error").permitAll()
				.requestMatchers(HttpMethod.POST, "/api/auth/login", "/api/auth/refresh", "/api/auth/logout").permitAll()
				.requestMatchers("/metrics").hasAnyAuthority(MetricsTokenFilter.AUTHORITY, PLATFORM_ADMIN)
				.requestMatchers("/health/detailed", "/admin/**").hasAuthority(PLATFORM_ADMIN)
				.requestMatchers("/api/users/**", "/api/users", "/api/audit/**", "/api/audit").hasAnyAuthority(TENANT_ADMIN, PLATFORM_ADMIN)
				.requestMatchers("/api/**").authenticated()
				.anyRequest().permitAll());
		return http.build();
	}

	static CorsConfigurationSource corsSource(List<String> origins, boolean dev) {
		CorsConfiguration cors = new CorsConfiguration();
		List<String> allowed = dev ? origins : origins.stream().filter((o) -> !"*".equals(o)).toList();
		if (allowed.contains("*")) {
			cors.addAllowedOriginPattern("*");
		}
		else {
			cors.setAllowedOrigins(allowed);
		}
		cors.setAllowedMethods(List.of("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"));
		cors.setAllowedHeaders(List.of("Authorization", "Content-Type", BearerTokenFilter.TENANT_HEADER, "X-Correlation-ID", "X-Request-ID"));
		cors.setExposedHeaders(List.of("X-Correlation-ID", "Retry-After", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset",
				"RateLimit-Policy", "Location"));
		cors.setAllowCredentials(false);
		cors.setMaxAge(600L);
		UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
		source.registerCorsConfiguration("/**", cors);
		return source;
	}

}
