package dev.keel.jobs;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.keel.database.DatabaseEndpoints;
import dev.keel.observability.HealthCheck;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Wiring of the job queue. The workers (dispatchers, listener, heartbeats, rescue, schedules,
 * housekeeping) exist only when {@code JOBS_ENABLED} is true; a web-only instance still enqueues and
 * serves the operations API.
 */
@Configuration(proxyBeanMethods = false)
class JobsConfiguration {

	private static final Logger log = LoggerFactory.getLogger(JobsConfiguration.class);

	@Bean
	JobRunner jobRunner(JobRepository jobs, JobMetrics metrics, Clock clock, TransactionTemplate tx,
			ApplicationEventPublisher events, List<JobType> types) {
		return new JobRunner(jobs, metrics, clock, tx, events,
				types.stream().collect(Collectors.toUnmodifiableMap(JobType::name, Function.identity())));
	}

	@Bean
	FireDueSchedules fireDueSchedules(JdbcClient jdbc, TransactionTemplate tx, JobQueue queue, Clock clock,
			List<JobSchedule> schedules) {
		return new FireDueSchedules(jdbc, tx, queue, clock, schedules);
	}

	@Bean
	@ConditionalOnProperty(name = "keel.jobs.enabled", havingValue = "true", matchIfMissing = true)
	JobWorkers jobWorkers(JobRepository jobs, JobRunner runner, JobsProperties properties, Clock clock, List<JobType> types,
			DatabaseEndpoints endpoints, JobAdminRepository admin, JobMetrics metrics, FireDueSchedules schedules,
			@Value("${spring.lifecycle.timeout-per-shutdown-phase:30s}") Duration shutdownTimeout) {
		Runnable monitor = () -> metrics.depth(admin.inFlight());
		JobWorkers workers = new JobWorkers(jobs, runner, properties, clock, types, endpoints.app(), monitor,
				shutdownTimeout.minusMillis(Math.min(2_000, shutdownTimeout.toMillis() / 4)));
		workers.onStart(schedules::register);
		workers.addTimer(Duration.ofMillis(250), schedules);
		return workers;
	}

	@Bean
	HealthCheck jobQueueHealthCheck(JobAdminRepository admin, java.util.Optional<JobWorkers> workers) {
		return new HealthCheck() {
			@Override
			public String name() {
				return "jobQueue";
			}

			@Override
			public Result check() {
				long active = 0;
				long pending = 0;
				for (JobAdminRepository.QueueCount c : admin.inFlight()) {
					if ("active".equals(c.state())) {
						active += c.count();
					}
					else if (!"dead_letter".equals(c.state())) {
						pending += c.count();
					}
				}
				long oldest = admin.oldestDueAgeSeconds();
				Map<String, Object> d = new LinkedHashMap<>();
				d.put("activeJobs", active);
				d.put("queueDepth", pending);
				d.put("oldestJobAge", oldest);
				d.put("workers", workers.isPresent() ? "enabled" : "disabled");
				return (oldest > 900) ? Result.degraded(d) : Result.up(d);
			}
		};
	}

	/** Housekeeping of the queue itself: archive, then delete, in bounded batches. */
	@Bean
	JobType jobArchiveJobType(JobAdminRepository admin, JobsProperties properties) {
		return JobType.of("job-archive", (job) -> {
			int archived = 0;
			int deleted = 0;
			for (int i = 0; i < 1_000; i++) {
				int n = admin.archive(properties.archiveAfterDays(), properties.maintenanceBatch());
				archived += n;
				if (n < properties.maintenanceBatch()) {
					break;
				}
			}
			for (int i = 0; i < 1_000; i++) {
				int n = admin.deleteArchived(properties.deleteAfterDays(), properties.maintenanceBatch());
				deleted += n;
				if (n < properties.maintenanceBatch()) {
					break;
				}
			}
			admin.deleteOldCounts();
			log.info("Job archive: archived {} finished job(s), deleted {} archived job(s)", archived, deleted);
		}).withQueue("maintenance").withRetries(2, Duration.ofMinutes(5), false).withConcurrency(1);
	}

	@Bean
	JobSchedule jobArchiveSchedule() {
		return JobSchedule.of("job-archive", "0 30 * * * *", java.time.ZoneOffset.UTC, "job-archive");
	}

}
