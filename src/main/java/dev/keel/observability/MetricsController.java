package dev.keel.observability;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /metrics} in the Prometheus text format (0.0.4); access is checked by the security chain. */
@RestController
class MetricsController {

	static final MediaType PROMETHEUS_TEXT = MediaType.parseMediaType("text/plain; version=0.0.4; charset=utf-8");

	private final PrometheusMeterRegistry registry;

	MetricsController(PrometheusMeterRegistry registry) {
		this.registry = registry;
	}

	@GetMapping(path = "/metrics")
	ResponseEntity<String> metrics() {
		return ResponseEntity.ok().contentType(PROMETHEUS_TEXT).cacheControl(CacheControl.noStore()).body(this.registry.scrape());
	}

}
