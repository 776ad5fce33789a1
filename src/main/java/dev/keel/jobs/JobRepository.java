package dev.keel.jobs;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The SQL of the job lifecycle: enqueue, claim, complete, fail, heartbeat, release and rescue. Every
 * state change is guarded by {@code state = 'active' and attempt = ?}, so a worker that lost its job
 * to a rescue (or a cancel) can never overwrite what happened since.
 */
@Repository
class JobRepository {

	private static final String CLAIMED_COLUMNS = "j.id, j.name, j.queue, j.data::text as data, j.tenant_id, j.correlation_id, j.attempt, j.created_at, j.start_after";

	private final JdbcClient jdbc;

	private final JdbcTemplate template;

	JobRepository(JdbcClient jdbc, JdbcTemplate template) {
		this.jdbc = jdbc;
		this.template = template;
	}

	/** One row to insert, already resolved against its type. */
	record NewJob(String name, String queue, String data, int priority, int retryLimit, Instant startAfter,
			int expireSeconds, String singletonKey, UUID tenantId, String correlationId) {
	}

	/** A job this worker now owns, with the attempt number that guards its completion. */
	record Claimed(Job job, Instant startAfter) {
	}

	/**
	 * Inserts jobs in one statement (arrays unnested server-side); participates in the caller's
	 * transaction. Returns the ids in input order, {@code null} where a singleton key was taken.
	 * A NOTIFY per job type wakes idle workers when (and only if) the transaction commits.
	 */
	List<Long> insert(List<NewJob> jobs) {
		return this.template.execute((ConnectionCallback<List<Long>>) (c) -> {
			int n = jobs.size();
			Object[] name = new Object[n], queue = new Object[n], data = new Object[n], prio = new Object[n],
					limit = new Object[n], start = new Object[n], expire = new Object[n], key = new Object[n],
					tenant = new Object[n], corr = new Object[n], ord = new Object[n];
			java.util.Set<String> types = new java.util.TreeSet<>();
			for (int i = 0; i < n; i++) {
				NewJob j = jobs.get(i);
				name[i] = j.name();
				queue[i] = j.queue();
				data[i] = j.data();
				prio[i] = j.priority();
				limit[i] = j.retryLimit();
				start[i] = Timestamp.from(j.startAfter());
				expire[i] = j.expireSeconds();
				key[i] = j.singletonKey();
				tenant[i] = j.tenantId();
				corr[i] = j.correlationId();
				ord[i] = i;
				types.add(j.name());
			}
			String sql = """
					with input as (
					  select * from unnest(?::text[], ?::text[], ?::jsonb[], ?::int[], ?::int[], ?::timestamptz[], ?::int[],
					                       ?::text[], ?::uuid[], ?::text[], ?::int[])
					    as t(name, queue, data, priority, retry_limit, start_after, expire_seconds, singleton_key, tenant_id, correlation_id, ord)
					), ins as (
					  insert into jobs (name, queue, data, priority, retry_limit, start_after, expire_seconds, singleton_key, tenant_id, correlation_id)
					  select name, queue, data, priority, retry_limit, start_after, expire_seconds, singleton_key, tenant_id, correlation_id
					  from input order by ord
					  on conflict (singleton_key) where singleton_key is not null and state in ('created', 'retry', 'active') do nothing
					  returning id
					)
					select id from ins order by id""";
			List<Long> ids = new ArrayList<>(n);
			try (PreparedStatement ps = c.prepareStatement(sql)) {
				ps.setArray(1, c.createArrayOf("text", name));
				ps.setArray(2, c.createArrayOf("text", queue));
				ps.setArray(3, c.createArrayOf("text", data));
				ps.setArray(4, c.createArrayOf("int4", prio));
				ps.setArray(5, c.createArrayOf("int4", limit));
				ps.setArray(6, c.createArrayOf("timestamptz", start));
				ps.setArray(7, c.createArrayOf("int4", expire));
				ps.setArray(8, c.createArrayOf("text", key));
				ps.setArray(9, c.createArrayOf("uuid", tenant));
				ps.setArray(10, c.createArrayOf("text", corr));
				ps.setArray(11, c.createArrayOf("int4", ord));
				try (ResultSet rs = ps.executeQuery()) {
					while (rs.next()) {
						ids.add(rs.getLong(1));
					}
				}
			}
			notify(c, types);
			return ids;
		});
	}

