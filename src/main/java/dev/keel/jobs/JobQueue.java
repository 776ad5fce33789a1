package dev.keel.jobs;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.slf4j.MDC;
import tools.jackson.databind.json.JsonMapper;

import dev.keel.observability.LogContext;

import org.springframework.stereotype.Service;

/**
 * The entry point for other modules: enqueue jobs of registered types. Enqueue joins the caller's
 * transaction when there is one (the job exists only if it commits); the correlation id of the
 * current request travels with the job into its log lines.
 */
@Service
public class JobQueue {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final JobRepository jobs;

	private final Map<String, JobType> types;

	private final Clock clock;

	JobQueue(JobRepository jobs, List<JobType> types, Clock clock) {
		this.jobs = jobs;
		this.types = types.stream().collect(Collectors.toUnmodifiableMap(JobType::name, Function.identity()));
		this.clock = clock;
	}

	/** Enqueues one job with the type's defaults; returns its id. */
	public long enqueue(String type, Object payload) {
		return enqueue(JobRequest.of(type, payload)).orElseThrow();
	}

	/** Enqueues one job; empty when its singleton key already has a queued or active job. */
	public Optional<Long> enqueue(JobRequest request) {
		return Optional.ofNullable(this.jobs.insertOne(resolve(request, this.clock.instant())));
	}

	/**
	 * Enqueues many jobs in one statement; returns the ids of the jobs created (jobs whose singleton
	 * key was taken are skipped).
	 */
	public List<Long> enqueueAll(List<JobRequest> requests) {
		if (requests.isEmpty()) {
			return List.of();
		}
		Instant now = this.clock.instant();
		List<JobRepository.NewJob> rows = new ArrayList<>(requests.size());
		for (JobRequest r : requests) {
			rows.add(resolve(r, now));
		}
		return this.jobs.insert(rows);
	}

	/** The registered job types by name. */
	public Map<String, JobType> types() {
		return this.types;
	}

	private JobRepository.NewJob resolve(JobRequest r, Instant now) {
		JobType type = this.types.get(r.type());
		if (type == null) {
			throw new IllegalArgumentException("Unknown job type '" + r.type() + "'; register a JobType bean for it");
		}
		Instant startAfter = (r.runAt() != null) ? r.runAt() : (r.delay() != null) ? now.plus(r.delay()) : now;
		String data = (r.payload() == null) ? null
				: (r.payload() instanceof RawJson raw) ? raw.json() : JSON.writeValueAsString(r.payload());
		return new JobRepository.NewJob(type.name(), type.queue(), data, (r.priority() != null) ? r.priority() : type.priority(),
				type.retryLimit(), startAfter, (int) Math.max(1, type.expireIn().toSeconds()), r.singletonKey(), r.tenantId(),
				MDC.get(LogContext.CORRELATION_ID));
	}

	/** A payload that is already JSON text (schedules store theirs this way). */
	record RawJson(String json) {
	}

}
