package dev.keel.web;

import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.github.bucket4j.ConsumptionProbe;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.keel.shared.ProblemType;
import dev.keel.tenancy.TenantScope;

import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * One rate limit of the edge: per client IP (every request but the probes) or per tenant (after
 * authentication, keyed by the tenant the request acts in). Answers 429 with {@code Retry-After};
 * every limited response carries {@code RateLimit-Limit}, {@code RateLimit-Remaining} and
 * {@code RateLimit-Reset} of the tightest limit that applied.
 */
class RateLimitFilter extends OncePerRequestFilter {

	static final ProblemType RATE_LIMITED = new ProblemType("rate-limited", "Too many requests", HttpStatus.TOO_MANY_REQUESTS);

	static final Set<String> EXEMPT = Set.of("/up", "/ping", "/health", "/ready", "/metrics");

	private static final String TIGHTEST = RateLimitFilter.class.getName() + ".remaining";

	enum Scope {
		IP, TENANT
	}

	private final Scope scope;

	private final RateLimiter limiter;

	private final long limit;

	private final Duration window;

	private final MeterRegistry meters;

	RateLimitFilter(Scope scope, RateLimiter limiter, long limit, Duration window, MeterRegistry meters) {
		this.scope = scope;
		this.limiter = limiter;
		this.limit = limit;
		this.window = window;
		this.meters = meters;
	}

	@Override
	protected String getAlreadyFilteredAttributeName() {
		// Two instances of this class run in one chain (per IP and per tenant); each must run once.
		return RateLimitFilter.class.getName() + "." + this.scope + ".FILTERED";
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return EXEMPT.contains(request.getRequestURI()) || "OPTIONS".equals(request.getMethod());
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String key = switch (this.scope) {
			case IP -> "ip:" + request.getRemoteAddr();
			case TENANT -> {
				UUID tenant = TenantScope.current();
				yield (tenant != null) ? "tenant:" + tenant : null;
			}
		};
		if (key != null && !admit(request, response, this.limiter, key, this.limit, this.window, this.meters, this.scope.name().toLowerCase())) {
			return;
		}
		chain.doFilter(request, response);
	}

	/** Consumes one token; writes the headers; answers 429 and returns false when the bucket is empty. */
	static boolean admit(HttpServletRequest request, HttpServletResponse response, RateLimiter limiter, String key, long limit,
			Duration window, MeterRegistry meters, String name) throws IOException {
		ConsumptionProbe probe = limiter.tryConsume(key, limit, window);
		long resetSeconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(probe.getNanosToWaitForReset() + 999_999_999));
		Long tightest = (Long) request.getAttribute(TIGHTEST);
		if (tightest == null || probe.getRemainingTokens() <= tightest || !probe.isConsumed()) {
			request.setAttribute(TIGHTEST, probe.getRemainingTokens());
			response.setHeader("RateLimit-Limit", Long.toString(limit));
			response.setHeader("RateLimit-Remaining", Long.toString(probe.getRemainingTokens()));
			response.setHeader("RateLimit-Reset", Long.toString(resetSeconds));
			response.setHeader("RateLimit-Policy", limit + ";w=" + window.toSeconds());
		}
		if (probe.isConsumed()) {
			return true;
		}
		long retryAfter = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(probe.getNanosToWaitForRefill() + 999_999_999));
		response.setHeader("Retry-After", Long.toString(retryAfter));
		meters.counter("rate_limit_rejections_total", "limit", name).increment();
		Problems.write(response, request, RATE_LIMITED, "Rate limit exceeded (" + name + "); retry after " + retryAfter + " s");
		return false;
	}

}
