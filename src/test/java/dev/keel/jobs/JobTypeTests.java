package dev.keel.jobs;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.scheduling.support.CronExpression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JobTypeTests {

	private final JobType type = JobType.of("t", (job) -> {
	}).withRetries(5, Duration.ofSeconds(10), true).withRetryDelayMax(Duration.ofSeconds(60));

	@Test
	void doublesTheRetryDelayPerRetryUpToTheCap() {
		assertThat(this.type.delayBeforeRetry(1, 0)).isEqualTo(Duration.ofSeconds(10));
		assertThat(this.type.delayBeforeRetry(2, 0)).isEqualTo(Duration.ofSeconds(20));
		assertThat(this.type.delayBeforeRetry(3, 0)).isEqualTo(Duration.ofSeconds(40));
		assertThat(this.type.delayBeforeRetry(4, 0)).isEqualTo(Duration.ofSeconds(60));
		assertThat(this.type.delayBeforeRetry(60, 0)).isEqualTo(Duration.ofSeconds(60));
	}

	@Test
	void jitterShortensTheDelayByAtMostTenPercent() {
		assertThat(this.type.delayBeforeRetry(2, 1)).isEqualTo(Duration.ofSeconds(18));
		assertThat(this.type.delayBeforeRetry(2, 0.5)).isEqualTo(Duration.ofSeconds(19));
	}

	@Test
	void keepsAFixedDelayWithoutBackoff() {
		JobType fixed = this.type.withRetries(3, Duration.ofSeconds(300), false);
		assertThat(fixed.delayBeforeRetry(1, 0)).isEqualTo(fixed.delayBeforeRetry(3, 0)).isEqualTo(Duration.ofSeconds(300));
	}

	@Test
	void rejectsNonsenseSettings() {
		assertThatThrownBy(() -> this.type.withConcurrency(0)).isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> JobSchedule.of("s", "not a cron", ZoneId.of("UTC"), "t")).isInstanceOf(IllegalArgumentException.class);
	}

	@Test
	void listsTheTicksDueSinceTheLastOneInTheSchedulesZone() {
		CronExpression daily = CronExpression.parse("0 0 2 * * *");
		ZoneId berlin = ZoneId.of("Europe/Berlin");
		List<Instant> due = FireDueSchedules.dueTicks(daily, berlin, Instant.parse("2026-03-27T12:00:00Z"),
				Instant.parse("2026-03-30T12:00:00Z"), 100);
		// 02:00 Berlin is 01:00Z before the DST switch on 29 March and 00:00Z after it; 29 March has no 02:00.
		assertThat(due).containsExactly(Instant.parse("2026-03-28T01:00:00Z"), Instant.parse("2026-03-30T00:00:00Z"));
	}

	@Test
	void boundsHowManyMissedTicksOneRunCatchesUp() {
		CronExpression everySecond = CronExpression.parse("* * * * * *");
		Instant last = Instant.parse("2026-01-01T00:00:00Z");
		assertThat(FireDueSchedules.dueTicks(everySecond, ZoneId.of("UTC"), last, last.plusSeconds(3_600), 100)).hasSize(100)
			.startsWith(last.plusSeconds(1));
	}

}
