package dev.keel.web;

import dev.keel.observability.MetricsTokenFilter;
import dev.keel.shared.ProblemType;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;

/**
 * Who may call what. Probes are open; {@code /metrics} takes the metrics token or a platform admin;
 * {@code /health/detailed} and {@code /admin/**} need {@code platform_admin}; {@code /api/**} needs
 * an authenticated user. 401 and 403 answer problem+json.
 */
@Configuration(proxyBeanMethods = false)
class WebSecurityConfiguration {

	static final String PLATFORM_ADMIN = "ROLE_platform_admin";

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http, MetricsTokenFilter metricsToken) throws Exception {
		http.csrf((c) -> c.disable())
			.sessionManagement((s) -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.httpBasic(Customizer.withDefaults())
			.addFilterBefore(metricsToken, BasicAuthenticationFilter.class)
			.addFilterAfter(new PrincipalLogContextFilter(), BasicAuthenticationFilter.class)
			.headers((h) -> h.frameOptions((f) -> f.deny())
				.referrerPolicy((r) -> r.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.NO_REFERRER))
				.contentSecurityPolicy((c) -> c.policyDirectives("default-src 'none'; frame-ancestors 'none'")))
			.exceptionHandling((e) -> e
				.authenticationEntryPoint((req, res, ex) -> {
					res.setHeader("WWW-Authenticate", "Bearer, Basic realm=\"keel\"");
					Problems.write(res, req, ProblemType.UNAUTHORIZED, "Authentication is required for this resource");
				})
				.accessDeniedHandler((req, res, ex) -> Problems.write(res, req, ProblemType.FORBIDDEN,
						"Your credentials do not grant access to this resource")))
			.authorizeHttpRequests((a) -> a
				.requestMatchers(HttpMethod.GET, "/up", "/ping", "/health", "/ready").permitAll()
				.requestMatchers("/error").permitAll()
				.requestMatchers("/metrics").hasAnyAuthority(MetricsTokenFilter.AUTHORITY, PLATFORM_ADMIN)
				.requestMatchers("/health/detailed", "/admin/**").hasAuthority(PLATFORM_ADMIN)
				.requestMatchers("/api/**").authenticated()
				.anyRequest().permitAll());
		return http.build();
	}

}
