package dev.keel.web;

import java.io.IOException;
import java.util.Map;
import java.util.UUID;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.MDC;

import dev.keel.audit.AuditEntry;
import dev.keel.audit.AuditTrail;
import dev.keel.identity.AccessTokens;
import dev.keel.identity.KeelPrincipal;
import dev.keel.observability.LogContext;
import dev.keel.shared.KeelProblemException;
import dev.keel.shared.ProblemType;
import dev.keel.tenancy.TenancyProblems;
import dev.keel.tenancy.TenantScope;
import dev.keel.tenancy.Tenants;

import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates {@code Authorization: Bearer <jwt>} and resolves the tenant the request acts in: the
 * token's tenant, or for a platform admin the tenant named by {@code X-Tenant-ID}. Anyone else sending
 * an {@code X-Tenant-ID} that disagrees with the token gets 403 and an audit record; the header is
 * never trusted. The rest of the request runs inside {@link TenantScope} with tenant and user in the
 * logging context.
 */
class BearerTokenFilter extends OncePerRequestFilter {

	static final String TENANT_HEADER = "X-Tenant-ID";

	private final AccessTokens tokens;

	private final Tenants tenants;

	private final AuditTrail audit;

	BearerTokenFilter(AccessTokens tokens, Tenants tenants, AuditTrail audit) {
		this.tokens = tokens;
		this.tenants = tenants;
		this.audit = audit;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return RateLimitFilter.EXEMPT.contains(request.getRequestURI()) && !"/metrics".equals(request.getRequestURI());
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String header = request.getHeader("Authorization");
		if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)
				|| SecurityContextHolder.getContext().getAuthentication() != null) {
			chain.doFilter(request, response);
			return;
		}
		KeelPrincipal principal;
		try {
			principal = this.tokens.authenticate(header.substring(7).trim());
		}
		catch (KeelProblemException ex) {
			if (ex.type().status().value() == 401) {
				response.setHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
			}
			Problems.write(response, request, ex.type(), ex.getMessage());
			return;
		}
		MDC.put(LogContext.USER_ID, principal.userId().toString());
		UUID acting = principal.tenantId();
		String requested = request.getHeader(TENANT_HEADER);
		if (requested != null && !requested.isBlank()) {
			UUID requestedId = parse(requested);
			if (principal.platformAdmin() && requestedId != null) {
				Tenants.Tenant target = this.tenants.byId(requestedId).filter((t) -> !Tenants.Tenant.DELETED.equals(t.status())).orElse(null);
				if (target == null) {
					Problems.write(response, request, ProblemType.NOT_FOUND, "No tenant " + requestedId);
					return;
				}
				acting = requestedId;
			}
			else if (!principal.tenantId().equals(requestedId)) {
				this.audit.record(principal.tenantId(), AuditEntry.of("tenant.header-rejected", "tenant", requested, null,
						Map.of("requestedTenant", requested, "method", request.getMethod(), "path", request.getRequestURI()))
					.by(principal.userId(), principal.email()));
				Problems.write(response, request, TenancyProblems.TENANT_MISMATCH,
						"X-Tenant-ID may only name your own tenant; acting in another tenant needs platform_admin");
				return;
			}
		}
		var authorities = principal.roles().stream().map((r) -> new SimpleGrantedAuthority("ROLE_" + r)).toList();
		SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken.authenticated(principal, null, authorities));
		try (TenantScope.Binding binding = TenantScope.enter(acting)) {
			chain.doFilter(request, response);
		}
		finally {
			// The binding restores the logging context on close; the access-log line written after the
			// chain still belongs to this tenant (CorrelationFilter clears it at the very end).
			MDC.put(LogContext.TENANT_ID, acting.toString());
		}
	}

	private static UUID parse(String value) {
		try {
			return UUID.fromString(value.trim());
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

}
