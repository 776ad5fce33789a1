package dev.keel.jobs;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import dev.keel.observability.LogContext;
import dev.keel.tenancy.TenantScope;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs one claimed job: logging context (correlation id of the enqueuing request, tenant), the tenant
 * binding, metrics, one log line at start and one at finish or failure, and the recording of a failed
 * attempt (retry with backoff, or dead-letter, with an ERROR line and {@link JobDeadLettered} for
 * critical types).
 */
class JobRunner {

	private static final Logger log = LoggerFactory.getLogger(JobRunner.class);

	private static final int STACK_LIMIT = 4_000;

	private final JobRepository jobs;

	private final JobMetrics metrics;

	private final Clock clock;

	private final TransactionTemplate tx;

	private final ApplicationEventPublisher events;

	private final Map<String, JobType> types;

	JobRunner(JobRepository jobs, JobMetrics metrics, Clock clock, TransactionTemplate tx, ApplicationEventPublisher events,
			Map<String, JobType> types) {
		this.jobs = jobs;
		this.metrics = metrics;
		this.clock = clock;
		this.tx = tx;
		this.events = events;
		this.types = types;
	}

	/** Runs the handler; returns true when it completed (the caller records the completion in a batch). */
	boolean run(JobType type, JobRepository.Claimed claimed) {
		Job job = claimed.job();
		Map<String, String> previous = MDC.getCopyOfContextMap();
		if (job.correlationId() != null) {
			MDC.put(LogContext.CORRELATION_ID, job.correlationId());
		}
		if (job.tenantId() != null) {
			MDC.put(LogContext.TENANT_ID, job.tenantId().toString());
		}
		MDC.put("jobId", Long.toString(job.id()));
		MDC.put("jobType", job.type());
		long t0 = System.nanoTime();
		try {
			this.metrics.started(job.type(), Duration.between(claimed.startAfter(), this.clock.instant()));
			if (!type.quiet()) {
				log.info("Job started: {} #{} attempt {}", job.type(), job.id(), job.attempt());
			}
			else if (log.isDebugEnabled()) {
				log.debug("Job started: {} #{} attempt {}", job.type(), job.id(), job.attempt());
			}
			try {
				if (job.tenantId() != null) {
					TenantScope.call(job.tenantId(), () -> {
						handle(type, job);
						return null;
					});
				}
				else {
					handle(type, job);
				}
			}
			catch (HandlerFailure ex) {
				failed(type, job, ex.getCause(), System.nanoTime() - t0);
				return false;
			}
			long took = System.nanoTime() - t0;
			this.metrics.processed(job.type(), true, took);
			if (!type.quiet()) {
				log.info("Job completed: {} #{} in {} ms", job.type(), job.id(), took / 1_000_000);
			}
			else if (log.isDebugEnabled()) {
				log.debug("Job completed: {} #{} in {} ms", job.type(), job.id(), took / 1_000_000);
			}
			return true;
		}
		finally {
			if (previous != null) {
				MDC.setContextMap(previous);
			}
			else {
				MDC.clear();
			}
		}
	}

	private static void handle(JobType type, Job job) {
		try {
			type.handler().handle(job);
		}
		catch (Exception | Error ex) {
			throw new HandlerFailure(ex);
		}
	}

	private void failed(JobType type, Job job, Throwable error, long nanos) {
		this.metrics.processed(job.type(), false, nanos);
		String errorType = error.getClass().getSimpleName();
		this.metrics.failed(job.type(), errorType);
		Duration delay = type.delayBeforeRetry(job.attempt(), ThreadLocalRandom.current().nextDouble());
		Instant retryAt = this.clock.instant().plus(delay);
		String message = (error.getMessage() != null) ? trim(error.getMessage(), 2_000) : null;
		var outcome = this.tx.execute((s) -> this.jobs.fail(job.id(), job.attempt(), retryAt, error.getClass().getName(),
				message, trim(stack(error), STACK_LIMIT)));
		if (outcome == null || outcome.isEmpty()) {
			log.warn("Job failed after it was taken back (cancelled or rescued): {} #{}: {}", job.type(), job.id(), errorType);
			return;
		}
		if ("dead_letter".equals(outcome.get().state())) {
			deadLettered(type, job.id(), job.queue(), job.tenantId(), job.attempt(), errorType + ": " + message);
		}
		else {
			log.warn("Job failed: {} #{} attempt {} ({}: {}); retry in {} ms", job.type(), job.id(), job.attempt(), errorType,
					message, delay.toMillis());
		}
	}

	void deadLettered(JobType type, long id, String queue, java.util.UUID tenantId, int attempts, String lastError) {
		if (type != null && type.critical()) {
			log.error("Critical job dead-lettered: {} #{} after {} attempt(s): {}", type.name(), id, attempts, lastError);
			this.events.publishEvent(new JobDeadLettered(id, type.name(), queue, tenantId, attempts, lastError));
		}
		else {
			log.warn("Job dead-lettered: {} #{} after {} attempt(s): {}", (type != null) ? type.name() : "?", id, attempts, lastError);
		}
	}

	JobType type(String name) {
		return this.types.get(name);
	}

	static String stack(Throwable t) {
		StringWriter w = new StringWriter();
		t.printStackTrace(new PrintWriter(w));
		return w.toString();
	}

	static String trim(String s, int max) {
		return (s.length() <= max) ? s : s.substring(0, max) + "…";
	}

	/** Carries a handler's exception out of the tenant scope. */
	private static final class HandlerFailure extends RuntimeException {

		HandlerFailure(Throwable cause) {
			super(cause);
		}

	}

}
