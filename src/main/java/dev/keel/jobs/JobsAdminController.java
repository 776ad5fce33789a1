package dev.keel.jobs;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import dev.keel.shared.KeelProblemException;
import dev.keel.shared.ProblemType;

import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The operations API of the job queue (platform admins; the security chain guards {@code /admin/**}). */
@RestController
class JobsAdminController {

	static final int MAX_RETRY = 10_000;

	private static final Set<String> STATES = Set.of("created", "retry", "active", "completed", "cancelled", "dead_letter");

	private final JobAdminRepository admin;

	private final FireDueSchedules schedules;

	private final Clock clock;

	JobsAdminController(JobAdminRepository admin, FireDueSchedules schedules, Clock clock) {
		this.admin = admin;
		this.schedules = schedules;
		this.clock = clock;
	}

	/**
	 * Per queue: created, retry, active and dead-letter counts (partial indexes: cost follows the
	 * backlog) and completed/failed/dead-lettered in the last 24 h (hourly counters maintained by the
	 * statements that finish jobs: cost follows the number of queues, never the history).
	 */
	@GetMapping("/admin/jobs/queues")
	ResponseEntity<Map<String, Object>> queues() {
		Map<String, Map<String, Object>> out = new java.util.TreeMap<>();
		for (JobAdminRepository.QueueCount c : this.admin.inFlight()) {
			queue(out, c.queue()).merge(camel(c.state()), c.count(), (a, b) -> (long) a + (long) b);
		}
		this.admin.last24h().forEach((q, n) -> {
			Map<String, Object> m = queue(out, q);
			m.put("completed24h", n[0]);
			m.put("failed24h", n[1]);
			m.put("deadLettered24h", n[2]);
		});
		this.admin.pausedQueues().forEach((q, p) -> queue(out, q).put("paused", p));
		return noStore(Map.of("queues", out.values()));
	}

	private static Map<String, Object> queue(Map<String, Map<String, Object>> out, String q) {
		return out.computeIfAbsent(q, (k) -> {
			Map<String, Object> m = new LinkedHashMap<>();
			m.put("queue", k);
			m.put("created", 0L);
			m.put("retry", 0L);
			m.put("active", 0L);
			m.put("deadLetter", 0L);
			m.put("completed24h", 0L);
			m.put("failed24h", 0L);
			m.put("deadLettered24h", 0L);
			m.put("paused", false);
			return m;
		});
	}

	private static String camel(String state) {
		return "dead_letter".equals(state) ? "deadLetter" : state;
	}

	@GetMapping("/admin/jobs")
	ResponseEntity<Map<String, Object>> list(@RequestParam(required = false) String state,
			@RequestParam(required = false) String queue, @RequestParam(required = false) String type,
			@RequestParam(required = false) UUID tenantId, @RequestParam(required = false) Long cursor,
			@RequestParam(defaultValue = "50") int limit) {
		if (limit < 1 || limit > JobAdminRepository.MAX_LIMIT) {
			throw invalid("limit", "range", "must be between 1 and " + JobAdminRepository.MAX_LIMIT);
		}
		if (state != null && !STATES.contains(state)) {
			throw invalid("state", "enum", "must be one of " + new TreeSet<>(STATES));
		}
		List<JobAdminRepository.JobView> page = this.admin.list(new JobAdminRepository.JobFilter(state, queue, type, tenantId, cursor, limit));
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("items", page);
		body.put("nextCursor", (page.size() == limit) ? page.get(page.size() - 1).id() : null);
		return noStore(body);
	}

	@GetMapping("/admin/jobs/schedules")
	ResponseEntity<Map<String, Object>> schedules() {
		return noStore(Map.of("schedules", this.schedules.describe()));
	}

	@GetMapping("/admin/jobs/{id}")
	ResponseEntity<Map<String, Object>> job(@PathVariable long id) {
		JobAdminRepository.JobView job = this.admin.find(id).orElseThrow(() -> notFound(id));
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("job", job);
		body.put("errors", this.admin.errors(id));
		return noStore(body);
	}

	/** Body of {@code POST /admin/jobs/retry}: any combination; {@code olderThan} is an instant or a duration (PT1H). */
	record RetryRequest(Long jobId, String queue, String olderThan) {
	}

	@PostMapping("/admin/jobs/retry")
	ResponseEntity<Map<String, Object>> retry(@RequestBody(required = false) RetryRequest body) {
		RetryRequest r = (body != null) ? body : new RetryRequest(null, null, null);
		Instant olderThan = null;
		if (r.olderThan() != null) {
			try {
				olderThan = r.olderThan().startsWith("P") ? this.clock.instant().minus(Duration.parse(r.olderThan()))
						: Instant.parse(r.olderThan());
			}
			catch (DateTimeParseException ex) {
				throw invalid("olderThan", "format", "must be an ISO-8601 instant or duration, e.g. PT1H");
			}
		}
		List<Long> ids = this.admin.retry(r.jobId(), r.queue(), olderThan, MAX_RETRY);
		if (!ids.isEmpty()) {
			this.admin.notifyQueued(r.queue());
		}
		Map<String, Object> out = new LinkedHashMap<>();
		out.put("retriedCount", ids.size());
		out.put("jobIds", ids);
		return noStore(out);
	}

	@PostMapping("/admin/jobs/{id}/cancel")
	ResponseEntity<Map<String, Object>> cancel(@PathVariable long id) {
		return move(id, "cancelled");
	}

	@PostMapping("/admin/jobs/{id}/dead-letter")
	ResponseEntity<Map<String, Object>> deadLetter(@PathVariable long id) {
		return move(id, "dead_letter");
	}

	private ResponseEntity<Map<String, Object>> move(long id, String to) {
		if (this.admin.move(id, to).isEmpty()) {
			String state = this.admin.state(id).orElseThrow(() -> notFound(id));
			throw new KeelProblemException(ProblemType.CONFLICT, "Job " + id + " is " + state + "; only created, retry or active jobs can become " + to);
		}
		return noStore(Map.of("id", id, "state", to));
	}

	@DeleteMapping("/admin/jobs/{id}")
	ResponseEntity<Map<String, Object>> delete(@PathVariable long id) {
		if (!this.admin.deleteDeadLetter(id)) {
			String state = this.admin.state(id).orElseThrow(() -> notFound(id));
			throw new KeelProblemException(ProblemType.CONFLICT, "Job " + id + " is " + state + "; only dead-letter jobs can be deleted");
		}
		return noStore(Map.of("id", id, "deleted", true));
	}

	@PostMapping("/admin/queues/{queue}/pause")
	ResponseEntity<Map<String, Object>> pause(@PathVariable String queue) {
		this.admin.pause(queue, true);
		return noStore(Map.of("queue", queue, "paused", true));
	}

	@PostMapping("/admin/queues/{queue}/resume")
	ResponseEntity<Map<String, Object>> resume(@PathVariable String queue) {
		this.admin.pause(queue, false);
		this.admin.notifyQueued(queue);
		return noStore(Map.of("queue", queue, "paused", false));
	}

	private static KeelProblemException notFound(long id) {
		return new KeelProblemException(ProblemType.NOT_FOUND, "No job " + id);
	}

	private static KeelProblemException invalid(String field, String rule, String message) {
		return new KeelProblemException(ProblemType.VALIDATION_FAILED, field + " " + message,
				List.of(new KeelProblemException.FieldProblem(field, rule, message)));
	}

	private static ResponseEntity<Map<String, Object>> noStore(Map<String, Object> body) {
		return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(body);
	}

}
