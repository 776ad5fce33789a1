package dev.keel.jobs.perf;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.keel.KeelApplication;
import dev.keel.jobs.JobQueue;
import dev.keel.jobs.JobRequest;
import dev.keel.jobs.JobType;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Job queue benchmark against a real PostgreSQL server (default: the local one at 127.0.0.1:5432,
 * user postgres, database keel_jobs_bench, recreated on every run). Prints enqueue rates, the no-op
 * processing rate on one instance with the full semantics on (states kept, metrics, heartbeats, log
 * lines), idle pickup latency and the claim query's plan with 1 M completed rows. See perf/jobs/README.md.
 */
public final class JobsBenchmark {

	static final AtomicLong RUNS = new AtomicLong();

	static final BlockingQueue<Long> STARTS = new ArrayBlockingQueue<>(10_000);

	static volatile boolean recordStarts;

	private JobsBenchmark() {
	}

	/** The benchmark's no-op job types. */
	@Configuration(proxyBeanMethods = false)
	static class BenchTypes {

		@Bean
		JobType benchNoop() {
			int concurrency = Integer.getInteger("bench.concurrency", 256);
			JobType type = JobType.of("bench-noop", (job) -> RUNS.incrementAndGet()).withQueue("bench").withConcurrency(concurrency);
			return Boolean.getBoolean("bench.logEachJob") ? type : type.asQuiet();
		}

		@Bean
		JobType benchPing() {
			return JobType.of("bench-ping", (job) -> STARTS.offer(System.nanoTime())).withQueue("bench-ping").withConcurrency(4);
		}

	}

	public static void main(String[] args) throws Exception {
		String server = System.getProperty("bench.server", "jdbc:postgresql://127.0.0.1:5432/");
		String user = System.getProperty("bench.user", "postgres");
		String db = "keel_jobs_bench";
		int jobs = Integer.getInteger("bench.jobs", 50_000);
		try (Connection c = DriverManager.getConnection(server + "postgres", user, null); Statement s = c.createStatement()) {
			s.execute("drop database if exists " + db + " with (force)");
			s.execute("create database " + db);
		}
		ConfigurableApplicationContext ctx = new SpringApplicationBuilder(KeelApplication.class, BenchTypes.class)
			.properties(Map.of("DATABASE_URL", server + db + "?user=" + user, "PORT", "0", "DATABASE_POOL_MAX", "20",
					"BOOTSTRAP_DEMO_TENANT", "false", "keel.jobs.heartbeat-interval", "1s"))
			.run();
		try {
			run(ctx, jobs);
		}
		finally {
			ctx.close();
		}
		System.exit(0);
	}

