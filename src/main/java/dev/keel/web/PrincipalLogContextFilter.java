package dev.keel.web;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.MDC;

import dev.keel.observability.LogContext;
import dev.keel.shared.KeelPrincipal;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/** Puts the authenticated user and tenant into the logging context of the rest of the request. */
class PrincipalLogContextFilter extends OncePerRequestFilter {

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Authentication auth = SecurityContextHolder.getContext().getAuthentication();
		if (auth != null && auth.getPrincipal() instanceof KeelPrincipal p) {
			MDC.put(LogContext.USER_ID, p.userId().toString());
			MDC.put(LogContext.TENANT_ID, p.tenantId().toString());
		}
		chain.doFilter(request, response);
	}

}
