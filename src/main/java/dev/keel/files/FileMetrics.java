package dev.keel.files;

import java.time.Duration;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.stereotype.Component;

/**
 * {@code file_uploads_total{status}} (accepted, rejected, infected, scanner_unavailable),
 * {@code file_rejections_total{rule}} and {@code file_processing_duration_seconds{outcome}}.
 */
@Component
class FileMetrics {

	private final MeterRegistry registry;

	FileMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	void upload(String status) {
		Counter.builder("file.uploads").description("Uploads by outcome").tag("status", status).register(this.registry).increment();
	}

	void rejection(String rule) {
		Counter.builder("file.rejections").description("Upload rules that failed").tag("rule", rule).register(this.registry).increment();
	}

	void processed(String outcome, Duration duration) {
		Timer.builder("file.processing.duration").description("Time the file-process job took per file").tag("outcome", outcome)
			.register(this.registry).record(duration);
	}

}
