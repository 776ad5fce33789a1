package dev.keel.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.keel.RawHttp;
import dev.keel.KeelTest;
import dev.keel.TestAdmin;

import org.springframework.boot.test.web.server.LocalServerPort;

@KeelTest
class MetricsEndpointTests {

	@LocalServerPort
	int port;

	@Test
	void refusesAnonymousAndWrongTokens() {
		RawHttp http = new RawHttp(this.port);
		assertThat(http.get("/metrics").statusCode()).isEqualTo(401);
		assertThat(http.get("/metrics", "Authorization", "Bearer wrong-token").statusCode()).isEqualTo(401);
	}

	@Test
	void servesPrometheusTextToTheMetricsTokenAndToAdmins() {
		RawHttp http = new RawHttp(this.port);
		HttpResponse<String> byToken = http.get("/metrics", "Authorization", "Bearer " + TestAdmin.METRICS_TOKEN);
		assertThat(byToken.statusCode()).isEqualTo(200);
		assertThat(byToken.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain").contains("version=0.0.4");
		assertThat(http.get("/metrics", http.admin()).statusCode()).isEqualTo(200);
	}

	@Test
	void labelsRequestsByRouteTemplateNeverByRawPath() {
		RawHttp http = new RawHttp(this.port);
		http.get("/ping");
		http.get("/admin/logs?correlationId=abc-123", http.admin());
		http.get("/no/such/path/12345");
		String metrics = http.get("/metrics", "Authorization", "Bearer " + TestAdmin.METRICS_TOKEN).body();
		assertThat(metrics).contains("http_server_requests_seconds_bucket{");
		assertThat(metrics).containsPattern("http_server_requests_seconds_count\\{[^}]*method=\"GET\"[^}]*status=\"200\"[^}]*uri=\"/ping\"");
		assertThat(metrics).containsPattern("uri=\"/admin/logs\"");
		assertThat(metrics).doesNotContainPattern("=\"[^\"]*12345").doesNotContainPattern("=\"[^\"]*abc-123");
		assertThat(metrics).contains("hikaricp_connections_max").contains("jvm_memory_used_bytes").contains("process_cpu_usage")
			.contains("log_sink_dropped_total");
	}

	@Test
	void isValidForPromtoolWhenItIsInstalled() throws IOException, InterruptedException {
		Path promtool = Path.of("/usr/bin/promtool");
		org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(promtool), "promtool is not installed");
		String metrics = new RawHttp(this.port).get("/metrics", "Authorization", "Bearer " + TestAdmin.METRICS_TOKEN).body();
		Process p = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
		p.getOutputStream().write(metrics.getBytes());
		p.getOutputStream().close();
		String output = new String(p.getInputStream().readAllBytes());
		assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
		// promtool exits 0 when valid; lint hints (e.g. counters named *_total) would fail it too.
		assertThat(p.exitValue()).as(output).isZero();
	}

}
