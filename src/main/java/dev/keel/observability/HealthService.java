package dev.keel.observability;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/**
 * Runs every {@link HealthCheck} in parallel with a time limit each, so no probe hangs on a dead
 * dependency. Results are shared for a second: a burst of probes costs one round of checks, and a
 * check still running (say, a database connect that hangs) is joined instead of started again.
 */
@Service
public class HealthService {

	private final List<HealthCheck> checks;

	private final Clock clock;

	private final Duration timeout;

	private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

	private final Map<String, CompletableFuture<HealthCheck.Result>> inFlight = new java.util.concurrent.ConcurrentHashMap<>();

	private volatile Report cached;

	HealthService(List<HealthCheck> checks, Clock clock, @Value("${keel.observability.health-timeout:2s}") Duration timeout) {
		this.checks = checks;
		this.clock = clock;
		this.timeout = timeout;
	}

	public Report report() {
		Report last = this.cached;
		Instant now = this.clock.instant();
		if (last != null && Duration.between(last.at(), now).compareTo(Duration.ofSeconds(1)) < 0) {
			return last;
		}
		Map<String, CompletableFuture<HealthCheck.Result>> running = new LinkedHashMap<>();
		for (HealthCheck check : this.checks) {
			// Join a check that is still running; start a fresh one when the last has finished.
			running.put(check.name(), this.inFlight.compute(check.name(), (n, previous) -> (previous != null && !previous.isDone()) ? previous
					: CompletableFuture.supplyAsync(() -> run(check), this.executor)));
		}
		Map<String, HealthCheck.Result> results = new LinkedHashMap<>();
		long deadline = System.nanoTime() + this.timeout.toNanos();
		boolean criticalDown = false;
		boolean anyDown = false;
		for (HealthCheck check : this.checks) {
			HealthCheck.Result r;
			try {
				r = running.get(check.name()).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
			}
			catch (TimeoutException ex) {
				r = HealthCheck.Result.down(Map.of("error", "timed out after " + this.timeout.toMillis() + " ms"));
			}
			catch (Exception ex) {
				r = HealthCheck.Result.down(Map.of("error", ex.getClass().getSimpleName()));
			}
			results.put(check.name(), r);
			if (r.status() != HealthCheck.Status.UP) {
				anyDown = true;
				criticalDown |= check.critical() && r.status() == HealthCheck.Status.DOWN;
			}
		}
		String status = criticalDown ? "unhealthy" : anyDown ? "degraded" : "healthy";
		Report report = new Report(status, results, now);
		this.cached = report;
		return report;
	}

	/**
	 * The report's checks with each check's admin-only {@link HealthCheck#detail()} merged in, for
	 * {@code /health/detailed}; a detail that fails is left out rather than failing the page.
	 */
	public Map<String, Object> detailedChecks(Report report) {
		Map<String, Object> out = report.checksJson();
		for (HealthCheck check : this.checks) {
			if (out.get(check.name()) instanceof Map<?, ?> shown) {
				try {
					Map<String, Object> merged = new LinkedHashMap<>();
					shown.forEach((k, v) -> merged.put(String.valueOf(k), v));
					merged.putAll(check.detail());
					out.put(check.name(), merged);
				}
				catch (Exception ex) {
					// the public part of the check is still shown
				}
			}
		}
		return out;
	}

	private HealthCheck.Result run(HealthCheck check) {
		long t0 = System.nanoTime();
		try {
			HealthCheck.Result r = check.check();
			Map<String, Object> details = new LinkedHashMap<>();
			details.put("status", r.status().json());
			details.putIfAbsent("latencyMs", (System.nanoTime() - t0) / 1_000_000);
			details.putAll(r.details());
			return new HealthCheck.Result(r.status(), details);
		}
		catch (Exception ex) {
			Map<String, Object> details = new LinkedHashMap<>();
			details.put("status", HealthCheck.Status.DOWN.json());
			details.put("latencyMs", (System.nanoTime() - t0) / 1_000_000);
			details.put("error", ex.getClass().getSimpleName() + (ex.getMessage() != null ? ": " + firstLine(ex.getMessage()) : ""));
			return new HealthCheck.Result(HealthCheck.Status.DOWN, details);
		}
	}

	private static String firstLine(String s) {
		int nl = s.indexOf('\n');
		return (nl > 0) ? s.substring(0, nl) : s;
	}

	/** One round of checks. */
	public record Report(String status, Map<String, HealthCheck.Result> results, Instant at) {

		public boolean unhealthy() {
			return "unhealthy".equals(this.status);
		}

		public Map<String, Object> checksJson() {
			Map<String, Object> out = new LinkedHashMap<>();
			this.results.forEach((k, r) -> {
				Map<String, Object> d = new LinkedHashMap<>(r.details());
				d.putIfAbsent("status", r.status().json());
				out.put(k, d);
			});
			return out;
		}

	}

}
