package dev.keel.jobs;

import java.time.Duration;
import java.time.ZoneOffset;

import dev.keel.observability.LogRetention;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Job types of modules that sit below {@code jobs} in the dependency graph (they cannot see
 * {@link JobType} without a cycle): their work is registered here. Modules above {@code jobs}
 * (audit, backup, files...) declare their own {@link JobType} and {@link JobSchedule} beans.
 */
@Configuration(proxyBeanMethods = false)
class BuiltInJobTypes {

	/** Log and request-rollup retention (was a {@code @Scheduled} cron in observability). */
	@Bean
	JobType logRetentionJobType(LogRetention retention) {
		return JobType.of("log-retention", (job) -> retention.run())
			.withQueue("maintenance")
			.withRetries(2, Duration.ofMinutes(5), false)
			.withExpireIn(Duration.ofHours(1))
			.withPriority(2)
			.withConcurrency(1);
	}

	@Bean
	JobSchedule logRetentionSchedule() {
		return JobSchedule.of("log-retention", "0 15 3 * * *", ZoneOffset.UTC, "log-retention");
	}

}
