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
		return ResponseEntity.ok().contentType(PROMETHEUS_TEXT).cacheControl(CacheControl.noStore()).body(withHelp(this.registry.scrape()));
	}

	/**
	 * Micrometer omits {@code # HELP} for meters registered without a description (most framework
	 * meters); Prometheus linters ({@code promtool check metrics}) require one, so a generated help
	 * text is added before such a family's {@code # TYPE} line.
	 */
	static String withHelp(String scrape) {
		StringBuilder out = new StringBuilder(scrape.length() + 4096);
		String previous = "";
		for (String line : scrape.split("\n", -1)) {
			if (line.startsWith("# HELP ") && line.substring(7).trim().indexOf(' ') < 0) {
				String name = line.substring(7).trim();
				line = "# HELP " + name + " " + name.replace('_', ' ');
			}
			if (line.startsWith("# TYPE ") && !previous.startsWith("# HELP ")) {
				String name = line.substring(7, line.indexOf(' ', 7));
				out.append("# HELP ").append(name).append(' ').append(name.replace('_', ' ')).append('\n');
			}
			out.append(line).append('\n');
			previous = line;
		}
		out.setLength(out.length() - 1);
		return out.toString();
	}

}
