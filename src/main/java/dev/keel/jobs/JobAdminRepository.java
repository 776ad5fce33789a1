package dev.keel.jobs;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The SQL of the operations API and of housekeeping: listing, one job with its attempts, retry,
 * cancel, dead-letter, delete, pause, queue counts, archive and delete in bounded batches.
 */
@Repository
class JobAdminRepository {

	static final int MAX_LIMIT = 500;

	private static final String COLUMNS = "id, name, queue, state, priority, data::text as data, retry_count, retry_limit, attempt, "
			+ "start_after, expire_seconds, singleton_key, tenant_id, correlation_id, worker, heartbeat_at, started_at, "
			+ "completed_at, error::text as error, created_at";

	private final JdbcClient jdbc;

	JobAdminRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** A job row as the operations API shows it. */
	record JobView(long id, String type, String queue, String state, int priority, String data, int retryCount,
			int retryLimit, int attempt, Instant startAfter, int expireSeconds, String singletonKey, UUID tenantId,
			String correlationId, String worker, Instant heartbeatAt, Instant startedAt, Instant completedAt,
			String error, Instant createdAt, boolean archived) {
	}

	/** One failed attempt. */
	record AttemptError(int attempt, Instant failedAt, String errorClass, String message, String stack) {
	}

	/** One count of the queue monitor. */
	record QueueCount(String queue, String state, long count) {
	}

	/** Filters of {@code GET /admin/jobs}; {@code cursor} is the last id of the previous page. */
	record JobFilter(String state, String queue, String type, UUID tenantId, Long cursor, int limit) {
	}

	List<JobView> list(JobFilter f) {
		StringBuilder sql = new StringBuilder("select " + COLUMNS + " from jobs where true");
		Map<String, Object> p = new LinkedHashMap<>();
		if (f.state() != null) {
			sql.append(" and state = :state");
			p.put("state", f.state());
		}
		if (f.queue() != null) {
			sql.append(" and queue = :queue");
			p.put("queue", f.queue());
		}
		if (f.type() != null) {
			sql.append(" and name = :type");
			p.put("type", f.type());
		}
		if (f.tenantId() != null) {
			sql.append(" and tenant_id = :tenant");
			p.put("tenant", f.tenantId());
		}
		if (f.cursor() != null) {
			sql.append(" and id < :cursor");
			p.put("cursor", f.cursor());
		}
		sql.append(" order by id desc limit :limit");
		p.put("limit", f.limit());
		return this.jdbc.sql(sql.toString()).params(p).query((rs, i) -> view(rs, false)).list();
	}

	Optional<JobView> find(long id) {
		Optional<JobView> live = this.jdbc.sql("select " + COLUMNS + " from jobs where id = ?").param(id)
			.query((rs, i) -> view(rs, false)).optional();
		return live.isPresent() ? live
				: this.jdbc.sql("select " + COLUMNS + " from jobs_archive where id = ?").param(id).query((rs, i) -> view(rs, true)).optional();
	}

	List<AttemptError> errors(long id) {
		return this.jdbc.sql("select attempt, failed_at, error_class, message, stack from job_errors where job_id = ? order by attempt")
			.param(id)
			.query((rs, i) -> new AttemptError(rs.getInt(1), rs.getTimestamp(2).toInstant(), rs.getString(3), rs.getString(4), rs.getString(5)))
			.list();
	}

	/** Puts dead-lettered jobs back in the queue with fresh retries; returns their ids. */
	List<Long> retry(Long jobId, String queue, Instant olderThan, int limit) {
		StringBuilder where = new StringBuilder("state = 'dead_letter'");
		Map<String, Object> p = new LinkedHashMap<>();
		if (jobId != null) {
			where.append(" and id = :id");
			p.put("id", jobId);
		}
		if (queue != null) {
			where.append(" and queue = :queue");
			p.put("queue", queue);
		}
		if (olderThan != null) {
			where.append(" and completed_at < :olderThan");
			p.put("olderThan", Timestamp.from(olderThan));
		}
		p.put("limit", limit);
		return this.jdbc.sql("""
				update jobs set state = 'retry', retry_count = 0, start_after = now(), completed_at = null
				where id in (select id from jobs where %s order by id limit :limit for update skip locked)
				and state = 'dead_letter'
				returning id""".formatted(where))
			.params(p).query(Long.class).list();
	}

	/** Moves a queued or running job to {@code to}; empty when it is not in a movable state. */
	Optional<String> move(long id, String to) {
		return this.jdbc.sql("""
				update jobs set state = :to, completed_at = now(), heartbeat_at = null, worker = null
				where id = :id and state in ('created', 'retry', 'active')
				returning name""")
			.param("to", to).param("id", id).query(String.class).optional();
	}

	Optional<String> state(long id) {
		return this.jdbc.sql("select state from jobs where id = ?").param(id).query(String.class).optional();
	}