	/** Inserts one job; empty when its singleton key is taken. Cheaper than the array form for one row. */
	Long insertOne(NewJob j) {
		return this.template.execute((ConnectionCallback<Long>) (c) -> {
			Long id = null;
			try (PreparedStatement ps = c.prepareStatement("""
					insert into jobs (name, queue, data, priority, retry_limit, start_after, expire_seconds, singleton_key, tenant_id, correlation_id)
					values (?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?)
					on conflict (singleton_key) where singleton_key is not null and state in ('created', 'retry', 'active') do nothing
					returning id""")) {
				ps.setString(1, j.name());
				ps.setString(2, j.queue());
				ps.setString(3, j.data());
				ps.setInt(4, j.priority());
				ps.setInt(5, j.retryLimit());
				ps.setTimestamp(6, Timestamp.from(j.startAfter()));
				ps.setInt(7, j.expireSeconds());
				ps.setString(8, j.singletonKey());
				ps.setObject(9, j.tenantId());
				ps.setString(10, j.correlationId());
				try (ResultSet rs = ps.executeQuery()) {
					if (rs.next()) {
						id = rs.getLong(1);
					}
				}
			}
			if (id != null) {
				notify(c, List.of(j.name()));
			}
			return id;
		});
	}

	private static void notify(Connection c, Collection<String> types) throws SQLException {
		try (PreparedStatement ps = c.prepareStatement("select pg_notify('" + JobNotifications.CHANNEL + "', t) from unnest(?::text[]) t")) {
			ps.setArray(1, c.createArrayOf("text", types.toArray()));
			ps.execute();
		}
	}

	/**
	 * Claims up to {@code limit} due jobs of one type in one statement. The inner select walks the
	 * partial index {@code jobs_claimable} in priority order and skips rows other workers hold.
	 */
	List<Claimed> claim(String type, int limit, Instant now, String worker) {
		return this.jdbc.sql("""
				update jobs j set state = 'active', attempt = j.attempt + 1, worker = :worker, started_at = now(), heartbeat_at = now()
				where j.id in (
				  select id from jobs
				  where state in ('created', 'retry') and name = :type and start_after <= :now
				    and queue not in (select queue from job_queues where paused)
				  order by priority desc, start_after, id
				  limit :limit
				  for update skip locked)
				returning """ + " " + CLAIMED_COLUMNS)
			.param("worker", worker)
			.param("type", type)
			.param("now", Timestamp.from(now))
			.param("limit", limit)
			.query((rs, i) -> new Claimed(new Job(rs.getLong("id"), rs.getString("name"), rs.getString("queue"),
					rs.getString("data"), rs.getObject("tenant_id", UUID.class), rs.getString("correlation_id"),
					rs.getInt("attempt"), rs.getTimestamp("created_at").toInstant()), rs.getTimestamp("start_after").toInstant()))
			.list();
	}

	/** Marks finished jobs completed in one statement and counts them in the hourly counters. */
	int complete(long[] ids, int[] attempts) {
		return this.template.execute((ConnectionCallback<Integer>) (c) -> {
			try (PreparedStatement ps = c.prepareStatement("""
					with done as (
					  update jobs j set state = 'completed', completed_at = now(), heartbeat_at = null
					  from unnest(?::bigint[], ?::int[]) as d(id, attempt)
					  where j.id = d.id and j.attempt = d.attempt and j.state = 'active'
					  returning j.queue
					), per_queue as (
					  select queue, count(*) as n from done group by queue
					), counted as (
					  insert into job_counts as c (queue, hour, completed)
					  select queue, date_trunc('hour', now()), n from per_queue
					  on conflict (queue, hour) do update set completed = c.completed + excluded.completed
					)
					select coalesce(sum(n), 0) from per_queue""")) {
				ps.setArray(1, c.createArrayOf("int8", box(ids)));
				ps.setArray(2, c.createArrayOf("int4", box(attempts)));
				try (ResultSet rs = ps.executeQuery()) {
					rs.next();
					return rs.getInt(1);
				}
			}
		});
	}

	/** Outcome of a failed attempt. */
	record Failure(String state, String queue, UUID tenantId, int retryCount) {
	}

	/**
	 * Records a failed attempt and moves the job to {@code retry} at {@code retryAt}, or to
	 * {@code dead_letter} when its retries are used up. Empty when the job is no longer this attempt's.
	 */
	java.util.Optional<Failure> fail(long id, int attempt, Instant retryAt, String errorClass, String message, String stack) {
		this.jdbc.sql("insert into job_errors (job_id, attempt, error_class, message, stack) values (?, ?, ?, ?, ?) on conflict do nothing")
			.params(id, attempt, errorClass, message, stack).update();
		return this.jdbc.sql("""
				with f as (
				  update jobs j set
				    state = case when j.retry_count < j.retry_limit then 'retry' else 'dead_letter' end,
				    retry_count = case when j.retry_count < j.retry_limit then j.retry_count + 1 else j.retry_count end,
				    start_after = case when j.retry_count < j.retry_limit then :retryAt else j.start_after end,
				    completed_at = case when j.retry_count < j.retry_limit then null else now() end,
				    heartbeat_at = null, worker = null,
				    error = jsonb_build_object('class', :cls, 'message', :msg, 'attempt', :attempt)
				  where j.id = :id and j.attempt = :attempt and j.state = 'active'
				  returning j.state, j.queue, j.tenant_id, j.retry_count
				), counted as (
				  insert into job_counts as c (queue, hour, failed, dead_letter)
				  select queue, date_trunc('hour', now()), 1, case when state = 'dead_letter' then 1 else 0 end from f
				  on conflict (queue, hour) do update set failed = c.failed + 1, dead_letter = c.dead_letter + excluded.dead_letter
				)
				select * from f""")
			.param("retryAt", Timestamp.from(retryAt))
			.param("cls", errorClass)
			.param("msg", message)
			.param("attempt", attempt)
			.param("id", id)
			.query((rs, i) -> new Failure(rs.getString("state"), rs.getString("queue"), rs.getObject("tenant_id", UUID.class),
					rs.getInt("retry_count")))
			.optional();
	}

