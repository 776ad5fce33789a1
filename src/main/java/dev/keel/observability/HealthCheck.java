package dev.keel.observability;

import java.util.Map;

/**
 * One dependency in {@code /health}. Modules expose their checks as beans (database, storage, job
 * queue, scanner...). A check that throws or overruns its time limit counts as down.
 */
public interface HealthCheck {

	/** Key in the {@code checks} object, e.g. {@code database}. */
	String name();

	/** Whether this dependency being down makes Keel unhealthy (503) rather than degraded (200). */
	default boolean critical() {
		return false;
	}

	Result check() throws Exception;

	/** Whether the check's details belong only in {@code /health/detailed}. */
	default Map<String, Object> detail() throws Exception {
		return Map.of();
	}

	/** Status of one dependency. */
	enum Status {

		UP, DEGRADED, DOWN;

		public String json() {
			return name().toLowerCase(java.util.Locale.ROOT);
		}

	}

	/** What a check found; {@code details} are the fields shown next to {@code status}. */
	record Result(Status status, Map<String, Object> details) {

		public static Result up(Map<String, Object> details) {
			return new Result(Status.UP, details);
		}

		public static Result degraded(Map<String, Object> details) {
			return new Result(Status.DEGRADED, details);
		}

		public static Result down(Map<String, Object> details) {
			return new Result(Status.DOWN, details);
		}

	}

}
