package dev.keel.backup;

import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import dev.keel.KeelTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/** One writer per record, and a heartbeat that outlives a failed beat. */
@KeelTest
@TestPropertySource(properties = "keel.storage.path=target/backup-test-storage")
class BackupHeartbeatTests {

	@Autowired
	BackupRepository repository;

	@Autowired
	JdbcClient jdbc;

	@Test
	void aRecordWithALiveWriterIsNotTakenOverUntilItsHeartbeatIsStale() {
		UUID id = UUID.randomUUID();
		Instant now = Instant.now();
		Instant stale = now.minus(BackupCleanup.STALE_AFTER);
		this.repository.insert(id, BackupType.FULL, null, "test", now);
		assertThat(this.repository.start(id, now, stale)).as("a new record is claimed by its first attempt").isTrue();
		assertThat(this.repository.start(id, now.plusSeconds(5), stale.plusSeconds(5)))
			.as("a re-delivered job while the writer beats").isFalse();
		Instant later = now.plus(BackupCleanup.STALE_AFTER).plusSeconds(60);
		assertThat(this.repository.start(id, later, later.minus(BackupCleanup.STALE_AFTER))).as("the writer stopped beating").isTrue();
		this.repository.fail(id, "test", later);
		assertThat(this.repository.start(id, later, later.minus(BackupCleanup.STALE_AFTER))).as("a FAILED record is retried").isTrue();
	}

	@Test
	void aFailingBeatDoesNotStopTheHeartbeat() {
		UUID id = UUID.randomUUID();
		this.repository.insert(id, BackupType.FULL, null, "test", Instant.parse("2001-01-01T00:00:00Z"));
		AtomicInteger calls = new AtomicInteger();
		BackupRepository flaky = new BackupRepository(this.jdbc) {
			@Override
			void heartbeat(UUID backup, Instant now) {
				if (calls.incrementAndGet() == 1) {
					throw new IllegalStateException("connection reset");
				}
				super.heartbeat(backup, now);
			}
		};
		BackupRunner runner = new BackupRunner(flaky, null, null, null, null, (e) -> {
		}, java.time.Clock.systemUTC());
		try {
			Runnable beat = runner.heartbeat(id);
			// ScheduledExecutorService never runs a periodic task again once it threw.
			assertThatCode(beat::run).doesNotThrowAnyException();
			beat.run();
		}
		finally {
			runner.stop();
		}
		assertThat(this.jdbc.sql("select heartbeat_at > now() - interval '1 minute' from database_backups where id = ?").param(id)
			.query(Boolean.class).single()).isTrue();
	}

}
