package dev.keel.jobs;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.support.CronExpression;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Fires the cron schedules. Per schedule, one transaction locks its row ({@code FOR UPDATE SKIP
 * LOCKED}: another instance already at it is skipped, not waited for), works out the ticks due since
 * the stored last tick, and for each fired tick inserts the job and the unique {@code (schedule, tick)}
 * row together, so a tick fires exactly once across instances even if two raced past the lock.
 */
class FireDueSchedules implements Runnable {

	private static final Logger log = LoggerFactory.getLogger(FireDueSchedules.class);

	/** Most ticks one run fires for a catch-up schedule; the rest follow on the next runs. */
	static final int MAX_CATCH_UP = 100;

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final JdbcClient jdbc;

	private final TransactionTemplate tx;

	private final JobQueue queue;

	private final Clock clock;

	private final List<JobSchedule> schedules;

	/** Per schedule, the next cron tick after this instance last looked: before it, nothing new can be due. */
	private final Map<String, Instant> nothingDueBefore = new java.util.concurrent.ConcurrentHashMap<>();

	FireDueSchedules(JdbcClient jdbc, TransactionTemplate tx, JobQueue queue, Clock clock, List<JobSchedule> schedules) {
		this.jdbc = jdbc;
		this.tx = tx;
		this.queue = queue;
		this.clock = clock;
		this.schedules = schedules;
	}

	/** Stores every schedule registered in code (keeping its last tick). */
	void register() {
		for (JobSchedule s : this.schedules) {
			if (!this.queue.types().containsKey(s.jobType())) {
				throw new IllegalStateException("Schedule " + s.name() + " names unknown job type " + s.jobType());
			}
			this.jdbc.sql("""
					insert into job_schedules (name, cron, zone, job_type, data, missed, last_tick)
					values (:name, :cron, :zone, :type, :data::jsonb, :missed, :now)
					on conflict (name) do update set cron = excluded.cron, zone = excluded.zone, job_type = excluded.job_type,
					  data = excluded.data, missed = excluded.missed, updated_at = now()""")
				.param("name", s.name()).param("cron", s.cron()).param("zone", s.zone().getId()).param("type", s.jobType())
				.param("data", (s.payload() != null) ? JSON.writeValueAsString(s.payload()) : null)
				.param("missed", s.missed().name().toLowerCase(java.util.Locale.ROOT))
				.param("now", Timestamp.from(this.clock.instant()))
				.update();
		}
	}

	@Override
	public void run() {
		for (JobSchedule s : this.schedules) {
			Instant now = this.clock.instant();
			Instant quietUntil = this.nothingDueBefore.get(s.name());
			if (quietUntil != null && now.isBefore(quietUntil)) {
				continue;
			}
			try {
				this.tx.executeWithoutResult((status) -> fire(s));
				ZonedDateTime next = CronExpression.parse(s.cron()).next(now.atZone(s.zone()));
				this.nothingDueBefore.put(s.name(), (next != null) ? next.toInstant() : Instant.MAX);
			}
			catch (RuntimeException ex) {
				log.warn("Schedule {} did not fire: {}", s.name(), ex.toString());
			}
		}
	}

	private void fire(JobSchedule s) {
		Optional<Timestamp> locked = this.jdbc.sql("select last_tick from job_schedules where name = ? for update skip locked")
			.param(s.name()).query((rs, i) -> Optional.ofNullable(rs.getTimestamp(1))).optional().flatMap((o) -> o);
		Instant now = this.clock.instant();
		if (locked.isEmpty()) {
			return;
		}
		List<Instant> due = dueTicks(CronExpression.parse(s.cron()), s.zone(), locked.get().toInstant(), now,
				(s.missed() == JobSchedule.Missed.CATCH_UP) ? MAX_CATCH_UP : Integer.MAX_VALUE);
		if (due.isEmpty()) {
			return;
		}
		List<Instant> fire = (s.missed() == JobSchedule.Missed.SKIP) ? List.of(due.get(due.size() - 1)) : due;
		Long lastJob = null;
		for (Instant tick : fire) {
			JobRequest request = JobRequest.of(s.jobType(),
					(s.payload() != null) ? new JobQueue.RawJson(JSON.writeValueAsString(s.payload())) : null).runAt(tick);
			long jobId = this.queue.enqueue(request).orElseThrow();
			int inserted = this.jdbc.sql("insert into job_schedule_ticks (schedule, tick, job_id) values (?, ?, ?) on conflict do nothing")
				.params(s.name(), Timestamp.from(tick), jobId).update();
			if (inserted == 0) {
				throw new IllegalStateException("tick " + tick + " of " + s.name() + " already fired");
			}
			lastJob = jobId;
		}
		this.jdbc.sql("update job_schedules set last_tick = ?, last_job_id = ? where name = ?")
			.params(Timestamp.from(due.get(due.size() - 1)), lastJob, s.name()).update();
		if (due.size() > fire.size()) {
			log.info("Schedule {} skipped {} missed tick(s)", s.name(), due.size() - fire.size());
		}
	}

	/** Ticks after {@code last} up to and including {@code now}, at most {@code max} (the oldest). */
	static List<Instant> dueTicks(CronExpression cron, java.time.ZoneId zone, Instant last, Instant now, int max) {
		List<Instant> out = new ArrayList<>();
		ZonedDateTime t = cron.next(last.atZone(zone));
		while (t != null && !t.toInstant().isAfter(now)) {
			out.add(t.toInstant());
			if (out.size() >= max) {
				break;
			}
			if (out.size() >= 100_000) {
				// SKIP over a very long outage: only the latest matters; jump close to now.
				out.subList(0, out.size() - 1).clear();
			}
			t = cron.next(t);
		}
		return out;
	}

	/** The schedules with their stored last tick and next run, for {@code /admin/jobs/schedules}. */
	List<Map<String, Object>> describe() {
		Instant now = this.clock.instant();
		return this.jdbc.sql("select name, cron, zone, job_type, missed, last_tick, last_job_id from job_schedules order by name")
			.query((rs, i) -> {
				Map<String, Object> m = new java.util.LinkedHashMap<>();
				m.put("name", rs.getString("name"));
				m.put("cron", rs.getString("cron"));
				m.put("zone", rs.getString("zone"));
				m.put("jobType", rs.getString("job_type"));
				m.put("missed", rs.getString("missed"));
				Timestamp last = rs.getTimestamp("last_tick");
				m.put("lastRun", (last != null) ? last.toInstant() : null);
				m.put("lastJobId", rs.getObject("last_job_id"));
				ZonedDateTime next = CronExpression.parse(rs.getString("cron")).next(now.atZone(java.time.ZoneId.of(rs.getString("zone"))));
				m.put("nextRun", (next != null) ? next.toInstant() : null);
				return m;
			})
			.list();
	}

}
