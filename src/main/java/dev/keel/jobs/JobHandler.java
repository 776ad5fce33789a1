package dev.keel.jobs;

/**
 * The work of one job type. Returning normally completes the job; throwing fails this attempt, which
 * is retried with the type's backoff until its retry limit, then moved to the dead-letter queue.
 * Handlers may run more than once for one job (a worker killed after the work but before the
 * completion is recorded), so make them idempotent.
 */
@FunctionalInterface
public interface JobHandler {

	void handle(Job job) throws Exception;

}
