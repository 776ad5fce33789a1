package dev.keel.observability;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Retention of stored logs ({@code LOG_RETENTION_DAYS}) and request rollups (the longer of that and
 * 2 days, so the 24 h chart is always whole). Run daily at 03:15 UTC as the
 * {@code log-retention} job (registered by the jobs module, which may depend on this one).
 */
@Component
public class LogRetention {

	private static final Logger log = LoggerFactory.getLogger(LogRetention.class);

	private final LogRepository logs;

	private final RequestRollups rollups;

	private final ObservabilityProperties properties;

	LogRetention(LogRepository logs, RequestRollups rollups, ObservabilityProperties properties) {
		this.logs = logs;
		this.rollups = rollups;
		this.properties = properties;
	}

	public void run() {
		Duration keep = Duration.ofDays(this.properties.logRetentionDays());
		int deletedLogs = this.logs.deleteOlderThan(keep, 5_000);
		int deletedRollups = this.rollups.deleteOlderThan(keep.compareTo(Duration.ofDays(2)) > 0 ? keep : Duration.ofDays(2));
		log.info("Log retention: deleted {} log line(s) and {} rollup(s) older than {} day(s)", deletedLogs, deletedRollups,
				this.properties.logRetentionDays());
	}

}
