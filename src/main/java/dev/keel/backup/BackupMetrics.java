package dev.keel.backup;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.stereotype.Component;

/**
 * {@code backup_last_success_timestamp_seconds{type}}, {@code backup_size_bytes{type}} (the last
 * successful backup's size) and {@code backup_duration_seconds{type,outcome}}. The gauges start from
 * the records at start-up, so a restart does not reset "last backup" to never.
 */
@Component
class BackupMetrics {

	private final MeterRegistry registry;

	private final Map<BackupType, AtomicLong> lastSuccess = new ConcurrentHashMap<>();

	private final Map<BackupType, AtomicLong> lastSize = new ConcurrentHashMap<>();

	BackupMetrics(MeterRegistry registry, BackupRepository repository) {
		this.registry = registry;
		for (BackupType type : BackupType.values()) {
			AtomicLong at = new AtomicLong();
			AtomicLong size = new AtomicLong();
			this.lastSuccess.put(type, at);
			this.lastSize.put(type, size);
			Gauge.builder("backup_last_success_timestamp_seconds", at, AtomicLong::get)
				.description("Completion time of the last successful backup per type (Unix seconds, 0 = never)")
				.tag("type", type.name())
				.register(registry);
			Gauge.builder("backup_size_bytes", size, AtomicLong::get)
				.description("Size of the last successful backup per type")
				.baseUnit("bytes")
				.tag("type", type.name())
				.register(registry);
		}
		try {
			repository.lastSuccesses().forEach((type, backup) -> {
				this.lastSuccess.get(type).set(backup.completedAt().getEpochSecond());
				this.lastSize.get(type).set((backup.sizeBytes() != null) ? backup.sizeBytes() : 0);
			});
		}
		catch (RuntimeException ex) {
			// A database that is not reachable yet: the gauges show 0 until the next backup.
		}
	}

	void success(BackupType type, Duration took, long size, Instant completedAt) {
		this.lastSuccess.get(type).set(completedAt.getEpochSecond());
		this.lastSize.get(type).set(size);
		timer(type, "success").record(took);
	}

	void failure(BackupType type, Duration took) {
		timer(type, "failure").record(took);
	}

	private Timer timer(BackupType type, String outcome) {
		return Timer.builder("backup_duration")
			.description("Duration of backups by type and outcome")
			.tags("type", type.name(), "outcome", outcome)
			.register(this.registry);
	}

}
