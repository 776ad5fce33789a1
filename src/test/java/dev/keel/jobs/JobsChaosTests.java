package dev.keel.jobs;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import dev.keel.database.DatabaseEndpoints;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kill -9 chaos: a child JVM running jobs is killed repeatedly in the middle of its work; the next
 * instance rescues what the dead one held. At the end every job completed at least once and none is
 * active or lost; handlers that ran twice (killed after the work, before the completion was recorded)
 * are counted and reported.
 */
class JobsChaosTests extends JobsTestBase {

	private static final int JOBS = 240;

	private static final int KILLS = 3;

	@Autowired
	DatabaseEndpoints endpoints;

	@Test
	void everyJobCompletesAtLeastOnceWhenWorkersAreKilledMidJob() throws Exception {
		createRunsTable();
		List<JobRequest> requests = new ArrayList<>();
		for (int i = 0; i < JOBS; i++) {
			requests.add(JobRequest.of("test-slow", 60 + (i % 5) * 20));
		}
		List<Long> ids = this.queue.enqueueAll(requests);
		Long[] array = ids.toArray(Long[]::new);

		for (int kill = 1; kill <= KILLS; kill++) {
			Process child = startChild(kill);
			try {
				// Kill once the child is up and has run some jobs: it then holds running ones.
				Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(50))
					.until(() -> !child.isAlive() || runsBy(child.pid()) >= 25);
				assertThat(child.isAlive()).as("child JVM %d still running", kill).isTrue();
			}
			finally {
				child.destroyForcibly().waitFor();
			}
		}
		long activeAfterKills = count(array, "active");
		Process last = startChild(KILLS + 1);
		try {
			Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
				.until(() -> count(array, "completed") == JOBS);
		}
		finally {
			last.destroy();
			last.waitFor();
		}
		Map<String, Object> result = this.jdbc.sql("""
				select count(distinct job_id) as ran, count(*) as runs, count(*) - count(distinct job_id) as duplicates
				from keel_test.test_job_runs where job_id = any(?)""").param(array).query().singleRow();
		System.out.println("CHAOS: " + JOBS + " jobs, " + KILLS + " kill -9, " + activeAfterKills
				+ " active at the last kill; handler runs " + result + "; rescued attempts "
				+ this.jdbc.sql("select count(*) from job_errors where job_id = any(?) and error_class = 'WorkerLost'").param(array)
					.query(Long.class).single());
		assertThat(count(array, "completed")).isEqualTo(JOBS);
		assertThat(((Number) result.get("ran")).intValue()).as("jobs whose handler ran").isEqualTo(JOBS);
		assertThat(this.jdbc.sql("select count(*) from jobs where id = any(?) and state <> 'completed'").param(array)
			.query(Long.class).single()).isZero();
	}

	private void createRunsTable() throws Exception {
		var owner = this.endpoints.owner();
		try (var c = java.sql.DriverManager.getConnection(owner.jdbcUrl(), owner.user(), owner.password());
				var s = c.createStatement()) {
			// Outside Keel's schema, so a full backup taken by another test in this database ignores it.
			s.execute("create schema if not exists keel_test");
			s.execute("create table if not exists keel_test.test_job_runs (job_id bigint not null, pid text not null, ran_at timestamptz not null default now())");
			s.execute("grant usage on schema keel_test to " + this.endpoints.app().user());
			s.execute("grant select, insert on keel_test.test_job_runs to " + this.endpoints.app().user());
		}
	}

	private long runsBy(long pid) {
		return this.jdbc.sql("select count(*) from keel_test.test_job_runs where pid = ?").param(Long.toString(pid)).query(Long.class).single();
	}

	private long count(Long[] ids, String state) {
		return this.jdbc.sql("select count(*) from jobs where id = any(?) and state = ?").params(ids, state).query(Long.class).single();
	}

	private Process startChild(int n) throws Exception {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		List<String> cmd = List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
				ChaosWorker.class.getName());
		ProcessBuilder pb = new ProcessBuilder(cmd);
		Map<String, String> env = pb.environment();
		env.put("DATABASE_URL", this.endpoints.app().jdbcUrl());
		env.put("DATABASE_MIGRATION_URL", this.endpoints.owner().jdbcUrl());
		env.put("PORT", "0");
		env.put("LOG_FORMAT", "text");
		env.put("BOOTSTRAP_DEMO_TENANT", "false");
		env.put("BOOTSTRAP_ADMIN_EMAIL", dev.keel.TestAdmin.EMAIL);
		env.put("BOOTSTRAP_ADMIN_PASSWORD", dev.keel.TestAdmin.PASSWORD);
		env.put("PASSWORD_HASH_COST", "4");
		env.put("KEEL_JOBS_HEARTBEAT_INTERVAL", "300ms");
		env.put("KEEL_JOBS_HEARTBEAT_TIMEOUT", "2s");
		env.put("KEEL_JOBS_RESCUE_INTERVAL", "300ms");
		File log = new File("target/chaos-child-" + n + ".log");
		pb.redirectErrorStream(true).redirectOutput(log);
		return pb.start();
	}

}
