package dev.keel.observability;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import tools.jackson.databind.json.JsonMapper;

/**
 * Keel's log line: one JSON object per line ({@code format=json}) or a readable line
 * ({@code format=text}). Both carry module, correlation id, trace id, tenant and user, and both
 * are redacted. Configured in {@code logback-spring.xml} from {@code LOG_FORMAT}.
 */
public class KeelLogEncoder extends EncoderBase<ILoggingEvent> {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

	private static final byte[] NONE = new byte[0];

	private boolean json;

	public void setFormat(String format) {
		this.json = "json".equalsIgnoreCase(format);
	}

	@Override
	public byte[] headerBytes() {
		return NONE;
	}

	@Override
	public byte[] footerBytes() {
		return NONE;
	}

	@Override
	public byte[] encode(ILoggingEvent event) {
		String line = this.json ? json(event) : text(event);
		return (line + System.lineSeparator()).getBytes(StandardCharsets.UTF_8);
	}

	static Map<String, Object> fields(ILoggingEvent event) {
		Map<String, Object> out = new LinkedHashMap<>();
		out.put("timestamp", Instant.ofEpochMilli(event.getTimeStamp()).toString());
		out.put("level", event.getLevel().toString());
		out.put("module", LogContext.moduleOf(event.getLoggerName()));
		out.put("logger", event.getLoggerName());
		out.put("thread", event.getThreadName());
		out.put("message", Redaction.redact(event.getFormattedMessage()));
		Map<String, String> mdc = event.getMDCPropertyMap();
		for (String key : new String[] { LogContext.CORRELATION_ID, LogContext.TRACE_ID, LogContext.SPAN_ID, LogContext.TENANT_ID, LogContext.USER_ID }) {
			String v = mdc.get(key);
			if (v != null) {
				out.put(key, v);
			}
		}
		mdc.forEach((k, v) -> {
			if (!out.containsKey(k)) {
				out.put(k, Redaction.isSensitiveKey(k) ? Redaction.MASK : Redaction.redact(v));
			}
		});
		if (event.getKeyValuePairs() != null) {
			event.getKeyValuePairs().forEach((kv) -> out.put(kv.key,
					Redaction.isSensitiveKey(kv.key) ? Redaction.MASK : Redaction.redact(String.valueOf(kv.value))));
		}
		IThrowableProxy error = event.getThrowableProxy();
		if (error != null) {
			Map<String, Object> e = new LinkedHashMap<>();
			e.put("type", error.getClassName());
			e.put("message", Redaction.redact(error.getMessage()));
			e.put("stack", Redaction.redact(ThrowableProxyUtil.asString(error)));
			out.put("error", e);
		}
		return out;
	}

	private static String json(ILoggingEvent event) {
		return JSON.writeValueAsString(fields(event));
	}

	private static String text(ILoggingEvent event) {
		Map<String, String> mdc = event.getMDCPropertyMap();
		StringBuilder b = new StringBuilder(160);
		b.append(TIME.format(Instant.ofEpochMilli(event.getTimeStamp()))).append(' ');
		b.append(String.format("%-5s", event.getLevel())).append(' ');
		b.append(String.format("%-13s", LogContext.moduleOf(event.getLoggerName())));
		String cid = mdc.get(LogContext.CORRELATION_ID);
		if (cid != null) {
			b.append(" [").append(cid).append(']');
		}
		String tenant = mdc.get(LogContext.TENANT_ID);
		if (tenant != null) {
			b.append(" tenant=").append(tenant);
		}
		String user = mdc.get(LogContext.USER_ID);
		if (user != null) {
			b.append(" user=").append(user);
		}
		String logger = event.getLoggerName();
		b.append(' ').append(logger.substring(logger.lastIndexOf('.') + 1)).append(": ");
		b.append(Redaction.redact(event.getFormattedMessage()));
		IThrowableProxy error = event.getThrowableProxy();
		if (error != null) {
			b.append(System.lineSeparator()).append(Redaction.redact(ThrowableProxyUtil.asString(error)));
		}
		return b.toString();
	}

}