	boolean deleteDeadLetter(long id) {
		int n = this.jdbc.sql("delete from jobs where id = ? and state = 'dead_letter'").param(id).update();
		if (n > 0) {
			this.jdbc.sql("delete from job_errors where job_id = ?").param(id).update();
		}
		return n > 0;
	}

	void pause(String queue, boolean paused) {
		this.jdbc.sql("""
				insert into job_queues (queue, paused, changed_at) values (?, ?, now())
				on conflict (queue) do update set paused = excluded.paused, changed_at = now()""")
			.params(queue, paused).update();
	}

	/**
	 * Jobs in flight per queue and state. Each branch matches a partial index's predicate, so the cost
	 * follows the backlog, never the history of finished jobs.
	 */
	List<QueueCount> inFlight() {
		return this.jdbc.sql("""
				select queue, state, count(*) from jobs where state in ('created', 'retry') group by queue, state
				union all
				select queue, 'active', count(*) from jobs where state = 'active' group by queue
				union all
				select queue, 'dead_letter', count(*) from jobs where state = 'dead_letter' group by queue""")
			.query((rs, i) -> new QueueCount(rs.getString(1), rs.getString(2), rs.getLong(3))).list();
	}

	/** Finished-job counters of the last 24 hours per queue: completed, failed attempts, dead-lettered. */
	Map<String, long[]> last24h() {
		Map<String, long[]> out = new LinkedHashMap<>();
		this.jdbc.sql("""
				select queue, sum(completed), sum(failed), sum(dead_letter) from job_counts
				where hour >= date_trunc('hour', now()) - interval '23 hours' group by queue""")
			.query((rs) -> {
				out.put(rs.getString(1), new long[] { rs.getLong(2), rs.getLong(3), rs.getLong(4) });
			});
		return out;
	}

	Map<String, Boolean> pausedQueues() {
		Map<String, Boolean> out = new LinkedHashMap<>();
		this.jdbc.sql("select queue, paused from job_queues").query((rs) -> {
			out.put(rs.getString(1), rs.getBoolean(2));
		});
		return out;
	}

	/** Age in seconds of the oldest due job, by the database clock; 0 when none. */
	long oldestDueAgeSeconds() {
		return this.jdbc.sql("""
				select coalesce(extract(epoch from now() - min(start_after)), 0)::bigint from jobs
				where state in ('created', 'retry') and start_after <= now()""")
			.query(Long.class).single();
	}

	/** Moves up to {@code batch} jobs finished before {@code days} days ago into the archive. */
	int archive(int days, int batch) {
		return this.jdbc.sql("""
				with moved as (
				  delete from jobs where id in (
				    select id from jobs where state in ('completed', 'cancelled') and completed_at < now() - make_interval(days => :days)
				    limit :batch for update skip locked)
				  returning *)
				insert into jobs_archive select * from moved""")
			.param("days", days).param("batch", batch).update();
	}

	/** Deletes up to {@code batch} archived jobs (and their attempt errors) finished before {@code days} days ago. */
	int deleteArchived(int days, int batch) {
		return this.jdbc.sql("""
				with gone as (
				  delete from jobs_archive where id in (
				    select id from jobs_archive where completed_at < now() - make_interval(days => :days) limit :batch)
				  returning id),
				errors as (delete from job_errors where job_id in (select id from gone))
				select count(*) from gone""")
			.param("days", days).param("batch", batch).query(Integer.class).single();
	}

	int deleteOldCounts() {
		return this.jdbc.sql("delete from job_counts where hour < now() - interval '8 days'").update();
	}

	/** Wakes idle workers of every instance for the queued jobs of these types or of this queue. */
	void notifyQueued(String queue) {
		this.jdbc.sql("select pg_notify('" + JobNotifications.CHANNEL + "', name) from (select distinct name from jobs "
				+ "where state in ('created', 'retry') and (cast(:queue as text) is null or queue = :queue)) t")
			.param("queue", queue).query((rs) -> {
			});
	}

	private static JobView view(ResultSet rs, boolean archived) throws SQLException {
		return new JobView(rs.getLong("id"), rs.getString("name"), rs.getString("queue"), rs.getString("state"),
				rs.getInt("priority"), rs.getString("data"), rs.getInt("retry_count"), rs.getInt("retry_limit"),
				rs.getInt("attempt"), instant(rs, "start_after"), rs.getInt("expire_seconds"), rs.getString("singleton_key"),
				rs.getObject("tenant_id", UUID.class), rs.getString("correlation_id"), rs.getString("worker"),
				instant(rs, "heartbeat_at"), instant(rs, "started_at"), instant(rs, "completed_at"), rs.getString("error"),
				instant(rs, "created_at"), archived);
	}

	private static Instant instant(ResultSet rs, String column) throws SQLException {
		Timestamp t = rs.getTimestamp(column);
		return (t != null) ? t.toInstant() : null;
	}


}
