package dev.keel.jobs;

import java.time.Duration;
import java.util.Objects;

/**
 * A job type registered in code: declare one as a bean and every instance with jobs enabled works on
 * it. Built with {@link #of} and the {@code with...} methods; the defaults follow the seed catalog's
 * common case.
 *
 * @param name unique type name, e.g. {@code audit-cleanup}
 * @param queue the queue it belongs to (pause/resume and the operations view are per queue)
 * @param handler the work
 * @param retryLimit retries after the first attempt before the job is dead-lettered
 * @param retryDelay delay before the first retry
 * @param retryBackoff whether the delay doubles on each further retry
 * @param retryDelayMax cap of the backed-off delay
 * @param expireIn longest run before the attempt counts as failed (and is rescued if its worker died)
 * @param priority default priority (higher runs first)
 * @param concurrency jobs of this type run at once per instance
 * @param critical whether reaching the dead-letter queue is an alert ({@link JobDeadLettered})
 * @param quiet whether the per-job start and finish lines are logged at DEBUG instead of INFO (for
 *        high-volume types; failures are always logged)
 */
public record JobType(String name, String queue, JobHandler handler, int retryLimit, Duration retryDelay,
		boolean retryBackoff, Duration retryDelayMax, Duration expireIn, int priority, int concurrency, boolean critical, boolean quiet) {

	public JobType {
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(queue, "queue");
		Objects.requireNonNull(handler, "handler");
		if (retryLimit < 0 || concurrency < 1 || expireIn.isNegative() || expireIn.isZero()) {
			throw new IllegalArgumentException("job type " + name + ": retryLimit >= 0, concurrency >= 1 and expireIn > 0 required");
		}
	}

	public static JobType of(String name, JobHandler handler) {
		return new JobType(name, "default", handler, 3, Duration.ofSeconds(30), true, Duration.ofHours(1),
				Duration.ofHours(1), 0, 2, false, false);
	}

	public JobType withQueue(String queue) {
		return new JobType(this.name, queue, this.handler, this.retryLimit, this.retryDelay, this.retryBackoff,
				this.retryDelayMax, this.expireIn, this.priority, this.concurrency, this.critical, this.quiet);
	}

	public JobType withRetries(int retryLimit, Duration retryDelay, boolean retryBackoff) {
		return new JobType(this.name, this.queue, this.handler, retryLimit, retryDelay, retryBackoff, this.retryDelayMax,
				this.expireIn, this.priority, this.concurrency, this.critical, this.quiet);
	}

	public JobType withRetryDelayMax(Duration retryDelayMax) {
		return new JobType(this.name, this.queue, this.handler, this.retryLimit, this.retryDelay, this.retryBackoff,
				retryDelayMax, this.expireIn, this.priority, this.concurrency, this.critical, this.quiet);
	}

	public JobType withExpireIn(Duration expireIn) {
		return new JobType(this.name, this.queue, this.handler, this.retryLimit, this.retryDelay, this.retryBackoff,
				this.retryDelayMax, expireIn, this.priority, this.concurrency, this.critical, this.quiet);
	}

	public JobType withPriority(int priority) {
		return new JobType(this.name, this.queue, this.handler, this.retryLimit, this.retryDelay, this.retryBackoff,
				this.retryDelayMax, this.expireIn, priority, this.concurrency, this.critical, this.quiet);
	}

	public JobType withConcurrency(int concurrency) {
		return new JobType(this.name, this.queue, this.handler, this.retryLimit, this.retryDelay, this.retryBackoff,
				this.retryDelayMax, this.expireIn, this.priority, concurrency, this.critical, this.quiet);
	}

	public JobType asCritical() {
		return new JobType(this.name, this.queue, this.handler, this.retryLimit, this.retryDelay, this.retryBackoff,
				this.retryDelayMax, this.expireIn, this.priority, this.concurrency, true, this.quiet);
	}

	public JobType asQuiet() {
		return new JobType(this.name, this.queue, this.handler, this.retryLimit, this.retryDelay, this.retryBackoff,
				this.retryDelayMax, this.expireIn, this.priority, this.concurrency, this.critical, true);
	}

	/**
	 * Delay before retry number {@code retry} (1 = first retry): {@code retryDelay}, doubled per
	 * further retry when backing off, capped at {@code retryDelayMax}, with up to 10 % random jitter
	 * subtracted so that a burst of failures does not retry in lockstep.
	 */
	public Duration delayBeforeRetry(int retry, double jitter) {
		long base = this.retryDelay.toMillis();
		long delay = base;
		if (this.retryBackoff) {
			int shift = Math.min(Math.max(retry - 1, 0), 40);
			delay = (base > (Long.MAX_VALUE >> shift)) ? Long.MAX_VALUE : base << shift;
		}
		delay = Math.min(delay, Math.max(this.retryDelayMax.toMillis(), base));
		return Duration.ofMillis(delay - (long) (delay * 0.1 * Math.min(Math.max(jitter, 0), 1)));
	}

}
