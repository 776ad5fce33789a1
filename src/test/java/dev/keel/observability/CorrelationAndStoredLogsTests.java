package dev.keel.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import dev.keel.RawHttp;
import dev.keel.KeelTest;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

@KeelTest
class CorrelationAndStoredLogsTests {

	@LocalServerPort
	int port;

	@Autowired
	LogRepository logs;

	@Autowired
	JdbcClient jdbc;

	@Test
	void takesTheCallersCorrelationIdAndEchoesIt() {
		RawHttp http = new RawHttp(this.port);
		assertThat(http.get("/ping", "X-Correlation-ID", "abc-123").headers().firstValue("X-Correlation-ID")).hasValue("abc-123");
		assertThat(http.get("/ping", "X-Request-ID", "req-77").headers().firstValue("X-Correlation-ID")).hasValue("req-77");
	}

	@Test
	void replacesAMalformedCorrelationIdWithAFreshOne() {
		String echoed = new RawHttp(this.port).get("/ping", "X-Correlation-ID", "bad id\twith spaces").headers()
			.firstValue("X-Correlation-ID").orElseThrow();
		assertThat(echoed).matches("[0-9a-f-]{36}");
	}

	@Test
	void storesOneAccessLineWithRouteTemplateAndTraceIdPerRequest() {
		String cid = "cid-" + System.nanoTime();
		new RawHttp(this.port).get("/admin/logs?limit=1", "X-Correlation-ID", cid, "Authorization", dev.keel.TestAdmin.authorization(this.port));
		await().atMost(Duration.ofSeconds(10)).failFast(() -> false).alias(LogSinkAttachment.describe()).until(() -> !query(cid).isEmpty());
		List<LogRepository.StoredLog> lines = query(cid);
		assertThat(lines).hasSize(1);
		LogRepository.StoredLog line = lines.get(0);
		assertThat(line.module()).isEqualTo("observability");
		assertThat(line.message()).startsWith("GET /admin/logs 200");
		assertThat(line.traceId()).matches("[0-9a-f]{32}");
		assertThat(line.fields()).contains("\"route\"").contains("\"durationMs\"");
		assertThat(line.userId()).as("the authenticated admin is in the logging context").isNotNull();
		assertThat(line.tenantId()).isEqualTo(java.util.UUID.fromString("00000000-0000-0000-0000-000000000001"));
	}

	@Test
	void filtersStoredLogsByLevelModuleTextCorrelationTenantAndTime() {
		String marker = "marker-" + System.nanoTime();
		java.util.UUID tenant = java.util.UUID.randomUUID();
		MDC.put(LogContext.CORRELATION_ID, marker);
		MDC.put(LogContext.TENANT_ID, tenant.toString());
		try {
			LoggerFactory.getLogger("dev.keel.jobs.Sample").warn("{} warn line token=abc", marker);
			LoggerFactory.getLogger("dev.keel.identity.Sample").info("{} info line", marker);
			LoggerFactory.getLogger("dev.keel.identity.Sample").debug("{} debug line", marker);
		}
		finally {
			MDC.clear();
		}
		await().atMost(Duration.ofSeconds(10)).conditionEvaluationListener((c) -> {
			if (c.getRemainingTimeInMS() < 300) {
				System.err.println("log sink state: " + LogSinkAttachment.describe());
			}
		}).until(() -> query(marker).size() == 2);
		assertThat(this.logs.query(q("WARN", null, null, marker, null))).extracting(LogRepository.StoredLog::module).containsExactly("jobs");
		assertThat(this.logs.query(q(null, "identity", null, null, marker))).hasSize(1);
		assertThat(this.logs.query(new LogRepository.LogQuery(null, tenant, null, null, null, null, null, null, 10))).hasSize(2);
		assertThat(this.logs.query(new LogRepository.LogQuery(null, null, null, marker, null, Instant.now().plusSeconds(60), null, null, 10))).isEmpty();
		assertThat(this.logs.query(q("WARN", null, null, marker, null)).get(0).message()).contains("token=[REDACTED]").doesNotContain("abc");
		// Keyset paging: the second page continues strictly below the first.
		List<LogRepository.StoredLog> first = this.logs.query(new LogRepository.LogQuery(null, null, null, marker, null, null, null, null, 1));
		List<LogRepository.StoredLog> second = this.logs.query(new LogRepository.LogQuery(null, null, null, marker, null, null, null, first.get(0).id(), 1));
		assertThat(second).hasSize(1);
		assertThat(second.get(0).id()).isLessThan(first.get(0).id());
	}

	@Test
	void retentionDeletesOnlyOldLines() {
		String ancient = "ancient-" + System.nanoTime();
		String fresh = "fresh-" + System.nanoTime();
		this.jdbc.sql("insert into app_logs (logged_at, level, logger, module, message) values (now() - interval '30 days', 'INFO', 'x', 'x', ?)").param(ancient).update();
		this.jdbc.sql("insert into app_logs (logged_at, level, logger, module, message) values (now(), 'INFO', 'x', 'x', ?)").param(fresh).update();
		int deleted = this.logs.deleteOlderThan(Duration.ofDays(7), 2);
		assertThat(deleted).isGreaterThanOrEqualTo(1);
		assertThat(this.jdbc.sql("select count(*) from app_logs where message = ?").param(ancient).query(Integer.class).single()).isZero();
		assertThat(this.jdbc.sql("select count(*) from app_logs where message = ?").param(fresh).query(Integer.class).single()).isOne();
	}

	private List<LogRepository.StoredLog> query(String correlationId) {
		return this.logs.query(new LogRepository.LogQuery(null, null, null, null, correlationId, null, null, null, 50));
	}

	private static LogRepository.LogQuery q(String level, String module, String text, String textMarker, String correlationId) {
		return new LogRepository.LogQuery(level, null, module, (text != null) ? text : textMarker, correlationId, null, null, null, 50);
	}

}
