package dev.keel.jobs;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;

import org.awaitility.Awaitility;

import dev.keel.KeelTest;
import dev.keel.TestAdmin;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.bean.override.convention.TestBean;
import org.springframework.web.client.RestClient;

/** One shared Keel context for the job tests: the test job types and a clock tests can move. */
@KeelTest
@org.springframework.test.context.TestPropertySource(properties = { "keel.jobs.rescue-interval=300ms", "keel.jobs.monitor-interval=1s",
		"keel.jobs.exclude-types=test-slow" })
@Import(TestJobTypes.class)
abstract class JobsTestBase {

	@TestBean(name = "clock", methodName = "dev.keel.jobs.JobsTestBase#movableClock")
	Clock clock;

	@Autowired
	JobQueue queue;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	JobWorkers workers;

	@LocalServerPort
	int port;

	static Clock movableClock() {
		return MovableClock.INSTANCE;
	}

	/** The one place that knows how tests authenticate as a platform admin. */
	RestClient admin() {
		return RestClient.builder().baseUrl("http://localhost:" + this.port)
			.defaultHeaders((h) -> h.set("Authorization", TestAdmin.authorization(this.port)))
			.build();
	}

	String state(long id) {
		return this.jdbc.sql("select state from jobs where id = ?").param(id).query(String.class).single();
	}

	static void await(Callable<Boolean> condition) {
		Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20)).until(condition);
	}

}
