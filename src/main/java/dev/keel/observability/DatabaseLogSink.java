package dev.keel.observability;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Stores log lines at INFO and above in PostgreSQL for the console's log viewer. Appending never
 * blocks: events go into a bounded queue (dropped, and counted, when it is full), and one writer
 * thread inserts them in batches. When the database is slow or down a batch is dropped and counted;
 * requests never wait for it.
 */
@Component
class DatabaseLogSink extends AppenderBase<ILoggingEvent> implements SmartLifecycle {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final int BATCH = 500;

	private final BlockingQueue<Row> queue;

	private final JdbcClient jdbc;

	private final Counter dropped;

	private final Counter failed;

	private final Counter written;

	private volatile Thread writer;

	private volatile boolean running;

	private volatile long lastFailureReport;

	DatabaseLogSink(JdbcClient jdbc, MeterRegistry registry, @Value("${keel.observability.log-sink-capacity:10000}") int capacity) {
		this.jdbc = jdbc;
		this.queue = new ArrayBlockingQueue<>(capacity);
		this.dropped = Counter.builder("log_sink_dropped_total").description("Log lines not stored because the sink queue was full").register(registry);
		this.failed = Counter.builder("log_sink_failed_total").description("Log lines not stored because the database write failed").register(registry);
		this.written = Counter.builder("log_sink_written_total").description("Log lines stored in PostgreSQL").register(registry);
		Gauge.builder("log_sink_queue_size", this.queue, BlockingQueue::size).description("Log lines waiting to be stored").register(registry);
		setName("keel-database");
	}

	@Override
	protected void append(ILoggingEvent event) {
		if (!event.getLevel().isGreaterOrEqual(Level.INFO) || event.getThreadName().equals("keel-log-sink")) {
			return;
		}
		if (!this.queue.offer(Row.of(event))) {
			this.dropped.increment();
		}
	}

	@Override
	public void start() {
		// Started (and re-started after a paused test context) with the other lifecycles, after the
		// migrations ran while the beans were created; stopped before the pool closes.
		if (getContext() == null) {
			setContext((LoggerContext) LoggerFactory.getILoggerFactory());
		}
		super.start();
		this.running = true;
		this.writer = Thread.ofPlatform().daemon().name("keel-log-sink").start(this::drain);
		LogSinkAttachment.register(this);
	}

	@Override
	public void stop() {
		LogSinkAttachment.unregister(this);
		this.running = false;
		Thread w = this.writer;
		if (w != null) {
			try {
				w.join(5_000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		super.stop();
	}

	String describe() {
		return "queued=" + this.queue.size() + " written=" + this.written.count() + " dropped=" + this.dropped.count()
				+ " failed=" + this.failed.count() + " running=" + this.running + " started=" + isStarted()
				+ " writerAlive=" + (this.writer != null && this.writer.isAlive());
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		// Stops after the web server and the workers, so their last lines are flushed.
		return Integer.MIN_VALUE + 100;
	}

	/** Writes everything queued so far; used at shutdown and by tests. */
	void flush() {
		List<Row> batch = new ArrayList<>(BATCH);
		while (this.queue.drainTo(batch, BATCH) > 0) {
			write(batch);
			batch.clear();
		}
	}

	private void drain() {
		List<Row> batch = new ArrayList<>(BATCH);
		while (this.running || !this.queue.isEmpty()) {
			try {
				Row first = this.queue.poll(250, TimeUnit.MILLISECONDS);
				if (first == null) {
					continue;
				}
				batch.add(first);
				this.queue.drainTo(batch, BATCH - 1);
				write(batch);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			finally {
				batch.clear();
			}
		}
	}

	private void write(List<Row> batch) {
		try {
			this.jdbc.sql("""
					insert into app_logs (logged_at, level, logger, module, message, correlation_id, trace_id, tenant_id, user_id, thread, error, fields)
					select * from unnest(?::text[]::timestamptz[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[]::uuid[], ?::text[]::uuid[], ?::text[], ?::text[], ?::text[]::jsonb[])
					""").params(column(batch, (r) -> r.at), column(batch, Row::level), column(batch, Row::logger),
					column(batch, Row::module), column(batch, Row::message), column(batch, Row::correlationId),
					column(batch, Row::traceId), column(batch, Row::tenantId), column(batch, Row::userId),
					column(batch, Row::thread), column(batch, Row::error), column(batch, Row::fields)).update();
			this.written.increment(batch.size());
		}
		catch (RuntimeException ex) {
			this.failed.increment(batch.size());
			long now = System.currentTimeMillis();
			if (now - this.lastFailureReport > 60_000) {
				this.lastFailureReport = now;
				// Printed, not logged: a log line about the log sink would loop back into it.
				System.err.println("keel: log sink could not store " + batch.size() + " line(s): " + ex.getClass().getSimpleName());
			}
		}
	}

	private static String[] column(List<Row> batch, java.util.function.Function<Row, String> f) {
		return batch.stream().map(f).toArray(String[]::new);
	}

	record Row(String at, String level, String logger, String module, String message, String correlationId,
			String traceId, String tenantId, String userId, String thread, String error, String fields) {

		static Row of(ILoggingEvent e) {
			Map<String, Object> f = KeelLogEncoder.fields(e);
			Map<String, String> mdc = e.getMDCPropertyMap();
			Object err = f.remove("error");
			for (String k : List.of("timestamp", "level", "module", "logger", "thread", "message", LogContext.CORRELATION_ID,
					LogContext.TRACE_ID, LogContext.TENANT_ID, LogContext.USER_ID)) {
				f.remove(k);
			}
			return new Row(java.time.Instant.ofEpochMilli(e.getTimeStamp()).toString(), e.getLevel().toString(), e.getLoggerName(),
					LogContext.moduleOf(e.getLoggerName()), Redaction.redact(e.getFormattedMessage()),
					mdc.get(LogContext.CORRELATION_ID), mdc.get(LogContext.TRACE_ID), uuidOrNull(mdc.get(LogContext.TENANT_ID)),
					uuidOrNull(mdc.get(LogContext.USER_ID)), e.getThreadName(),
					(err != null) ? JSON.writeValueAsString(err) : null, f.isEmpty() ? null : JSON.writeValueAsString(f));
		}

		private static String uuidOrNull(String s) {
			try {
				return (s != null) ? UUID.fromString(s).toString() : null;
			}
			catch (IllegalArgumentException ex) {
				return null;
			}
		}

	}

}
