package dev.keel.jobs;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * What to enqueue: a type and its payload, plus options. Build with {@link #of} and the withers.
 *
 * @param type the registered job type's name
 * @param payload any JSON-serialisable value, or {@code null}
 * @param runAt earliest start ({@code null} = now)
 * @param delay delay from now (used when {@code runAt} is {@code null})
 * @param priority overrides the type's priority when not {@code null}
 * @param singletonKey at most one queued or active job per key; a second enqueue returns nothing
 * @param tenantId the tenant bound while the handler runs
 */
public record JobRequest(String type, Object payload, Instant runAt, Duration delay, Integer priority,
		String singletonKey, UUID tenantId) {

	public static JobRequest of(String type, Object payload) {
		return new JobRequest(type, payload, null, null, null, null, null);
	}

	public JobRequest runAt(Instant runAt) {
		return new JobRequest(this.type, this.payload, runAt, this.delay, this.priority, this.singletonKey, this.tenantId);
	}

	public JobRequest delay(Duration delay) {
		return new JobRequest(this.type, this.payload, this.runAt, delay, this.priority, this.singletonKey, this.tenantId);
	}

	public JobRequest priority(int priority) {
		return new JobRequest(this.type, this.payload, this.runAt, this.delay, priority, this.singletonKey, this.tenantId);
	}

	public JobRequest singletonKey(String singletonKey) {
		return new JobRequest(this.type, this.payload, this.runAt, this.delay, this.priority, singletonKey, this.tenantId);
	}

	public JobRequest tenant(UUID tenantId) {
		return new JobRequest(this.type, this.payload, this.runAt, this.delay, this.priority, this.singletonKey, tenantId);
	}

}
