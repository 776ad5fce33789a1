package dev.keel.backup;

import java.time.Duration;
import java.time.ZoneOffset;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.keel.jobs.JobSchedule;
import dev.keel.jobs.JobType;

/**
 * Backups run on the job queue ({@code backups} queue, one at a time per instance, singleton keys
 * across instances): {@code backup-create}, {@code backup-verify}, {@code backup-cleanup}. The
 * schedules — daily full at {@code BACKUP_SCHEDULE}, hourly WAL checkpoint, weekly verification on
 * Sunday 04:00, daily cleanup 03:00, all UTC — exist only while {@code BACKUP_ENABLED}. Handlers
 * reach {@link BackupManagement} lazily: it enqueues jobs, so the queue cannot wait for it.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(BackupProperties.class)
class BackupJobs {

	static final String CLEANUP_JOB = "backup-cleanup";

	@Bean
	JobType backupCreateJobType(ObjectProvider<BackupManagement> backups) {
		return JobType.of(BackupManagement.CREATE_JOB, (job) -> backups.getObject().runJob(job.data(BackupManagement.CreateJob.class)))
			.withQueue("backups")
			.withRetries(1, Duration.ofMinutes(5), false)
			.withExpireIn(Duration.ofHours(6))
			.withConcurrency(1)
			.asCritical();
	}

	@Bean
	JobType backupVerifyJobType(ObjectProvider<BackupManagement> backups) {
		return JobType.of(BackupManagement.VERIFY_JOB, (job) -> backups.getObject().runVerifyJob(job.data(BackupManagement.VerifyJob.class)))
			.withQueue("backups")
			.withRetries(1, Duration.ofMinutes(10), false)
			.withExpireIn(Duration.ofHours(6))
			.withConcurrency(1)
			.asCritical();
	}

	@Bean
	JobType backupCleanupJobType(BackupCleanup cleanup) {
		return JobType.of(CLEANUP_JOB, (job) -> cleanup.run())
			.withQueue("maintenance")
			.withRetries(2, Duration.ofMinutes(5), true)
			.withExpireIn(Duration.ofHours(1))
			.withConcurrency(1);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty(name = "keel.backup.enabled", matchIfMissing = true)
	static class Schedules {

		@Bean
		JobSchedule backupFullSchedule(BackupProperties properties) {
			return JobSchedule.of("backup-full", properties.springCron(), ZoneOffset.UTC, BackupManagement.CREATE_JOB)
				.withPayload(new BackupManagement.CreateJob(null, BackupType.FULL, "schedule"))
				.withMissed(JobSchedule.Missed.SKIP);
		}

		@Bean
		JobSchedule backupIncrementalSchedule() {
			return JobSchedule.of("backup-incremental", "0 0 * * * *", ZoneOffset.UTC, BackupManagement.CREATE_JOB)
				.withPayload(new BackupManagement.CreateJob(null, BackupType.INCREMENTAL, "schedule"))
				.withMissed(JobSchedule.Missed.SKIP);
		}

		/** Off with {@code FEATURE_BACKUP_VERIFICATION=false} (verifications on request still run). */
		@Bean
		@ConditionalOnBooleanProperty(name = "keel.features.backup-verification", matchIfMissing = true)
		JobSchedule backupVerifySchedule() {
			return JobSchedule.of("backup-verify", "0 0 4 * * SUN", ZoneOffset.UTC, BackupManagement.VERIFY_JOB)
				.withPayload(new BackupManagement.VerifyJob(null))
				.withMissed(JobSchedule.Missed.SKIP);
		}

		@Bean
		JobSchedule backupCleanupSchedule() {
			return JobSchedule.of("backup-cleanup", "0 0 3 * * *", ZoneOffset.UTC, CLEANUP_JOB).withMissed(JobSchedule.Missed.SKIP);
		}

	}

}
