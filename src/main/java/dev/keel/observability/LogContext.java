package dev.keel.observability;

/**
 * The logging context keys every line inside a request or job carries. Modules put the tenant and
 * user here as soon as they are known; the log encoder and the database sink read them.
 */
public final class LogContext {

	public static final String CORRELATION_ID = "correlationId";

	public static final String TRACE_ID = "traceId";

	public static final String SPAN_ID = "spanId";

	public static final String TENANT_ID = "tenantId";

	public static final String USER_ID = "userId";

	public static final String CORRELATION_HEADER = "X-Correlation-ID";

	public static final String REQUEST_ID_HEADER = "X-Request-ID";

	private LogContext() {
	}

	/** The Keel module a logger belongs to: the package after {@code dev.keel}, else the library's short name. */
	public static String moduleOf(String loggerName) {
		if (loggerName == null) {
			return "unknown";
		}
		if (loggerName.startsWith("dev.keel.")) {
			String rest = loggerName.substring("dev.keel.".length());
			int dot = rest.indexOf('.');
			return (dot > 0) ? rest.substring(0, dot) : "core";
		}
		if (loggerName.startsWith("org.springframework")) {
			return "spring";
		}
		if (loggerName.startsWith("com.zaxxer.hikari")) {
			return "hikari";
		}
		if (loggerName.startsWith("org.flywaydb")) {
			return "flyway";
		}
		if (loggerName.startsWith("org.apache.catalina") || loggerName.startsWith("org.apache.tomcat") || loggerName.startsWith("org.apache.coyote")) {
			return "tomcat";
		}
		if (loggerName.startsWith("io.zonky")) {
			return "database";
		}
		return "library";
	}

}
