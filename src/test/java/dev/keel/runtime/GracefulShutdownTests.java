package dev.keel.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.keel.RawHttp;
import dev.keel.KeelApplication;
import dev.keel.TestAdmin;
import testsupport.ProblemsTestController;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Closing the context is what SIGTERM does (Spring Boot's shutdown hook): in-flight requests finish,
 * new connections are refused, and the whole shutdown stays within SHUTDOWN_TIMEOUT.
 */
class GracefulShutdownTests {

	@Test
	void finishesInFlightRequestsAndRefusesNewOnes() throws Exception {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(KeelApplication.class, ProblemsTestController.class)
			.properties(Map.of("PORT", "0", "keel.database.embedded-dir", "target/test-postgres", "keel.database.embedded-clean", "true", "SHUTDOWN_TIMEOUT", "10s",
					"PASSWORD_HASH_COST", "4", "BOOTSTRAP_DEMO_TENANT", "false", "BOOTSTRAP_ADMIN_EMAIL", TestAdmin.EMAIL,
					"BOOTSTRAP_ADMIN_PASSWORD", TestAdmin.PASSWORD))
			.run();
		int port = ((WebServerApplicationContext) context).getWebServer().getPort();
		RawHttp http = new RawHttp(port);
		ProblemsTestController.slowStarted = new java.util.concurrent.CountDownLatch(1);
		CompletableFuture<HttpResponse<String>> slow = CompletableFuture.supplyAsync(() -> http.get("/test-problems/slow?millis=3000"));
		assertThat(ProblemsTestController.slowStarted.await(20, TimeUnit.SECONDS)).as("the slow request is in flight").isTrue();
		long t0 = System.nanoTime();
		CompletableFuture<Void> closing = CompletableFuture.runAsync(context::close);
		Thread.sleep(1000);
		assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> http.get("/up")))
			.as("no new connection is accepted while shutting down").isNotNull();
		HttpResponse<String> response = slow.get(15, TimeUnit.SECONDS);
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("\"slept\":\"3000\"");
		closing.get(15, TimeUnit.SECONDS);
		assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
	}

}