	/** Marks this worker's running jobs alive. */
	void heartbeat(long[] ids) {
		if (ids.length == 0) {
			return;
		}
		this.template.execute((ConnectionCallback<Integer>) (c) -> {
			try (PreparedStatement ps = c.prepareStatement("update jobs set heartbeat_at = now() where id = any(?) and state = 'active'")) {
				ps.setArray(1, c.createArrayOf("int8", box(ids)));
				return ps.executeUpdate();
			}
		});
	}

	/**
	 * Hands jobs back for immediate retry without counting a failure (graceful shutdown ran out of
	 * time). Returns how many were released.
	 */
	int release(long[] ids, int[] attempts) {
		if (ids.length == 0) {
			return 0;
		}
		return this.template.execute((ConnectionCallback<Integer>) (c) -> {
			try (PreparedStatement ps = c.prepareStatement("""
					update jobs j set state = 'retry', start_after = now(), worker = null, heartbeat_at = null, started_at = null
					from unnest(?::bigint[], ?::int[]) as d(id, attempt)
					where j.id = d.id and j.attempt = d.attempt and j.state = 'active'""")) {
				ps.setArray(1, c.createArrayOf("int8", box(ids)));
				ps.setArray(2, c.createArrayOf("int4", box(attempts)));
				return ps.executeUpdate();
			}
		});
	}

	/** A job taken back from a dead worker. */
	record Rescued(long id, String name, String queue, String state, UUID tenantId, int attempt, int retryCount) {
	}

	/**
	 * Rescues running jobs whose worker stopped heartbeating for {@code heartbeatTimeout}, or that ran
	 * past their expiry, judged by the database clock so instances with skewed clocks agree. The
	 * attempt counts as failed: retried (immediately) or dead-lettered when retries are used up.
	 */
	List<Rescued> rescue(Duration heartbeatTimeout, int limit) {
		List<Rescued> rescued = this.jdbc.sql("""
				update jobs j set
				  state = case when j.retry_count < j.retry_limit then 'retry' else 'dead_letter' end,
				  retry_count = case when j.retry_count < j.retry_limit then j.retry_count + 1 else j.retry_count end,
				  start_after = now(),
				  completed_at = case when j.retry_count < j.retry_limit then null else now() end,
				  error = jsonb_build_object('class', 'WorkerLost', 'message',
				    case when j.heartbeat_at < now() - make_interval(secs => :timeout) then 'no heartbeat from ' || coalesce(j.worker, '?')
				         else 'expired after ' || j.expire_seconds || ' s' end, 'attempt', j.attempt),
				  heartbeat_at = null, worker = null
				where j.id in (
				  select id from jobs
				  where state = 'active'
				    and (heartbeat_at < now() - make_interval(secs => :timeout) or started_at < now() - make_interval(secs => expire_seconds))
				  limit :limit for update skip locked)
				returning j.id, j.name, j.queue, j.state, j.tenant_id, j.attempt, j.retry_count, j.error->>'message' as message""")
			.param("timeout", (double) heartbeatTimeout.toMillis() / 1000.0)
			.param("limit", limit)
			.query((rs, i) -> new Rescued(rs.getLong("id"), rs.getString("name"), rs.getString("queue"), rs.getString("state"),
					rs.getObject("tenant_id", UUID.class), rs.getInt("attempt"), rs.getInt("retry_count")))
			.list();
		for (Rescued r : rescued) {
			this.jdbc.sql("insert into job_errors (job_id, attempt, error_class, message) values (?, ?, 'WorkerLost', 'rescued: worker died or job expired') on conflict do nothing")
				.params(r.id(), r.attempt()).update();
		}
		return rescued;
	}

	static Object[] box(long[] a) {
		Object[] o = new Object[a.length];
		for (int i = 0; i < a.length; i++) {
			o[i] = a[i];
		}
		return o;
	}

	static Object[] box(int[] a) {
		Object[] o = new Object[a.length];
		for (int i = 0; i < a.length; i++) {
			o[i] = a[i];
		}
		return o;
	}


}
