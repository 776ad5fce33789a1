package dev.keel.observability;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Observability settings.
 *
 * @param logFormat json or text
 * @param logRetentionDays days stored logs and rollups are kept ({@code LOG_RETENTION_DAYS})
 * @param metricsToken bearer token for {@code /metrics} ({@code METRICS_TOKEN}); empty = admins only
 */
@ConfigurationProperties("keel.observability")
public record ObservabilityProperties(@DefaultValue("text") String logFormat, @DefaultValue("7") int logRetentionDays,
		String metricsToken) {

}
