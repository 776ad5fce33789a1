package dev.keel.observability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Lets Prometheus scrape {@code /metrics} with {@code Authorization: Bearer METRICS_TOKEN}: a match
 * (compared in constant time) authenticates the request with the single authority
 * {@value #AUTHORITY}. Any other request passes through untouched.
 */
public class MetricsTokenFilter extends OncePerRequestFilter {

	public static final String AUTHORITY = "metrics:read";

	private final byte[] token;

	public MetricsTokenFilter(@Value("${keel.observability.metrics-token:}") String token) {
		this.token = (token == null || token.isBlank()) ? null : token.getBytes(StandardCharsets.UTF_8);
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !"/metrics".equals(request.getRequestURI());
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String header = request.getHeader("Authorization");
		if (this.token != null && header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
			byte[] given = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
			if (MessageDigest.isEqual(given, this.token)) {
				SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken.authenticated(
						"prometheus", null, List.of(new SimpleGrantedAuthority(AUTHORITY))));
			}
		}
		chain.doFilter(request, response);
	}

}
