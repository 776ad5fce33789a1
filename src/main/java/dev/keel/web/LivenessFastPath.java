package dev.keel.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Answers {@code GET /up} before anything else runs: liveness is polled every few seconds by every
 * orchestrator and load balancer, must never touch a dependency, and must cost close to a bare
 * endpoint (SPEC §8: at least 80 % of it). It skips tracing, metrics, the security chain and MVC, and
 * writes the same security headers the chain writes on every other response.
 */
class LivenessFastPath extends OncePerRequestFilter {

	private static final byte[] OK = "OK".getBytes(StandardCharsets.US_ASCII);

	private static final Pattern SAFE_ID = Pattern.compile("^[A-Za-z0-9._:-]{1,128}$");

	private final boolean hsts;

	LivenessFastPath(boolean hsts) {
		this.hsts = hsts;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !"/up".equals(request.getRequestURI()) || !("GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod()));
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String id = request.getHeader("X-Correlation-ID");
		if (id == null || !SAFE_ID.matcher(id).matches()) {
			ThreadLocalRandom random = ThreadLocalRandom.current();
			id = new UUID((random.nextLong() & 0xffffffffffff0fffL) | 0x4000L,
					(random.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L).toString();
		}
		response.setStatus(200);
		response.setHeader("X-Correlation-ID", id);
		SecurityHeaders.write(response, this.hsts);
		response.setContentType("text/plain;charset=UTF-8");
		response.setContentLength(OK.length);
		if (!"HEAD".equals(request.getMethod())) {
			response.getOutputStream().write(OK);
		}
	}

}
