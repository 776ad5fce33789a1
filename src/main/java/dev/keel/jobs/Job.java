package dev.keel.jobs;

import java.time.Instant;
import java.util.UUID;

import tools.jackson.databind.json.JsonMapper;

/**
 * A claimed job as its handler sees it.
 *
 * @param id the job id
 * @param type the job type name
 * @param queue the queue it ran on
 * @param data the JSON payload (may be {@code null})
 * @param tenantId the tenant it runs for (bound around the handler), or {@code null}
 * @param correlationId the correlation id of the request that enqueued it
 * @param attempt 1 for the first run, 2 for the second...
 * @param createdAt when it was enqueued
 */
public record Job(long id, String type, String queue, String data, UUID tenantId, String correlationId, int attempt,
		Instant createdAt) {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/** The payload read as {@code type}. */
	public <T> T data(Class<T> type) {
		return (this.data != null) ? JSON.readValue(this.data, type) : null;
	}

}
