package dev.keel.observability;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.keel.shared.KeelProblemException;
import dev.keel.shared.ProblemType;

import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Platform-admin reads of stored logs and request rollups (the console builds on these). */
@RestController
class ObservabilityAdminController {

	private final LogRepository logs;

	private final RequestRollups rollups;

	ObservabilityAdminController(LogRepository logs, RequestRollups rollups) {
		this.logs = logs;
		this.rollups = rollups;
	}

	@GetMapping("/admin/logs")
	ResponseEntity<Map<String, Object>> logs(@RequestParam(required = false) String level,
			@RequestParam(required = false) UUID tenantId, @RequestParam(required = false) String module,
			@RequestParam(required = false) String q, @RequestParam(required = false) String correlationId,
			@RequestParam(required = false) Instant from, @RequestParam(required = false) Instant to,
			@RequestParam(required = false) Long cursor, @RequestParam(defaultValue = "100") int limit) {
		if (limit < 1 || limit > LogRepository.MAX_LIMIT) {
			throw new KeelProblemException(ProblemType.VALIDATION_FAILED, "limit must be between 1 and " + LogRepository.MAX_LIMIT,
					List.of(new KeelProblemException.FieldProblem("limit", "range", "must be between 1 and " + LogRepository.MAX_LIMIT)));
		}
		List<LogRepository.StoredLog> page;
		try {
			page = this.logs.query(new LogRepository.LogQuery(level, tenantId, module, q, correlationId, from, to, cursor, limit));
		}
		catch (IllegalArgumentException ex) {
			throw new KeelProblemException(ProblemType.VALIDATION_FAILED, ex.getMessage(),
					List.of(new KeelProblemException.FieldProblem("level", "enum", ex.getMessage())));
		}
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("items", page);
		body.put("nextCursor", (page.size() == limit) ? page.get(page.size() - 1).id() : null);
		return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(body);
	}

	@GetMapping("/admin/metrics/http")
	ResponseEntity<Map<String, Object>> http(@RequestParam(defaultValue = "24h") String window) {
		Duration d = switch (window) {
			case "1h" -> Duration.ofHours(1);
			case "6h" -> Duration.ofHours(6);
			case "24h" -> Duration.ofHours(24);
			default -> throw new KeelProblemException(ProblemType.VALIDATION_FAILED, "window must be 1h, 6h or 24h",
					List.of(new KeelProblemException.FieldProblem("window", "enum", "must be 1h, 6h or 24h")));
		};
		return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(Map.of("window", window, "series", this.rollups.since(d)));
	}

}
