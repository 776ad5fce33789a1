package dev.keel.jobs;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import dev.keel.observability.LogContext;
import dev.keel.tenancy.TenantScope;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JobQueueTests extends JobsTestBase {

	private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
	};

	@Autowired
	TransactionTemplate tx;

	@Test
	void runsAnEnqueuedJobOnceAndRecordsItCompleted() {
		long id = this.queue.enqueue("test-noop", Map.of("hello", "world"));
		await(() -> "completed".equals(state(id)));
		assertThat(TestJobTypes.runs(id)).isEqualTo(1);
	}

	@Test
	void runsTheHandlerWithTheJobsTenantBoundAndTheEnqueuingCorrelationId() {
		UUID tenant = UUID.randomUUID();
		MDC.put(LogContext.CORRELATION_ID, "corr-jobs-1");
		long id;
		try {
			id = this.queue.enqueue(JobRequest.of("test-context", null).tenant(tenant)).orElseThrow();
		}
		finally {
			MDC.remove(LogContext.CORRELATION_ID);
		}
		await(() -> TestJobTypes.SEEN.containsKey(id));
		assertThat(TestJobTypes.SEEN.get(id)).isEqualTo(tenant + "|corr-jobs-1|" + tenant);
		assertThat(this.jdbc.sql("select correlation_id from jobs where id = ?").param(id).query(String.class).single())
			.isEqualTo("corr-jobs-1");
	}

	@Test
	void workersStoppedAndStartedAgainKeepRunningJobs() {
		// Spring pauses and restarts idle contexts; a restart must bring back dispatch, executor and listener.
		this.workers.stop();
		assertThat(this.workers.isRunning()).isFalse();
		long queuedWhileStopped = this.queue.enqueue("test-noop", "while-stopped");
		this.workers.start();
		assertThat(this.workers.isRunning()).isTrue();
		long queuedAfter = this.queue.enqueue("test-noop", "after-restart");
		await(() -> TestJobTypes.runs(queuedWhileStopped) == 1 && TestJobTypes.runs(queuedAfter) == 1);
	}

	@Test
	void enqueuesManyJobsInOneBatchAndRunsThemAll() {
		List<JobRequest> batch = new ArrayList<>();
		for (int i = 0; i < 1_000; i++) {
			batch.add(JobRequest.of("test-noop", i));
		}
		List<Long> ids = this.queue.enqueueAll(batch);
		assertThat(ids).hasSize(1_000).doesNotHaveDuplicates();
		await(() -> ids.stream().allMatch((id) -> TestJobTypes.runs(id) == 1));
		await(() -> this.jdbc.sql("select count(*) from jobs where id = any(?) and state = 'completed'")
			.param(ids.toArray(Long[]::new)).query(Long.class).single() == 1_000);
	}

	@Test
	void retriesWithExponentialBackoffAsTheClockMovesThenDeadLetters() throws Exception {
		MovableClock clock = MovableClock.INSTANCE;
		try {
			long id = this.queue.enqueue("test-flaky", null);
			await(() -> "retry".equals(state(id)));
			assertThat(TestJobTypes.runs(id)).isEqualTo(1);
			Instant due1 = startAfter(id);
			// First retry after 60 s minus at most 10 % jitter.
			assertThat(Duration.between(clock.instant(), due1)).isBetween(Duration.ofSeconds(50), Duration.ofSeconds(60));

			this.workers.wakeAll();
			Thread.sleep(300);
			assertThat(TestJobTypes.runs(id)).as("not retried before it is due").isEqualTo(1);

			clock.advance(Duration.ofSeconds(61));
			this.workers.wakeAll();
			await(() -> TestJobTypes.runs(id) == 2 && "retry".equals(state(id)));
			// Second retry backs off to 120 s (minus jitter).
			assertThat(Duration.between(clock.instant(), startAfter(id))).isBetween(Duration.ofSeconds(105), Duration.ofSeconds(120));

			clock.advance(Duration.ofSeconds(121));
			this.workers.wakeAll();
			await(() -> "dead_letter".equals(state(id)));
			assertThat(TestJobTypes.runs(id)).isEqualTo(3);
			assertThat(this.jdbc.sql("select count(*) from job_errors where job_id = ?").param(id).query(Long.class).single()).isEqualTo(3);
		}
		finally {
			clock.reset();
		}
	}

	private Instant startAfter(long id) {
		return this.jdbc.sql("select start_after from jobs where id = ?").param(id).query(java.sql.Timestamp.class).single().toInstant();
	}

	@Test
	void allowsOneQueuedOrActiveJobPerSingletonKey() {
		String key = "report-" + UUID.randomUUID();
		JobRequest request = JobRequest.of("test-noop", null).singletonKey(key).delay(Duration.ofHours(1));
		long first = this.queue.enqueue(request).orElseThrow();
		assertThat(this.queue.enqueue(request)).isEmpty();
		assertThat(this.queue.enqueueAll(List.of(request, request))).isEmpty();

		this.admin().post().uri("/admin/jobs/{id}/cancel", first).retrieve().toBodilessEntity();
		assertThat(state(first)).isEqualTo("cancelled");
		assertThat(this.queue.enqueue(request)).isPresent();
	}

	@Test
	void enqueueJoinsTheCallersTransactionSoARollbackLeavesNoJob() {
		String marker = "tx-" + UUID.randomUUID();
		assertThatThrownBy(() -> this.tx.executeWithoutResult((s) -> {
			this.queue.enqueue("test-noop", marker);
			throw new IllegalStateException("business rule failed");
		})).isInstanceOf(IllegalStateException.class);
		assertThat(countByPayload(marker)).isZero();

		this.tx.executeWithoutResult((s) -> this.queue.enqueue("test-noop", marker));
		assertThat(countByPayload(marker)).isOne();
	}

	private long countByPayload(String marker) {
		return this.jdbc.sql("select count(*) from jobs where data = to_jsonb(?::text)").param(marker).query(Long.class).single();
	}

	@Test
	void aPausedQueueRunsNothingAndOnResumeRunsHigherPriorityFirst() throws Exception {
		this.admin().post().uri("/admin/queues/test-ordered/pause").retrieve().toBodilessEntity();
		try {
			TestJobTypes.ORDER.clear();
			int[] priorities = { 1, 5, -2, 10, 3 };
			List<Long> ids = new ArrayList<>();
			for (int p : priorities) {
				ids.add(this.queue.enqueue(JobRequest.of("test-ordered", "p" + p).priority(p)).orElseThrow());
			}
			this.workers.wakeAll();
			Thread.sleep(300);
			assertThat(TestJobTypes.ORDER).as("paused queue runs nothing").isEmpty();
			assertThat(ids).allMatch((id) -> "created".equals(state(id)));
		}
		finally {
			this.admin().post().uri("/admin/queues/test-ordered/resume").retrieve().toBodilessEntity();
		}
		await(() -> TestJobTypes.ORDER.size() == 5);
		assertThat(TestJobTypes.ORDER).containsExactly("p10", "p5", "p3", "p1", "p-2");
	}

	@Test
	void rescuesAJobWhoseWorkerDiedAndRunsItAgain() {
		long id = this.jdbc.sql("""
				insert into jobs (name, queue, state, retry_limit, expire_seconds, attempt, worker, started_at, heartbeat_at)
				values ('test-noop', 'test', 'active', 3, 3600, 1, 'dead-worker', now() - interval '10 minutes', now() - interval '10 minutes')
				returning id""").query(Long.class).single();
		await(() -> "completed".equals(state(id)));
		assertThat(TestJobTypes.runs(id)).isEqualTo(1);
		assertThat(this.jdbc.sql("select error_class from job_errors where job_id = ?").param(id).query(String.class).list())
			.containsExactly("WorkerLost");
	}

	@Test
	void aCriticalJobReachingTheDeadLetterQueuePublishesAnEventAndKeepsItsErrors() {
		long id = this.queue.enqueue("test-critical", null);
		await(() -> "dead_letter".equals(state(id)));
		await(() -> TestJobTypes.DEAD.stream().anyMatch((e) -> e.jobId() == id));
		JobDeadLettered event = TestJobTypes.DEAD.stream().filter((e) -> e.jobId() == id).findFirst().orElseThrow();
		assertThat(event.jobType()).isEqualTo("test-critical");
		assertThat(event.lastError()).contains("IOException").contains("backup target unreachable");

		Map<String, Object> body = this.admin().get().uri("/admin/jobs/{id}", id).retrieve().body(JSON);
		@SuppressWarnings("unchecked")
		List<Map<String, Object>> errors = (List<Map<String, Object>>) body.get("errors");
		assertThat(errors).hasSize(1);
		assertThat(errors.get(0)).containsEntry("errorClass", "java.io.IOException").containsEntry("attempt", 1);
		assertThat((String) errors.get(0).get("stack")).contains("TestJobTypes");
	}

	@Test
	void retriesAndDeletesDeadLetteredJobsThroughTheAdminApi() {
		long id = this.queue.enqueue("test-critical", null);
		await(() -> "dead_letter".equals(state(id)));

		Map<String, Object> retried = this.admin().post().uri("/admin/jobs/retry").contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("jobId", id)).retrieve().body(JSON);
		assertThat(retried).containsEntry("retriedCount", 1).containsEntry("jobIds", List.of((int) id));
		await(() -> "dead_letter".equals(state(id))
				&& this.jdbc.sql("select attempt from jobs where id = ?").param(id).query(Integer.class).single() == 2);

		long queued = this.queue.enqueue(JobRequest.of("test-noop", null).delay(Duration.ofHours(1))).orElseThrow();
		HttpStatusCode conflict = this.admin().delete().uri("/admin/jobs/{id}", queued).exchange((req, res) -> res.getStatusCode());
		assertThat(conflict.value()).isEqualTo(409);
		this.admin().post().uri("/admin/jobs/{id}/dead-letter", queued).retrieve().toBodilessEntity();
		assertThat(state(queued)).isEqualTo("dead_letter");

		this.admin().delete().uri("/admin/jobs/{id}", id).retrieve().toBodilessEntity();
		HttpStatusCode gone = this.admin().get().uri("/admin/jobs/{id}", id).exchange((req, res) -> res.getStatusCode());
		assertThat(gone.value()).isEqualTo(404);
	}

	@Test
	void listsJobsWithFiltersAndACursorAndRejectsOversizedPages() {
		List<Long> ids = this.queue.enqueueAll(List.of(JobRequest.of("test-noop", 1), JobRequest.of("test-noop", 2), JobRequest.of("test-noop", 3)));
		Map<String, Object> page1 = this.admin().get().uri("/admin/jobs?type=test-noop&limit=2").retrieve().body(JSON);
		@SuppressWarnings("unchecked")
		List<Map<String, Object>> items = (List<Map<String, Object>>) page1.get("items");
		assertThat(items).hasSize(2);
		assertThat(((Number) items.get(0).get("id")).longValue()).isGreaterThanOrEqualTo(ids.get(2));
		Object cursor = page1.get("nextCursor");
		assertThat(cursor).isNotNull();
		Map<String, Object> page2 = this.admin().get().uri("/admin/jobs?type=test-noop&limit=2&cursor=" + cursor).retrieve().body(JSON);
		@SuppressWarnings("unchecked")
		List<Map<String, Object>> items2 = (List<Map<String, Object>>) page2.get("items");
		assertThat(((Number) items2.get(0).get("id")).longValue()).isLessThan(((Number) cursor).longValue());

		HttpStatusCode tooMany = this.admin().get().uri("/admin/jobs?limit=501").exchange((req, res) -> res.getStatusCode());
		assertThat(tooMany.value()).isEqualTo(400);
	}

	@Test
	void showsQueueCountsSchedulesHealthAndMetrics() {
		long id = this.queue.enqueue("test-noop", null);
		await(() -> "completed".equals(state(id)));

		Map<String, Object> queues = this.admin().get().uri("/admin/jobs/queues").retrieve().body(JSON);
		@SuppressWarnings("unchecked")
		List<Map<String, Object>> list = (List<Map<String, Object>>) queues.get("queues");
		Map<String, Object> test = list.stream().filter((q) -> "test".equals(q.get("queue"))).findFirst().orElseThrow();
		assertThat(((Number) test.get("completed24h")).longValue()).isPositive();
		assertThat(test).containsKeys("created", "retry", "active", "deadLetter", "failed24h", "paused");

		Map<String, Object> schedules = this.admin().get().uri("/admin/jobs/schedules").retrieve().body(JSON);
		assertThat(schedules.get("schedules").toString()).contains("log-retention").contains("job-archive").contains("nextRun");

		Map<String, Object> health = this.admin().get().uri("/health").retrieve().body(JSON);
		assertThat(health.get("checks").toString()).contains("jobQueue").contains("activeJobs").contains("queueDepth")
			.contains("oldestJobAge");

		await(() -> metrics().contains("job_queue_depth{"));
		String metrics = metrics();
		assertThat(metrics).contains("job_processing_duration_seconds_count{job_type=\"test-noop\",status=\"success\"}")
			.contains("job_enqueue_to_start_seconds_count{job_type=\"test-noop\"}");
	}

	@Test
	void countsFailuresByJobTypeAndErrorType() {
		long id = this.queue.enqueue("test-critical", null);
		await(() -> "dead_letter".equals(state(id)));
		assertThat(metrics()).contains("job_failures_total{error_type=\"IOException\",job_type=\"test-critical\"}");
	}

	private String metrics() {
		return this.admin().get().uri("/metrics").retrieve().body(String.class);
	}

	@Test
	void retriesDeadLetteredJobsByQueueAndAgeAndRejectsAMalformedAge() {
		String queue = "test-critical";
		long id = this.queue.enqueue("test-critical", null);
		await(() -> "dead_letter".equals(state(id)));
		Map<String, Object> none = this.admin().post().uri("/admin/jobs/retry").contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("queue", queue, "olderThan", "PT1H")).retrieve().body(JSON);
		assertThat(none).containsEntry("retriedCount", 0);
		Map<String, Object> retried = this.admin().post().uri("/admin/jobs/retry").contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("queue", queue, "olderThan", Instant.now().plusSeconds(5).toString())).retrieve().body(JSON);
		assertThat(retried.get("jobIds").toString()).contains(Long.toString(id));

		HttpStatusCode bad = this.admin().post().uri("/admin/jobs/retry").contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("olderThan", "yesterday")).exchange((req, res) -> res.getStatusCode());
		assertThat(bad.value()).isEqualTo(400);
	}

	@Test
	void archivesOldFinishedJobsAndDeletesOldArchivedOnesInBatches() {
		long old = this.jdbc.sql("""
				insert into jobs (name, queue, state, retry_limit, expire_seconds, attempt, started_at, completed_at)
				values ('test-noop', 'test', 'completed', 3, 3600, 1, now() - interval '10 days', now() - interval '10 days')
				returning id""").query(Long.class).single();
		long recent = this.queue.enqueue("test-noop", null);
		await(() -> "completed".equals(state(recent)));
		long ancient = this.jdbc.sql("""
				insert into jobs_archive (id, name, queue, state, retry_limit, expire_seconds, completed_at)
				values (-(floor(random() * 1e12))::bigint, 'test-noop', 'test', 'completed', 3, 3600, now() - interval '40 days')
				returning id""").query(Long.class).single();

		long run = this.queue.enqueue("job-archive", null);
		await(() -> "completed".equals(state(run)));

		assertThat(this.jdbc.sql("select count(*) from jobs where id = ?").param(old).query(Long.class).single()).isZero();
		assertThat(this.jdbc.sql("select count(*) from jobs_archive where id = ?").param(ancient).query(Long.class).single()).isZero();
		assertThat(state(recent)).isEqualTo("completed");
		Map<String, Object> archived = this.admin().get().uri("/admin/jobs/{id}", old).retrieve().body(JSON);
		@SuppressWarnings("unchecked")
		Map<String, Object> job = (Map<String, Object>) archived.get("job");
		assertThat(job).containsEntry("archived", true).containsEntry("state", "completed");
	}

	@Test
	void logsTheStartAndFinishOfAJobWithItsIdTypeTenantAndCorrelationId() {
		UUID tenant = UUID.randomUUID();
		String correlation = "corr-" + UUID.randomUUID();
		MDC.put(LogContext.CORRELATION_ID, correlation);
		long id;
		try {
			id = this.queue.enqueue(JobRequest.of("test-context", null).tenant(tenant)).orElseThrow();
		}
		finally {
			MDC.remove(LogContext.CORRELATION_ID);
		}
		await(() -> logLines(correlation).size() == 2);
		assertThat(logLines(correlation)).allSatisfy((line) -> assertThat(line)
			.containsEntry("tenant_id", tenant)
			.containsEntry("job_id", Long.toString(id))
			.containsEntry("job_type", "test-context"))
			.extracting((line) -> ((String) line.get("message")).substring(0, 13))
			.containsExactlyInAnyOrder("Job started: ", "Job completed");
	}

	private List<Map<String, Object>> logLines(String correlation) {
		return this.jdbc.sql("""
				select message, tenant_id, fields->>'jobId' as job_id, fields->>'jobType' as job_type from app_logs
				where correlation_id = ? and logger = ?""").params(correlation, JobRunner.class.getName()).query().listOfRows();
	}

	@Test
	void rejectsUnknownJobTypes() {
		assertThatThrownBy(() -> this.queue.enqueue("no-such-type", null)).isInstanceOf(IllegalArgumentException.class);
	}

}
