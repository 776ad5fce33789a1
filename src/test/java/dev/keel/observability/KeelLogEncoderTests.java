package dev.keel.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class KeelLogEncoderTests {

	private final LoggerContext context = new LoggerContext();

	private LoggingEvent event(String logger, String message, Map<String, String> mdc, Throwable error) {
		Logger l = this.context.getLogger(logger);
		LoggingEvent e = new LoggingEvent("fqcn", l, Level.INFO, message, error, null);
		e.setMDCPropertyMap(mdc);
		return e;
	}

	@Test
	void writesOneJsonObjectPerLineWithContextFields() {
		KeelLogEncoder encoder = new KeelLogEncoder();
		encoder.setFormat("json");
		String line = new String(encoder.encode(event("dev.keel.jobs.Worker", "job done password=hunter2",
				Map.of("correlationId", "c-1", "traceId", "t-1", "tenantId", "ten", "userId", "u", "authorization", "Bearer xyz"), null)),
				StandardCharsets.UTF_8);
		assertThat(line).endsWith(System.lineSeparator());
		assertThat(line.strip()).doesNotContain("\n");
		JsonNode json = JsonMapper.builder().build().readTree(line);
		assertThat(json.get("level").asString()).isEqualTo("INFO");
		assertThat(json.get("module").asString()).isEqualTo("jobs");
		assertThat(json.get("correlationId").asString()).isEqualTo("c-1");
		assertThat(json.get("traceId").asString()).isEqualTo("t-1");
		assertThat(json.get("tenantId").asString()).isEqualTo("ten");
		assertThat(json.get("userId").asString()).isEqualTo("u");
		assertThat(json.get("message").asString()).isEqualTo("job done password=[REDACTED]");
		assertThat(json.get("authorization").asString()).isEqualTo("[REDACTED]");
		assertThat(json.has("timestamp")).isTrue();
	}

	@Test
	void includesRedactedErrorsInJson() {
		KeelLogEncoder encoder = new KeelLogEncoder();
		encoder.setFormat("json");
		String line = new String(encoder.encode(event("dev.keel.web.X", "failed", Map.of(),
				new IllegalStateException("token=abc123secret"))), StandardCharsets.UTF_8);
		JsonNode json = JsonMapper.builder().build().readTree(line);
		assertThat(json.get("error").get("type").asString()).isEqualTo("java.lang.IllegalStateException");
		assertThat(line).doesNotContain("abc123secret");
	}

	@Test
	void writesReadableTextLinesInDev() {
		KeelLogEncoder encoder = new KeelLogEncoder();
		encoder.setFormat("text");
		String line = new String(encoder.encode(event("dev.keel.identity.Login", "secret=abc login ok",
				Map.of("correlationId", "c-9", "tenantId", "t-9"), null)), StandardCharsets.UTF_8);
		assertThat(line).contains("INFO").contains("identity").contains("[c-9]").contains("tenant=t-9")
			.contains("secret=[REDACTED] login ok").doesNotContain("abc");
	}

	@Test
	void namesTheModuleOfEveryLogger() {
		assertThat(LogContext.moduleOf("dev.keel.observability.access")).isEqualTo("observability");
		assertThat(LogContext.moduleOf("org.springframework.web.Foo")).isEqualTo("spring");
		assertThat(LogContext.moduleOf("com.zaxxer.hikari.pool.HikariPool")).isEqualTo("hikari");
	}

}
