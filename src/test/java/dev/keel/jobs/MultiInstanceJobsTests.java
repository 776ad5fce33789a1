package dev.keel.jobs;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import dev.keel.KeelApplication;
import dev.keel.TestAdmin;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three Keel instances in one JVM against one database: two workers and a web-only instance
 * ({@code JOBS_ENABLED=false}) that enqueues. Each is a full, separate Spring context.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultiInstanceJobsTests {

	private static ConfigurableApplicationContext workerA;

	private static ConfigurableApplicationContext workerB;

	private static ConfigurableApplicationContext webOnly;

	private static Instant startedAt;

	@BeforeAll
	static void startInstances() {
		workerA = start(Map.of());
		var b = CompletableFuture.supplyAsync(() -> start(Map.of("SHUTDOWN_TIMEOUT", "2s")));
		var c = CompletableFuture.supplyAsync(() -> start(Map.of("JOBS_ENABLED", "false")));
		workerB = b.join();
		webOnly = c.join();
		startedAt = Instant.now();
	}

	private static ConfigurableApplicationContext start(Map<String, Object> extra) {
		Map<String, Object> p = new HashMap<>();
		p.put("keel.database.embedded-dir", "target/test-postgres");
		p.put("keel.database.embedded-clean", "true");
		p.put("BOOTSTRAP_ADMIN_EMAIL", TestAdmin.EMAIL);
		p.put("BOOTSTRAP_ADMIN_PASSWORD", TestAdmin.PASSWORD);
		p.put("PASSWORD_HASH_COST", "4");
		p.put("BOOTSTRAP_DEMO_TENANT", "false");
		p.put("PORT", "0");
		p.put("keel.test.tick-schedule", "true");
		p.put("keel.jobs.rescue-interval", "500ms");
		p.putAll(extra);
		return new SpringApplicationBuilder(KeelApplication.class, TestJobTypes.class).properties(p).run();
	}

	@AfterAll
	static void stopInstances() {
		for (ConfigurableApplicationContext c : new ConfigurableApplicationContext[] { webOnly, workerB, workerA }) {
			if (c != null && c.isActive()) {
				c.close();
			}
		}
	}

	private static JdbcClient jdbc() {
		return workerA.getBean(JdbcClient.class);
	}

	@Test
	@Order(1)
	void aWebOnlyInstanceEnqueuesButRunsNoWorkers() {
		assertThat(webOnly.getBeanProvider(JobWorkers.class).getIfAvailable()).isNull();
		assertThat(workerA.getBeanProvider(JobWorkers.class).getIfAvailable()).isNotNull();
	}

	@Test
	@Order(2)
	void twentyThousandJobsRunExactlyOnceAcrossInstances() {
		JobQueue queue = webOnly.getBean(JobQueue.class);
		List<Long> ids = new ArrayList<>();
		for (int batch = 0; batch < 20; batch++) {
			List<JobRequest> requests = new ArrayList<>();
			for (int i = 0; i < 1_000; i++) {
				requests.add(JobRequest.of("test-bulk", batch * 1_000 + i));
			}
			ids.addAll(queue.enqueueAll(requests));
		}
		assertThat(ids).hasSize(20_000).doesNotHaveDuplicates();
		Long[] array = ids.toArray(Long[]::new);
		Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
			.until(() -> jdbc().sql("select count(*) from jobs where id = any(?) and state = 'completed'").param(array)
				.query(Long.class).single() == 20_000);
		long runTwice = ids.stream().filter((id) -> TestJobTypes.runs(id) != 1).count();
		assertThat(runTwice).as("jobs not run exactly once").isZero();
		List<String> workers = jdbc().sql("select distinct worker from jobs where id = any(?)").param(array).query(String.class).list();
		assertThat(workers).as("work spread over the worker instances").hasSizeGreaterThanOrEqualTo(2);
	}

	@Test
	@Order(3)
	void aSecondsLevelCronFiresOncePerTickAcrossInstances() {
		Instant from = startedAt.plusSeconds(1);
		Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
			.until(() -> ticksSince(from).size() >= 5);
		List<Instant> ticks = ticksSince(from);
		for (int i = 1; i < ticks.size(); i++) {
			assertThat(Duration.between(ticks.get(i - 1), ticks.get(i))).as("no tick skipped").isEqualTo(Duration.ofSeconds(1));
		}
		List<Map<String, Object>> doubled = jdbc().sql("""
				select start_after, count(*) from jobs where name = 'test-tick' and start_after >= ?
				group by start_after having count(*) > 1""").param(java.sql.Timestamp.from(from)).query().listOfRows();
		assertThat(doubled).as("ticks with more than one job").isEmpty();
		List<Long> jobIds = jdbc().sql("select job_id from job_schedule_ticks where schedule = 'test-every-second' and tick >= ?")
			.param(java.sql.Timestamp.from(from)).query(Long.class).list();
		Awaitility.await().atMost(Duration.ofSeconds(10))
			.until(() -> jobIds.stream().allMatch((id) -> TestJobTypes.runs(id) == 1));
	}

	private static List<Instant> ticksSince(Instant from) {
		return jdbc().sql("select tick from job_schedule_ticks where schedule = 'test-every-second' and tick >= ? order by tick")
			.param(java.sql.Timestamp.from(from)).query(java.sql.Timestamp.class).list().stream().map(java.sql.Timestamp::toInstant).toList();
	}

	@Test
	@Order(4)
	void shutdownReleasesJobsThatOutliveTheTimeoutForImmediateRetryElsewhere() {
		String workerIdB = workerB.getBean(JobWorkers.class).workerId();
		JobQueue queue = webOnly.getBean(JobQueue.class);
		List<Long> ids = new ArrayList<>();
		for (int i = 0; i < 8; i++) {
			ids.add(queue.enqueue("test-sleep", 4_000));
		}
		Long[] array = ids.toArray(Long[]::new);
		Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> jdbc()
			.sql("select count(*) from jobs where id = any(?) and state = 'active' and worker = ?").params(array, workerIdB)
			.query(Long.class).single() > 0);

		workerB.close();

		assertThat(jdbc().sql("select count(*) from jobs where id = any(?) and state = 'active' and worker = ?").params(array, workerIdB)
			.query(Long.class).single()).as("jobs left active by the stopped instance").isZero();
		Awaitility.await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(200))
			.until(() -> jdbc().sql("select count(*) from jobs where id = any(?) and state = 'completed'").param(array)
				.query(Long.class).single() == 8);
		assertThat(jdbc().sql("select count(*) from jobs where id = any(?) and attempt > 1 and retry_count = 0").param(array)
			.query(Long.class).single()).as("released jobs ran again without counting a failure").isPositive();
	}

}
