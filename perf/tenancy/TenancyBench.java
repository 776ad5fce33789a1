import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keel tenancy benchmark (run by perf/tenancy/run.sh against a running Keel with the embedded database).
 *
 * 1. Seeds one tenant with 1,000 users (SQL as the owner role, bound to the tenant like the app).
 * 2. GET /api/users?limit=50 as that tenant's admin, RLS ON: open loop at RATE req/s (latency measured
 *    from the intended send time, so queueing counts) and closed loop max throughput.
 * 3. The same with row-level security DISABLED on users (ALTER TABLE as the owner), then re-enabled.
 *    The page is identical in both phases: the bench tenant's users are the only tenant rows that
 *    sort into the first page (the platform admin's email sorts last).
 * 4. Login throughput (closed loop) at the server's PASSWORD_HASH_COST.
 *
 * Usage: java -cp postgresql.jar TenancyBench.java <baseUrl> <pgPort> <adminEmail> <adminPassword> [rate] [seconds]
 */
public class TenancyBench {

	static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
		.executor(Executors.newVirtualThreadPerTaskExecutor()).connectTimeout(Duration.ofSeconds(5)).build();

	static String base;

	public static void main(String[] args) throws Exception {
		base = args[0];
		int pgPort = Integer.parseInt(args[1]);
		String adminEmail = args[2];
		String adminPassword = args[3];
		int rate = (args.length > 4) ? Integer.parseInt(args[4]) : 500;
		int seconds = (args.length > 5) ? Integer.parseInt(args[5]) : 10;
		String ownerUrl = "jdbc:postgresql://localhost:" + pgPort + "/keel?user=keel_owner";

		String admin = field(post("/api/auth/login", "{\"tenant\":\"platform\",\"email\":\"" + adminEmail + "\",\"password\":\"" + adminPassword + "\"}", null, null).body(), "accessToken");
		String slug = "bench-" + Long.toString(System.currentTimeMillis(), 36);
		String tenantId = field(post("/admin/tenants", "{\"slug\":\"" + slug + "\",\"name\":\"Bench\"}", admin, null).body(), "id");
		String password = "Bench-admin-password-1";
		HttpResponse<String> created = post("/api/users", "{\"email\":\"boss@" + slug + ".test\",\"password\":\"" + password + "\",\"roles\":[\"tenant_admin\"]}", admin, tenantId);
		check(created, 201);
		try (Connection c = DriverManager.getConnection(ownerUrl); Statement s = c.createStatement()) {
			s.execute("select set_config('app.tenant_id', '" + tenantId + "', false)");
			s.execute("insert into users (tenant_id, id, email, password_hash) select '" + tenantId + "', gen_random_uuid(), "
					+ "'user' || g || '@" + slug + ".test', 'x' from generate_series(1, 1000) g");
			s.execute("analyze users");
		}
		String token = field(post("/api/auth/login", "{\"tenant\":\"" + slug + "\",\"email\":\"boss@" + slug + ".test\",\"password\":\"" + password + "\"}", null, null).body(), "accessToken");
		String path = "/api/users?limit=50";
		System.out.printf("Seeded tenant %s (%s) with 1001 users; endpoint GET %s%n%n", slug, tenantId, path);

		// Phases alternate (on, off, on, off, on, off) so JIT warm-up and the load of other processes on the machine
		// do not favour one mode; the summary averages the rounds.
		closedLoop(path, token, 16, 20);
		List<Result> on = new ArrayList<>();
		List<Result> off = new ArrayList<>();
		for (int round = 1; round <= 3; round++) {
			on.add(measure("round " + round + " RLS on ", path, token, rate, seconds));
			try (Connection c = DriverManager.getConnection(ownerUrl); Statement s = c.createStatement()) {
				s.execute("alter table users disable row level security");
				// Without RLS the query has no tenant predicate, so (tenant_id, lower(email)) cannot serve its
				// ORDER BY; give it the index it would need, so the comparison measures RLS and not a missing index.
				s.execute("create index if not exists bench_users_email on users (lower(email))");
			}
			try {
				off.add(measure("round " + round + " RLS off", path, token, rate, seconds));
			}
			finally {
				try (Connection c = DriverManager.getConnection(ownerUrl); Statement s = c.createStatement()) {
					s.execute("drop index if exists bench_users_email");
					s.execute("alter table users enable row level security");
				}
			}
		}
		// Round 1 is reported but left out of the summary: it still pays for JIT warm-up.
		on.remove(0);
		off.remove(0);
		double onRps = on.stream().mapToDouble(Result::maxRps).average().orElseThrow();
		double offRps = off.stream().mapToDouble(Result::maxRps).average().orElseThrow();
		System.out.printf("%nSummary (mean of rounds 2-3): RLS on  open-loop p95 %.1f ms at %.0f req/s achieved, max %.0f req/s%n",
				on.stream().mapToDouble(Result::p95).average().orElseThrow(), on.stream().mapToDouble(Result::achievedRps).average().orElseThrow(), onRps);
		System.out.printf("                            RLS off open-loop p95 %.1f ms at %.0f req/s achieved, max %.0f req/s%n",
				off.stream().mapToDouble(Result::p95).average().orElseThrow(), off.stream().mapToDouble(Result::achievedRps).average().orElseThrow(), offRps);
		System.out.printf("RLS on / RLS off max throughput: %.1f %%%n", 100.0 * onRps / offRps);
		System.out.printf("Same page in both modes: %s%n%n", on.get(0).firstBody.equals(off.get(0).firstBody));

		String loginBody = "{\"tenant\":\"" + slug + "\",\"email\":\"boss@" + slug + ".test\",\"password\":\"" + password + "\"}";
		Stats login = closedLoopPost("/api/auth/login", loginBody, 4, 10);
		System.out.printf("Login (bcrypt at the server's PASSWORD_HASH_COST), 4 concurrent clients, 10 s: %.1f logins/s, p50 %.1f ms, p95 %.1f ms, errors %d%n",
				login.rps, login.p(50), login.p(95), login.errors);
	}

	record Result(double p50, double p95, double p99, double achievedRps, long errors, double maxRps, String firstBody) {
	}

	static Result measure(String label, String path, String token, int rate, int seconds) throws Exception {
		HttpResponse<String> first = get(path, token);
		check(first, 200);
		Stats open = openLoop(path, token, rate, seconds);
		Stats closed = closedLoop(path, token, 16, seconds);
		System.out.printf("%s | open loop %d req/s for %d s: achieved %.0f req/s, p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, errors %d | closed loop 16 clients: %.0f req/s (p95 %.1f ms)%n",
				label, rate, seconds, open.rps, open.p(50), open.p(95), open.p(99), open.errors, closed.rps, closed.p(95));
		return new Result(open.p(50), open.p(95), open.p(99), open.rps, open.errors, closed.rps, first.body().replaceAll("\"correlationId\":\"[^\"]*\"", ""));
	}

	static final class Stats {

		final List<Double> millis = Collections.synchronizedList(new ArrayList<>());

		long errors;

		double rps;

		double p(double percentile) {
			List<Double> sorted = new ArrayList<>(this.millis);
			Collections.sort(sorted);
			if (sorted.isEmpty()) {
				return Double.NaN;
			}
			return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1));
		}

	}

	/** Sends at a fixed rate regardless of responses; latency counts from the intended send time. */
	static Stats openLoop(String path, String token, int rate, int seconds) throws Exception {
		Stats stats = new Stats();
		AtomicLong errors = new AtomicLong();
		ConcurrentLinkedQueue<CompletableFuture<?>> inflight = new ConcurrentLinkedQueue<>();
		long intervalNanos = 1_000_000_000L / rate;
		long start = System.nanoTime();
		long total = (long) rate * seconds;
		for (long i = 0; i < total; i++) {
			long intended = start + i * intervalNanos;
			long wait = intended - System.nanoTime();
			if (wait > 0) {
				java.util.concurrent.locks.LockSupport.parkNanos(wait);
			}
			inflight.add(HTTP.sendAsync(request(path, token), HttpResponse.BodyHandlers.discarding()).whenComplete((r, ex) -> {
				stats.millis.add((System.nanoTime() - intended) / 1e6);
				if (ex != null || r.statusCode() != 200) {
					errors.incrementAndGet();
				}
			}));
		}
		CompletableFuture.allOf(inflight.toArray(CompletableFuture[]::new)).exceptionally((ex) -> null).join();
		stats.rps = total / ((System.nanoTime() - start) / 1e9);
		stats.errors = errors.get();
		return stats;
	}

	static Stats closedLoop(String path, String token, int clients, int seconds) throws Exception {
		return closed(() -> HTTP.send(request(path, token), HttpResponse.BodyHandlers.discarding()).statusCode(), clients, seconds);
	}

	static Stats closedLoopPost(String path, String body, int clients, int seconds) throws Exception {
		return closed(() -> post(path, body, null, null).statusCode(), clients, seconds);
	}

	interface Call {

		int status() throws Exception;

	}

	static Stats closed(Call call, int clients, int seconds) throws Exception {
		Stats stats = new Stats();
		AtomicLong errors = new AtomicLong();
		AtomicLong done = new AtomicLong();
		long end = System.nanoTime() + seconds * 1_000_000_000L;
		long start = System.nanoTime();
		try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
			for (int c = 0; c < clients; c++) {
				pool.submit(() -> {
					while (System.nanoTime() < end) {
						long t0 = System.nanoTime();
						try {
							if (call.status() != 200) {
								errors.incrementAndGet();
							}
						}
						catch (Exception ex) {
							errors.incrementAndGet();
						}
						stats.millis.add((System.nanoTime() - t0) / 1e6);
						done.incrementAndGet();
					}
					return null;
				});
			}
		}
		stats.rps = done.get() / ((System.nanoTime() - start) / 1e9);
		stats.errors = errors.get();
		return stats;
	}

	static HttpRequest request(String path, String token) {
		return HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).GET().build();
	}

	static HttpResponse<String> get(String path, String token) throws Exception {
		return HTTP.send(request(path, token), HttpResponse.BodyHandlers.ofString());
	}

	static HttpResponse<String> post(String path, String json, String token, String tenant) throws Exception {
		HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
			.timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(json));
		if (token != null) {
			b.header("Authorization", "Bearer " + token);
		}
		if (tenant != null) {
			b.header("X-Tenant-ID", tenant);
		}
		return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
	}

	static void check(HttpResponse<String> r, int status) {
		if (r.statusCode() != status) {
			throw new IllegalStateException(r.request().uri() + " -> " + r.statusCode() + " " + r.body());
		}
	}

	static String field(String json, String name) {
		Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
		if (!m.find()) {
			throw new IllegalStateException("no " + name + " in " + json);
		}
		return m.group(1);
	}

}
