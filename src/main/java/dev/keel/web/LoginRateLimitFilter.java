package dev.keel.web;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Login limits (SPEC C5): {@code AUTH_RATE_LIMIT_MAX} attempts per 15 minutes per client IP and per
 * account (tenant + email), on top of the account lockout. The body is read once here (it is small:
 * the body limit ran before) and replayed to the controller.
 */
class LoginRateLimitFilter extends OncePerRequestFilter {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final RateLimiter limiter;

	private final long limit;

	private final MeterRegistry meters;

	LoginRateLimitFilter(RateLimiter limiter, long limit, MeterRegistry meters) {
		this.limiter = limiter;
		this.limit = limit;
		this.meters = meters;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !("POST".equals(request.getMethod()) && "/api/auth/login".equals(request.getRequestURI()));
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Duration window = WebProperties.LOGIN_WINDOW;
		if (!RateLimitFilter.admit(request, response, this.limiter, "login-ip:" + request.getRemoteAddr(), this.limit, window,
				this.meters, "login-ip")) {
			return;
		}
		byte[] body = request.getInputStream().readAllBytes();
		String account = account(body);
		if (account != null && !RateLimitFilter.admit(request, response, this.limiter, "login-account:" + account, this.limit, window,
				this.meters, "login-account")) {
			return;
		}
		chain.doFilter(new CachedBody(request, body), response);
	}

	private static String account(byte[] body) {
		try {
			JsonNode node = JSON.readTree(body);
			if (node != null && node.hasNonNull("tenant") && node.hasNonNull("email")) {
				return node.get("tenant").asString().toLowerCase(Locale.ROOT) + ":" + node.get("email").asString().toLowerCase(Locale.ROOT);
			}
		}
		catch (RuntimeException ex) {
			// Not JSON: the controller answers 400/415; only the per-IP limit applies.
		}
		return null;
	}

	/** Replays a body that was already read. */
	private static final class CachedBody extends HttpServletRequestWrapper {

		private final byte[] body;

		CachedBody(HttpServletRequest request, byte[] body) {
			super(request);
			this.body = body;
		}

		@Override
		public ServletInputStream getInputStream() {
			ByteArrayInputStream in = new ByteArrayInputStream(this.body);
			return new ServletInputStream() {

				@Override
				public int read() {
					return in.read();
				}

				@Override
				public int read(byte[] b, int off, int len) {
					return in.read(b, off, len);
				}

				@Override
				public boolean isFinished() {
					return in.available() == 0;
				}

				@Override
				public boolean isReady() {
					return true;
				}

				@Override
				public void setReadListener(ReadListener listener) {
					// The whole body is already in memory: it is available at once, and then all read.
					try {
						if (!isFinished()) {
							listener.onDataAvailable();
						}
						listener.onAllDataRead();
					}
					catch (java.io.IOException ex) {
						listener.onError(ex);
					}
				}

			};
		}

		@Override
		public java.io.BufferedReader getReader() {
			return new java.io.BufferedReader(new java.io.InputStreamReader(getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
		}

	}

}
