package dev.keel.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.keel.RawHttp;
import dev.keel.KeelTest;

import org.springframework.boot.test.web.server.LocalServerPort;

@KeelTest
class ProbesTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@LocalServerPort
	int port;

	private RawHttp http() {
		return new RawHttp(this.port);
	}

	@Test
	void upIsPlainTextOkAndNeverCached() {
		HttpResponse<String> r = http().get("/up");
		assertThat(r.statusCode()).isEqualTo(200);
		assertThat(r.body()).isEqualTo("OK");
		assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
		assertThat(r.headers().firstValue("Cache-Control").orElseThrow()).isEqualTo("no-store");
		// Answered before the security chain, yet with the same security headers.
		assertThat(r.headers().firstValue("X-Frame-Options")).hasValue("DENY");
		assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
		assertThat(r.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("default-src 'none'");
		assertThat(r.headers().firstValue("X-Correlation-ID")).isPresent();
		assertThat(http().get("/up", "X-Correlation-ID", "probe-1").headers().firstValue("X-Correlation-ID")).hasValue("probe-1");
		assertThat(http().method("POST", "/up").statusCode()).as("only GET and HEAD are liveness").isEqualTo(405);
	}

	@Test
	void pingAnswersStatusOk() {
		HttpResponse<String> r = http().get("/ping");
		assertThat(r.statusCode()).isEqualTo(200);
		assertThat(JSON.readTree(r.body()).get("status").asString()).isEqualTo("ok");
	}

	@Test
	void healthReportsEveryDependencyInTheSpecShape() {
		HttpResponse<String> r = http().get("/health");
		assertThat(r.statusCode()).isEqualTo(200);
		assertThat(r.headers().firstValue("Cache-Control").orElseThrow()).isEqualTo("no-store");
		JsonNode body = JSON.readTree(r.body());
		assertThat(body.get("status").asString()).isIn("healthy", "degraded");
		assertThat(body.has("version")).isTrue();
		assertThat(body.get("uptime").isNumber()).isTrue();
		assertThat(body.has("timestamp")).isTrue();
		JsonNode db = body.get("checks").get("database");
		assertThat(db.get("status").asString()).isEqualTo("up");
		assertThat(db.get("latencyMs").isNumber()).isTrue();
		assertThat(db.get("connectionPool").get("max").asInt()).isPositive();
		assertThat(db.get("connectionPool").has("active")).isTrue();
		assertThat(db.get("connectionPool").has("idle")).isTrue();
		assertThat(body.get("checks").get("storage").get("status").asString()).isEqualTo("up");
		JsonNode memory = body.get("checks").get("memory");
		for (String field : new String[] { "heapUsedMB", "heapTotalMB", "rssMB", "percentUsed" }) {
			assertThat(memory.get(field).isNumber()).as(field).isTrue();
		}
	}

	@Test
	void readyWhenDatabaseIsReachableAndNothingIsPending() {
		HttpResponse<String> r = http().get("/ready");
		assertThat(r.statusCode()).isEqualTo(200);
		assertThat(r.body()).isEqualTo("{\"ready\":true}");
	}

	@Test
	void detailedHealthIsForPlatformAdminsOnly() {
		HttpResponse<String> anonymous = http().get("/health/detailed");
		assertThat(anonymous.statusCode()).isEqualTo(401);
		assertThat(anonymous.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
		HttpResponse<String> admin = http().get("/health/detailed", http().admin());
		assertThat(admin.statusCode()).isEqualTo(200);
		JsonNode body = JSON.readTree(admin.body());
		assertThat(body.get("versions").get("postgres").asString()).matches("\\d+(\\.\\d+)?.*");
		assertThat(body.get("migrations").get("pending").asInt()).isZero();
		assertThat(body.get("database").get("separateOwnerRole").asBoolean()).isTrue();
		assertThat(body.has("disk")).isTrue();
	}

}
