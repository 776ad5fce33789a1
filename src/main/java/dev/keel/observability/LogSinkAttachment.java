package dev.keel.observability;

import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggerContextListener;
import ch.qos.logback.core.AppenderBase;
import org.slf4j.LoggerFactory;

/**
 * Logging is JVM-wide, application contexts are not: one root-logger appender forwards to the most
 * recently started {@link DatabaseLogSink}, so a line is stored once even when several contexts share
 * a JVM (tests, CLI), and the appender is re-attached whenever Logback is reset (a new context
 * re-initialises logging and would otherwise silently drop it).
 */
final class LogSinkAttachment extends AppenderBase<ILoggingEvent> implements LoggerContextListener {

	private static final LogSinkAttachment INSTANCE = new LogSinkAttachment();

	private final Deque<DatabaseLogSink> sinks = new ConcurrentLinkedDeque<>();

	private LogSinkAttachment() {
		setName("keel-database-log-sink");
	}

	static synchronized void register(DatabaseLogSink sink) {
		INSTANCE.sinks.remove(sink);
		INSTANCE.sinks.addLast(sink);
		LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
		if (!context.getCopyOfListenerList().contains(INSTANCE)) {
			context.addListener(INSTANCE);
		}
		INSTANCE.attachTo(context);
	}

	/** Where stored log lines go right now; for diagnostics. */
	static String describe() {
		LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
		boolean attached = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender(INSTANCE.getName()) != null;
		DatabaseLogSink active = INSTANCE.sinks.peekLast();
		return "sinks=" + INSTANCE.sinks.size() + " attached=" + attached + " started=" + INSTANCE.isStarted()
				+ " active=" + ((active != null) ? active.describe() : "none");
	}

	static void unregister(DatabaseLogSink sink) {
		INSTANCE.sinks.remove(sink);
	}

	private void attachTo(LoggerContext context) {
		setContext(context);
		if (!isStarted()) {
			start();
		}
		var root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
		if (root.getAppender(getName()) == null) {
			root.addAppender(this);
		}
	}

	@Override
	protected void append(ILoggingEvent event) {
		DatabaseLogSink sink = this.sinks.peekLast();
		if (sink != null && event.getLevel().isGreaterOrEqual(Level.INFO)) {
			sink.doAppend(event);
		}
	}

	@Override
	public boolean isResetResistant() {
		return true;
	}

	@Override
	public void onStart(LoggerContext context) {
		attachTo(context);
	}

	@Override
	public void onReset(LoggerContext context) {
		attachTo(context);
	}

	@Override
	public void onStop(LoggerContext context) {
	}

	@Override
	public void onLevelChange(ch.qos.logback.classic.Logger logger, Level level) {
	}

}
