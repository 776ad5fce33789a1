package dev.keel.jobs;

import java.time.ZoneId;
import java.util.Objects;

import org.springframework.scheduling.support.CronExpression;

/**
 * A cron schedule registered in code (declare it as a bean). Stored in {@code job_schedules} so every
 * instance agrees on its last tick; each tick enqueues one job of {@code jobType}, exactly once
 * across all instances.
 *
 * @param name unique schedule name
 * @param cron Spring cron with seconds: {@code second minute hour day month weekday}
 * @param zone the time zone the cron is read in
 * @param jobType the job type enqueued per tick
 * @param payload the payload of each job, or {@code null}
 * @param missed what to do with ticks missed while no instance ran
 */
public record JobSchedule(String name, String cron, ZoneId zone, String jobType, Object payload, Missed missed) {

	public JobSchedule {
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(zone, "zone");
		Objects.requireNonNull(jobType, "jobType");
		Objects.requireNonNull(missed, "missed");
		if (!CronExpression.isValidExpression(cron)) {
			throw new IllegalArgumentException("schedule " + name + ": invalid cron '" + cron + "'");
		}
	}

	public static JobSchedule of(String name, String cron, ZoneId zone, String jobType) {
		return new JobSchedule(name, cron, zone, jobType, null, Missed.SKIP);
	}

	public JobSchedule withMissed(Missed missed) {
		return new JobSchedule(this.name, this.cron, this.zone, this.jobType, this.payload, missed);
	}

	public JobSchedule withPayload(Object payload) {
		return new JobSchedule(this.name, this.cron, this.zone, this.jobType, payload, this.missed);
	}

	/** Ticks missed while no instance was running. */
	public enum Missed {

		/** Fire every missed tick (up to a bound), oldest first. */
		CATCH_UP,
		/** Fire only the most recent missed tick. */
		SKIP

	}

}
