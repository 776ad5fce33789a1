package dev.keel.observability;

import java.io.IOException;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerMapping;

/**
 * First filter of every request: takes the caller's correlation id ({@code X-Correlation-ID}, else
 * {@code X-Request-ID}) when it is well-formed, or makes one; echoes it; puts it in the logging
 * context; and writes one access-log line when the request ends (probes at DEBUG so they do not
 * flood the stored logs).
 */
@Component
// Right after Spring's observation filter, so the trace id is already in the logging context.
@Order(Ordered.HIGHEST_PRECEDENCE + 2)
class CorrelationFilter extends OncePerRequestFilter {

	private static final Logger access = LoggerFactory.getLogger("dev.keel.observability.access");

	private static final Pattern SAFE_ID = Pattern.compile("^[A-Za-z0-9._:-]{1,128}$");

	private static final Set<String> PROBES = Set.of("/up", "/ping", "/ready", "/health", "/metrics");

	private final RequestRollups rollups;

	CorrelationFilter(RequestRollups rollups) {
		this.rollups = rollups;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String correlationId = pick(request.getHeader(LogContext.CORRELATION_HEADER), request.getHeader(LogContext.REQUEST_ID_HEADER));
		MDC.put(LogContext.CORRELATION_ID, correlationId);
		response.setHeader(LogContext.CORRELATION_HEADER, correlationId);
		long start = System.nanoTime();
		try {
			chain.doFilter(request, response);
		}
		finally {
			double millis = (System.nanoTime() - start) / 1_000_000.0;
			String path = request.getRequestURI();
			boolean probe = PROBES.contains(path);
			Object pattern = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
			String route = (pattern != null) ? pattern.toString() : "UNMATCHED";
			int status = response.getStatus();
			if (!probe) {
				this.rollups.record(millis, status >= 500);
			}
			if (probe ? access.isDebugEnabled() : access.isInfoEnabled()) {
				String line = String.format("%s %s %d %.1f ms", request.getMethod(), route, status, millis);
				if (probe) {
					access.atDebug().addKeyValue("method", request.getMethod()).addKeyValue("route", route)
						.addKeyValue("status", status).addKeyValue("durationMs", Math.round(millis * 10) / 10.0).log(line);
				}
				else {
					access.atInfo().addKeyValue("method", request.getMethod()).addKeyValue("route", route)
						.addKeyValue("status", status).addKeyValue("durationMs", Math.round(millis * 10) / 10.0).log(line);
				}
			}
			MDC.remove(LogContext.CORRELATION_ID);
			MDC.remove(LogContext.TENANT_ID);
			MDC.remove(LogContext.USER_ID);
		}
	}

	@Override
	protected boolean shouldNotFilterAsyncDispatch() {
		return false;
	}

	private static String pick(String... candidates) {
		for (String c : candidates) {
			if (c != null && SAFE_ID.matcher(c).matches()) {
				return c;
			}
		}
		return fastRandomUuid();
	}

	/**
	 * A random (version 4) UUID from {@link ThreadLocalRandom}: correlation ids must be unique, not
	 * unguessable, and {@code UUID.randomUUID()} serialises every request on the shared SecureRandom.
	 */
	static String fastRandomUuid() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		long msb = (random.nextLong() & 0xffffffffffff0fffL) | 0x0000000000004000L;
		long lsb = (random.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
		return new UUID(msb, lsb).toString();
	}

}
