package dev.keel.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.keel.RawHttp;
import dev.keel.KeelTest;
import testsupport.ProblemsTestController;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

@KeelTest
@Import(ProblemsTestController.class)
class ProblemResponsesTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@LocalServerPort
	int port;

	private JsonNode problem(HttpResponse<String> r, int status) {
		assertThat(r.statusCode()).isEqualTo(status);
		assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
		JsonNode body = JSON.readTree(r.body());
		assertThat(body.get("type").asString()).startsWith("https://keel.dev/problems/");
		assertThat(body.get("status").asInt()).isEqualTo(status);
		assertThat(body.get("detail").asString()).isNotBlank();
		assertThat(body.get("correlationId").asString()).isEqualTo(r.headers().firstValue("X-Correlation-ID").orElseThrow());
		return body;
	}

	@Test
	void unknownRouteIs404() {
		JsonNode body = problem(new RawHttp(this.port).get("/does-not-exist"), 404);
		assertThat(body.get("type").asString()).endsWith("/not-found");
	}

	@Test
	void wrongMethodIs405() {
		JsonNode body = problem(new RawHttp(this.port).post("/test-problems/echo-get", "application/json", "{}"), 405);
		assertThat(body.get("type").asString()).endsWith("/method-not-allowed");
	}

	@Test
	void nonJsonBodyOnAJsonEndpointIs415() {
		JsonNode body = problem(new RawHttp(this.port).post("/test-problems/echo", "text/plain", "name=x"), 415);
		assertThat(body.get("detail").asString()).contains("text/plain");
	}

	@Test
	void malformedJsonIs400WithAClearDetail() {
		JsonNode body = problem(new RawHttp(this.port).post("/test-problems/echo", "application/json", "{\"name\": "), 400);
		assertThat(body.get("type").asString()).endsWith("/malformed-request");
		assertThat(body.get("detail").asString()).contains("not valid JSON");
	}

	@Test
	void invalidFieldsAreListedOneByOne() {
		JsonNode body = problem(new RawHttp(this.port).post("/test-problems/echo", "application/json", "{\"name\":\"\",\"code\":\"toolong\"}"), 400);
		assertThat(body.get("errors")).hasSize(2);
		assertThat(body.get("errors").findValuesAsString("field")).containsExactlyInAnyOrder("name", "code");
	}

	@Test
	void unexpectedFailureIs500WithOnlyTheCorrelationId() {
		JsonNode body = problem(new RawHttp(this.port).get("/test-problems/boom"), 500);
		assertThat(body.get("detail").asString()).doesNotContain("IllegalStateException").doesNotContain("kaboom")
			.contains("correlation id");
		assertThat(body.toString()).doesNotContain("at dev.keel");
	}


}
