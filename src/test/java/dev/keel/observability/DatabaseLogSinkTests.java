package dev.keel.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.RETURNS_SELF;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;

class DatabaseLogSinkTests {

	@Test
	void neverBlocksTheCallerWhenTheDatabaseHangsAndCountsWhatItDrops() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		CountDownLatch writing = new CountDownLatch(1);
		JdbcClient jdbc = mock(JdbcClient.class);
		JdbcClient.StatementSpec spec = mock(JdbcClient.StatementSpec.class, RETURNS_SELF);
		when(jdbc.sql(anyString())).thenReturn(spec);
		when(spec.params(any(Object[].class))).thenReturn(spec);
		when(spec.update()).thenAnswer((i) -> {
			writing.countDown();
			release.await();
			return 0;
		});
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		DatabaseLogSink sink = new DatabaseLogSink(jdbc, registry, 100);
		sink.setContext(new LoggerContext());
		sink.start();
		LoggerContext lc = new LoggerContext();
		try {
			sink.doAppend(event(lc, "first"));
			assertThat(writing.await(5, TimeUnit.SECONDS)).as("writer is stuck in the database").isTrue();
			// The writer is now blocked on the database: 10,000 more appends must all return.
			for (int i = 0; i < 10_000; i++) {
				sink.doAppend(event(lc, "line " + i));
			}
			assertThat(registry.get("log_sink_dropped_total").counter().count()).isGreaterThanOrEqualTo(10_000 - 100);
			assertThat(registry.get("log_sink_queue_size").gauge().value()).isEqualTo(100);
		}
		finally {
			release.countDown();
			sink.stop();
		}
	}

	@Test
	void ignoresLinesBelowInfo() {
		JdbcClient jdbc = mock(JdbcClient.class);
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		DatabaseLogSink sink = new DatabaseLogSink(jdbc, registry, 10);
		sink.setContext(new LoggerContext());
		LoggerContext lc = new LoggerContext();
		sink.start();
		try {
			LoggingEvent debug = new LoggingEvent("f", lc.getLogger("dev.keel.x"), Level.DEBUG, "quiet", null, null);
			sink.doAppend(debug);
			assertThat(registry.get("log_sink_queue_size").gauge().value()).isZero();
		}
		finally {
			sink.stop();
		}
	}

	private static LoggingEvent event(LoggerContext lc, String message) {
		LoggingEvent e = new LoggingEvent("f", lc.getLogger("dev.keel.test"), Level.INFO, message, null, null);
		e.setMDCPropertyMap(java.util.Map.of());
		return e;
	}

}
