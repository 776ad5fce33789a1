package dev.keel.jobs;

import java.util.UUID;

/**
 * Published when a job of a critical type reaches the dead-letter queue (the alerting module listens).
 *
 * @param jobId the job
 * @param jobType its type
 * @param queue its queue
 * @param tenantId its tenant, or {@code null}
 * @param attempts how many times it ran
 * @param lastError class and message of the last failure
 */
public record JobDeadLettered(long jobId, String jobType, String queue, UUID tenantId, int attempts, String lastError) {
}
