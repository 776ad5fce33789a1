package dev.keel.jobs;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import org.springframework.stereotype.Component;

/**
 * The job metrics: {@code job_processing_duration_seconds{job_type,status}},
 * {@code job_failures_total{job_type,error_type}}, {@code job_enqueue_to_start_seconds{job_type}} and
 * {@code job_queue_depth{queue,state}} (refreshed by the monitor). Meters are cached per type because
 * they are looked up for every job.
 */
@Component
class JobMetrics {

	private final MeterRegistry registry;

	private final Map<String, Timer> success = new ConcurrentHashMap<>();

	private final Map<String, Timer> failure = new ConcurrentHashMap<>();

	private final Map<String, Timer> latency = new ConcurrentHashMap<>();

	private final Map<String, Counter> failures = new ConcurrentHashMap<>();

	private final MultiGauge depth;

	JobMetrics(MeterRegistry registry) {
		this.registry = registry;
		this.depth = MultiGauge.builder("job_queue_depth").description("Jobs per queue and state").register(registry);
	}

	void processed(String type, boolean ok, long nanos) {
		(ok ? this.success : this.failure).computeIfAbsent(type, (t) -> Timer.builder("job_processing_duration")
			.description("Job handler run time").tags("job_type", t, "status", ok ? "success" : "failure")
			.register(this.registry)).record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
	}

	void failed(String type, String errorType) {
		this.failures.computeIfAbsent(type + '\u0000' + errorType, (k) -> Counter.builder("job_failures")
			.description("Failed job attempts").tags("job_type", type, "error_type", errorType).register(this.registry))
			.increment();
	}

	void started(String type, Duration sinceDue) {
		this.latency.computeIfAbsent(type, (t) -> Timer.builder("job_enqueue_to_start")
			.description("Time from when a job was due to when a worker started it").tags("job_type", t)
			.register(this.registry)).record(sinceDue.isNegative() ? Duration.ZERO : sinceDue);
	}

	void depth(List<JobAdminRepository.QueueCount> counts) {
		this.depth.register(counts.stream()
			.map((c) -> MultiGauge.Row.of(Tags.of("queue", c.queue(), "state", c.state()), c.count()))
			.toList(), true);
	}

}
