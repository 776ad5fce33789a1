package dev.keel.jobs;

import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import org.slf4j.MDC;

import dev.keel.observability.LogContext;
import dev.keel.tenancy.TenantScope;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Job types the tests enqueue. Runs are recorded in static maps (one JVM may hold several Keel
 * contexts, which then share them) or, for child JVMs, in the {@code keel_test.test_job_runs} table.
 */
@TestConfiguration(proxyBeanMethods = false)
public class TestJobTypes {

	/** Runs per job id, per type. */
	static final Map<Long, AtomicInteger> RUNS = new ConcurrentHashMap<>();

	static final List<String> ORDER = new CopyOnWriteArrayList<>();

	static final Map<Long, String> SEEN = new ConcurrentHashMap<>();

	static final List<JobDeadLettered> DEAD = new CopyOnWriteArrayList<>();

	static int runs(long id) {
		AtomicInteger n = RUNS.get(id);
		return (n != null) ? n.get() : 0;
	}

	private static void count(Job job) {
		RUNS.computeIfAbsent(job.id(), (k) -> new AtomicInteger()).incrementAndGet();
	}

	@Bean
	JobType testNoop() {
		return JobType.of("test-noop", TestJobTypes::count).withQueue("test").withConcurrency(16);
	}

	@Bean
	JobType testBulk() {
		return JobType.of("test-bulk", TestJobTypes::count).withQueue("test-bulk").withConcurrency(64).asQuiet();
	}

	@Bean
	JobType testFlaky() {
		return JobType.of("test-flaky", (job) -> {
			count(job);
			throw new IllegalStateException("flaky failure " + job.attempt());
		}).withQueue("test-flaky").withRetries(2, Duration.ofSeconds(60), true).withRetryDelayMax(Duration.ofMinutes(10));
	}

	@Bean
	JobType testOrdered() {
		return JobType.of("test-ordered", (job) -> ORDER.add(job.data(String.class))).withQueue("test-ordered").withConcurrency(1);
	}

	@Bean
	JobType testContext() {
		return JobType.of("test-context", (job) -> {
			UUID tenant = TenantScope.current();
			SEEN.put(job.id(), tenant + "|" + MDC.get(LogContext.CORRELATION_ID) + "|" + MDC.get(LogContext.TENANT_ID));
		}).withQueue("test");
	}

	@Bean
	JobType testCritical() {
		return JobType.of("test-critical", (job) -> {
			throw new java.io.IOException("backup target unreachable");
		}).withQueue("test-critical").withRetries(0, Duration.ofSeconds(1), false).asCritical();
	}

	@Bean
	JobType testSlow(DataSource dataSource) {
		JdbcTemplate jdbc = new JdbcTemplate(dataSource);
		return JobType.of("test-slow", (job) -> {
			Thread.sleep(Long.parseLong(job.data()));
			jdbc.update("insert into keel_test.test_job_runs (job_id, pid) values (?, ?)", job.id(), Long.toString(ProcessHandle.current().pid()));
		}).withQueue("test-chaos").withConcurrency(8).withRetries(50, Duration.ofMillis(100), false);
	}

	@Bean
	JobType testSleep() {
		return JobType.of("test-sleep", (job) -> {
			Thread.sleep(Long.parseLong(job.data()));
			count(job);
		}).withQueue("test-sleep").withConcurrency(4);
	}

	@Bean
	JobType testTick() {
		return JobType.of("test-tick", TestJobTypes::count).withQueue("test-tick");
	}

	@Bean
	@ConditionalOnProperty("keel.test.tick-schedule")
	JobSchedule testTickSchedule() {
		return JobSchedule.of("test-every-second", "* * * * * *", ZoneOffset.UTC, "test-tick");
	}

	@EventListener
	void deadLettered(JobDeadLettered event) {
		DEAD.add(event);
	}

}
