package dev.keel.observability;

import java.net.InetAddress;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Per-minute request latency and error rollups for the console's 24 h charts. Requests are counted
 * into a lock-free log-scale histogram (about 4 % resolution from 0.05 ms to 10 min); each minute
 * the finished window is stored as one row per instance.
 */
@Component
public class RequestRollups {

	private static final Logger log = LoggerFactory.getLogger(RequestRollups.class);

	private static final double BASE_MS = 0.05;

	private static final double GROWTH = 1.04;

	private static final int BUCKETS = 420;

	private final JdbcClient jdbc;

	private final Clock clock;

	private final String instance;

	private final AtomicReference<Window> current;

	RequestRollups(JdbcClient jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
		this.instance = instanceName();
		this.current = new AtomicReference<>(new Window(minute(clock.instant())));
	}

	void record(double millis, boolean error) {
		Window w = this.current.get();
		w.requests.incrementAndGet(bucket(millis));
		if (error) {
			w.errors.incrementAndGet(0);
		}
	}

	/** Stores the finished minute; runs every few seconds so a window is written soon after it closes. */
	@Scheduled(fixedDelay = 5_000, initialDelay = 5_000)
	public void flush() {
		Instant now = minute(this.clock.instant());
		Window w = this.current.get();
		if (!w.minute.isBefore(now) || !this.current.compareAndSet(w, new Window(now))) {
			return;
		}
		Rollup r = w.summarise();
		if (r.requests() == 0) {
			return;
		}
		try {
			this.jdbc.sql("""
					insert into http_request_rollups (minute, instance, requests, errors, p50_ms, p95_ms, p99_ms, max_ms)
					values (?, ?, ?, ?, ?, ?, ?, ?)
					on conflict (minute, instance) do update set requests = http_request_rollups.requests + excluded.requests,
					  errors = http_request_rollups.errors + excluded.errors, p50_ms = excluded.p50_ms,
					  p95_ms = excluded.p95_ms, p99_ms = excluded.p99_ms, max_ms = greatest(http_request_rollups.max_ms, excluded.max_ms)
					""").params(Timestamp.from(w.minute), this.instance, r.requests(), r.errors(), r.p50(), r.p95(), r.p99(), r.max()).update();
		}
		catch (RuntimeException ex) {
			log.warn("Request rollup for {} not stored: {}", w.minute, ex.getMessage());
		}
	}

	/** Rollups of the last {@code window}, summed over instances (percentiles: the worst instance), oldest first. */
	public List<Rollup> since(Duration window) {
		return this.jdbc.sql("""
				select minute, sum(requests) as requests, sum(errors) as errors, max(p50_ms) as p50, max(p95_ms) as p95,
				       max(p99_ms) as p99, max(max_ms) as mx
				from http_request_rollups where minute >= ? group by minute order by minute
				""").param(Timestamp.from(this.clock.instant().minus(window)))
			.query((rs, i) -> new Rollup(rs.getTimestamp("minute").toInstant(), rs.getLong("requests"), rs.getLong("errors"),
					rs.getDouble("p50"), rs.getDouble("p95"), rs.getDouble("p99"), rs.getDouble("mx")))
			.list();
	}

	/** Deletes rollups older than {@code keep} (by the database clock); returns how many rows went. */
	public int deleteOlderThan(Duration keep) {
		return this.jdbc.sql("delete from http_request_rollups where minute < now() - make_interval(secs => ?)")
			.param((double) keep.toSeconds()).update();
	}

	static int bucket(double millis) {
		if (millis <= BASE_MS) {
			return 1;
		}
		int b = 1 + (int) Math.ceil(Math.log(millis / BASE_MS) / Math.log(GROWTH));
		return Math.min(b, BUCKETS - 1);
	}

	static double upperBound(int bucket) {
		return BASE_MS * Math.pow(GROWTH, bucket - 1);
	}

	private static Instant minute(Instant t) {
		return t.truncatedTo(ChronoUnit.MINUTES);
	}

	private static String instanceName() {
		try {
			return InetAddress.getLocalHost().getHostName() + ":" + ProcessHandle.current().pid();
		}
		catch (Exception ex) {
			return "pid-" + ProcessHandle.current().pid();
		}
	}

	/** One minute of requests. */
	public record Rollup(Instant minute, long requests, long errors, double p50, double p95, double p99, double max) {
	}

	private static final class Window {

		final Instant minute;

		// Slot 0 of errors counts errors; requests holds the histogram (slot 0 unused).
		final AtomicLongArray requests = new AtomicLongArray(BUCKETS);

		final AtomicLongArray errors = new AtomicLongArray(1);

		Window(Instant minute) {
			this.minute = minute;
		}

		Rollup summarise() {
			long total = 0;
			long[] counts = new long[BUCKETS];
			for (int i = 0; i < BUCKETS; i++) {
				counts[i] = this.requests.get(i);
				total += counts[i];
			}
			return new Rollup(this.minute, total, this.errors.get(0), quantile(counts, total, 0.50),
					quantile(counts, total, 0.95), quantile(counts, total, 0.99), quantile(counts, total, 1.0));
		}

		private static double quantile(long[] counts, long total, double q) {
			if (total == 0) {
				return 0;
			}
			long rank = (long) Math.ceil(q * total);
			long seen = 0;
			for (int i = 0; i < counts.length; i++) {
				seen += counts[i];
				if (seen >= rank) {
					return Math.round(upperBound(i) * 100) / 100.0;
				}
			}
			return upperBound(counts.length - 1);
		}

	}

}
