package dev.keel.jobs;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.convert.DurationUnit;

/**
 * Job queue settings ({@code JOB_*}, {@code JOBS_ENABLED}; the rest are fixed defaults tests tune).
 *
 * @param enabled whether this instance runs jobs and schedules (false = web-only; enqueue still works)
 * @param monitorInterval how often queue depth metrics are refreshed
 * @param archiveAfterDays finished jobs move to {@code jobs_archive} after this many days
 * @param deleteAfterDays archived jobs are deleted after this many days (counted from completion)
 * @param pollInterval fallback poll when no notification arrives
 * @param heartbeatInterval how often a worker marks its running jobs alive
 * @param heartbeatTimeout a running job without heartbeat for this long is rescued (its worker died)
 * @param rescueInterval how often an instance looks for jobs to rescue
 * @param maintenanceBatch rows per archive/delete statement (bounded, so no long locks)
 * @param excludeTypes job types this instance does not work on (to split worker fleets by type)
 */
@ConfigurationProperties("keel.jobs")
public record JobsProperties(@DefaultValue("true") boolean enabled, @DefaultValue("30") @DurationUnit(ChronoUnit.SECONDS) Duration monitorInterval,
		@DefaultValue("7") int archiveAfterDays, @DefaultValue("30") int deleteAfterDays,
		@DefaultValue("2s") Duration pollInterval, @DefaultValue("10s") Duration heartbeatInterval,
		@DefaultValue("60s") Duration heartbeatTimeout, @DefaultValue("5s") Duration rescueInterval,
		@DefaultValue("5000") int maintenanceBatch, @DefaultValue({}) java.util.List<String> excludeTypes) {
}
