package dev.keel.observability;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import com.zaxxer.hikari.HikariDataSource;

import dev.keel.database.DatabaseEndpoints;
import dev.keel.database.Migrations;
import dev.keel.runtime.BuildVersion;
import dev.keel.runtime.RuntimeProperties;

import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The probes. {@code /up} is liveness and touches nothing; {@code /ready} asks for a reachable
 * database, no pending migrations and an instance that is not shutting down; {@code /health}
 * reports every dependency; {@code /health/detailed} (platform admins) adds versions, pool,
 * migrations and disk. None is cached by clients.
 */
@RestController
class HealthController {

	private static final CacheControl NO_STORE = CacheControl.noStore();

	private final HealthService health;

	private final BuildVersion version;

	private final Migrations migrations;

	private final ApplicationAvailability availability;

	private final HikariDataSource dataSource;

	private final JdbcClient jdbc;

	private final DatabaseEndpoints endpoints;

	private final RuntimeProperties runtime;

	HealthController(HealthService health, BuildVersion version, Migrations migrations, ApplicationAvailability availability,
			HikariDataSource dataSource, JdbcClient jdbc, DatabaseEndpoints endpoints, RuntimeProperties runtime) {
		this.health = health;
		this.version = version;
		this.migrations = migrations;
		this.availability = availability;
		this.dataSource = dataSource;
		this.jdbc = jdbc;
		this.endpoints = endpoints;
		this.runtime = runtime;
	}

	@GetMapping(path = "/up", produces = MediaType.TEXT_PLAIN_VALUE)
	ResponseEntity<String> up() {
		return ResponseEntity.ok().cacheControl(NO_STORE).body("OK");
	}

	@GetMapping("/ping")
	ResponseEntity<Map<String, String>> ping() {
		return ResponseEntity.ok().cacheControl(NO_STORE).body(Map.of("status", "ok"));
	}

	@GetMapping("/health")
	ResponseEntity<Map<String, Object>> health() {
		HealthService.Report report = this.health.report();
		return ResponseEntity.status(report.unhealthy() ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.OK)
			.cacheControl(NO_STORE).body(summary(report));
	}

	@GetMapping("/health/detailed")
	ResponseEntity<Map<String, Object>> detailed() {
		HealthService.Report report = this.health.report();
		Map<String, Object> body = summary(report);
		body.put("checks", this.health.detailedChecks(report));
		Map<String, Object> versions = new LinkedHashMap<>();
		versions.put("keel", this.version.version());
		versions.put("commit", this.version.commit());
		versions.put("java", Runtime.version().toString());
		versions.put("postgres", safe(() -> this.jdbc.sql("show server_version").query(String.class).single()));
		body.put("versions", versions);
		body.put("environment", this.runtime.env().id());
		body.put("database", Map.of("mode", this.endpoints.mode(), "role", String.valueOf(this.endpoints.app().user()),
				"separateOwnerRole", this.endpoints.separateOwner(), "connectionPool", StandardHealthChecks.pool(this.dataSource)));
		body.put("migrations", Map.of("current", safe(this.migrations::currentVersion), "pending", this.migrations.pending()));
		Path root = Path.of(".").toAbsolutePath();
		body.put("disk", safe(() -> Map.of("path", root.toString(), "freeMB", Files.getFileStore(root).getUsableSpace() / (1024 * 1024),
				"totalMB", Files.getFileStore(root).getTotalSpace() / (1024 * 1024))));
		body.put("jvm", Map.of("threads", ManagementFactory.getThreadMXBean().getThreadCount(),
				"processors", Runtime.getRuntime().availableProcessors(), "memory", StandardHealthChecks.memory()));
		return ResponseEntity.status(report.unhealthy() ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.OK)
			.cacheControl(NO_STORE).body(body);
	}

	@GetMapping("/ready")
	ResponseEntity<Map<String, Object>> ready() {
		String reason = null;
		if (this.availability.getReadinessState() != ReadinessState.ACCEPTING_TRAFFIC) {
			reason = "not accepting traffic (starting or shutting down)";
		}
		else {
			HealthCheck.Result db = this.health.report().results().get("database");
			if (db == null || db.status() == HealthCheck.Status.DOWN) {
				reason = "database unreachable";
			}
			else {
				int pending = this.migrations.pending();
				if (pending != 0) {
					reason = (pending < 0) ? "migration status unknown" : pending + " pending migration(s)";
				}
			}
		}
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("ready", reason == null);
		if (reason != null) {
			body.put("reason", reason);
		}
		return ResponseEntity.status((reason == null) ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).cacheControl(NO_STORE).body(body);
	}

	private Map<String, Object> summary(HealthService.Report report) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("status", report.status());
		body.put("version", this.version.version());
		body.put("uptime", Duration.between(this.version.startedAt(), Instant.now()).toSeconds());
		body.put("timestamp", report.at().toString());
		body.put("checks", report.checksJson());
		return body;
	}

	private static Object safe(java.util.concurrent.Callable<Object> value) {
		try {
			return value.call();
		}
		catch (Exception ex) {
			return "unavailable";
		}
	}

}