	private static void run(ConfigurableApplicationContext ctx, int jobs) throws Exception {
		JobQueue queue = ctx.getBean(JobQueue.class);
		JdbcClient jdbc = ctx.getBean(JdbcClient.class);
		String cpu = cpu();
		List<String> out = new ArrayList<>();
		out.add("hardware: " + Runtime.getRuntime().availableProcessors() + " cores, " + cpu + "; PostgreSQL "
				+ jdbc.sql("show server_version").query(String.class).single() + "; worker concurrency "
				+ queue.types().get("bench-noop").concurrency() + " (one instance); per-job INFO start/finish lines "
				+ (queue.types().get("bench-noop").quiet() ? "off (quiet type; metrics, heartbeats, states on)" : "on"));

		jdbc.sql("insert into job_queues (queue, paused) values ('bench', true)").update();
		// Warm-up.
		for (int i = 0; i < 2_000; i++) {
			queue.enqueue("bench-noop", null);
		}
		int single = 10_000;
		long t0 = System.nanoTime();
		for (int i = 0; i < single; i++) {
			queue.enqueue("bench-noop", Map.of("i", i));
		}
		double singleRate = single / seconds(t0);
		out.add(String.format("enqueue, one job per call (1 thread, autocommit): %,.0f jobs/s", singleRate));

		int batched = jobs - single - 2_000;
		t0 = System.nanoTime();
		for (int done = 0; done < batched; done += 1_000) {
			List<JobRequest> batch = new ArrayList<>(1_000);
			for (int i = 0; i < Math.min(1_000, batched - done); i++) {
				batch.add(JobRequest.of("bench-noop", Map.of("i", done + i)));
			}
			queue.enqueueAll(batch);
		}
		out.add(String.format("enqueue, batches of 1,000 (1 thread): %,.0f jobs/s", batched / seconds(t0)));

		long queued = jdbc.sql("select count(*) from jobs where name = 'bench-noop' and state = 'created'").query(Long.class).single();
		RUNS.set(0);
		t0 = System.nanoTime();
		jdbc.sql("update job_queues set paused = false where queue = 'bench'").update();
		jdbc.sql("select pg_notify('keel_jobs', 'bench-noop')").query(String.class).list();
		long handlersDoneAt = 0;
		while (true) {
			if (handlersDoneAt == 0 && RUNS.get() >= queued) {
				handlersDoneAt = System.nanoTime();
			}
			long left = jdbc.sql("select count(*) from jobs where name = 'bench-noop' and state in ('created', 'retry', 'active')")
				.query(Long.class).single();
			if (left == 0) {
				break;
			}
			Thread.sleep(20);
		}
		double elapsed = seconds(t0);
		out.add(String.format("processing %,d pre-inserted no-op jobs to state 'completed': %.2f s = %,.0f jobs/s", queued, elapsed,
				queued / elapsed));

		// Idle pickup latency: the queue is empty; each enqueue commits, NOTIFY wakes the worker.
		Thread.sleep(500);
		recordStarts = true;
		long[] lat = new long[300];
		for (int i = 0; i < lat.length; i++) {
			STARTS.clear();
			long before = System.nanoTime();
			queue.enqueue("bench-ping", null);
			Long started = STARTS.poll(5, TimeUnit.SECONDS);
			lat[i] = (started != null) ? started - before : TimeUnit.SECONDS.toNanos(5);
			Thread.sleep(15);
		}
		Arrays.sort(lat);
		out.add(String.format("idle pickup latency (enqueue commit to handler start, %d samples): p50 %.1f ms, p99 %.1f ms, max %.1f ms",
				lat.length, lat[lat.length / 2] / 1e6, lat[(int) (lat.length * 0.99)] / 1e6, lat[lat.length - 1] / 1e6));

		if (Boolean.parseBoolean(System.getProperty("bench.explain", "true"))) {
			out.add(explainClaim(ctx, jdbc));
		}
		System.out.println();
		System.out.println("==== Keel job queue benchmark ====");
		out.forEach(System.out::println);
	}

	/**
	 * The claim statement's plan with 1 M completed rows in the table and 1,000 queued jobs of a type
	 * no worker runs (so they stay queued); run in a rolled-back transaction.
	 */
	private static String explainClaim(ConfigurableApplicationContext ctx, JdbcClient jdbc) throws Exception {
		long have = jdbc.sql("select count(*) from jobs").query(Long.class).single();
		jdbc.sql("""
				insert into jobs (name, queue, state, retry_limit, expire_seconds, attempt, started_at, completed_at, created_at)
				select 'bench-noop', 'bench', 'completed', 3, 3600, 1, now(), now(), now() from generate_series(1, ?)""")
			.param(Math.max(0, 1_000_000 - have)).update();
		jdbc.sql("""
				insert into jobs (name, queue, retry_limit, expire_seconds, priority)
				select 'bench-unclaimed', 'bench', 3, 3600, g % 10 from generate_series(1, 1000) g""").update();
		jdbc.sql("analyze jobs").update();
		long total = jdbc.sql("select count(*) from jobs").query(Long.class).single();
		StringBuilder plan = new StringBuilder();
		try (Connection c = ctx.getBean(javax.sql.DataSource.class).getConnection()) {
			c.setAutoCommit(false);
			try (Statement s = c.createStatement();
					ResultSet rs = s.executeQuery("""
							explain (analyze, buffers, costs off)
							update jobs j set state = 'active', attempt = j.attempt + 1, worker = 'bench', started_at = now(), heartbeat_at = now()
							where j.id in (
							  select id from jobs
							  where state in ('created', 'retry') and name = 'bench-unclaimed' and start_after <= now()
							    and queue not in (select queue from job_queues where paused)
							  order by priority desc, start_after, id
							  limit 100
							  for update skip locked)
							returning j.id""")) {
				while (rs.next()) {
					plan.append("    ").append(rs.getString(1)).append('\n');
				}
			}
			c.rollback();
		}
		return String.format("claim query (claims 100) with %,d rows in jobs (1,000 queued, the rest completed):%n%s", total, plan);
	}

	private static double seconds(long t0) {
		return (System.nanoTime() - t0) / 1e9;
	}

	private static String cpu() {
		try {
			return java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/cpuinfo")).stream()
				.filter((l) -> l.startsWith("model name")).findFirst().map((l) -> l.substring(l.indexOf(':') + 2)).orElse("?");
		}
		catch (Exception ex) {
			return "?";
		}
	}

}
