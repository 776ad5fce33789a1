package dev.keel.observability;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** All SQL of the stored logs: the viewer's query (filters, keyset paging) and retention. */
@Repository
public class LogRepository {

	/** Largest page the query returns. */
	public static final int MAX_LIMIT = 500;

	private static final List<String> LEVELS = List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR");

	private final JdbcClient jdbc;

	LogRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Newest first. {@code minLevel} keeps that level and above; {@code text} matches message or logger
	 * (case-insensitive); {@code beforeId} continues a previous page.
	 */
	public List<StoredLog> query(LogQuery q) {
		StringBuilder sql = new StringBuilder("select id, logged_at, level, logger, module, message, correlation_id, trace_id, tenant_id, user_id, thread, error, fields::text as fields from app_logs where true");
		List<Object> params = new ArrayList<>();
		if (q.minLevel() != null) {
			int from = LEVELS.indexOf(q.minLevel().toUpperCase(Locale.ROOT));
			if (from < 0) {
				throw new IllegalArgumentException("level must be one of " + LEVELS);
			}
			sql.append(" and level = any(?)");
			params.add(LEVELS.subList(from, LEVELS.size()).toArray(String[]::new));
		}
		if (q.tenantId() != null) {
			sql.append(" and tenant_id = ?");
			params.add(q.tenantId());
		}
		if (q.module() != null) {
			sql.append(" and module = ?");
			params.add(q.module());
		}
		if (q.correlationId() != null) {
			sql.append(" and correlation_id = ?");
			params.add(q.correlationId());
		}
		if (q.text() != null && !q.text().isBlank()) {
			sql.append(" and (message ilike ? escape '\\' or logger ilike ? escape '\\')");
			String like = "%" + q.text().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
			params.add(like);
			params.add(like);
		}
		if (q.from() != null) {
			sql.append(" and logged_at >= ?");
			params.add(Timestamp.from(q.from()));
		}
		if (q.to() != null) {
			sql.append(" and logged_at < ?");
			params.add(Timestamp.from(q.to()));
		}
		if (q.beforeId() != null) {
			sql.append(" and id < ?");
			params.add(q.beforeId());
		}
		sql.append(" order by id desc limit ?");
		params.add(Math.max(1, Math.min(q.limit(), MAX_LIMIT)));
		return this.jdbc.sql(sql.toString()).params(params).query((rs, i) -> new StoredLog(rs.getLong("id"),
				rs.getTimestamp("logged_at").toInstant(), rs.getString("level"), rs.getString("logger"), rs.getString("module"),
				rs.getString("message"), rs.getString("correlation_id"), rs.getString("trace_id"),
				rs.getObject("tenant_id", UUID.class), rs.getObject("user_id", UUID.class), rs.getString("thread"),
				rs.getString("error"), rs.getString("fields"))).list();
	}

	/**
	 * Deletes logs older than {@code keep} in batches of {@code batch} rows, so no lock is held for long.
	 * Age is judged by the database clock: every instance agrees, whatever its own clock says.
	 */
	public int deleteOlderThan(Duration keep, int batch) {
		int total = 0;
		int n;
		do {
			n = this.jdbc.sql("delete from app_logs where id in (select id from app_logs "
					+ "where logged_at < now() - make_interval(secs => ?) order by id limit ?)")
				.params((double) keep.toSeconds(), batch).update();
			total += n;
		}
		while (n == batch);
		return total;
	}

	/**
	 * Filters of the log viewer; null means "any".
	 *
	 * @param minLevel lowest level shown
	 * @param tenantId only this tenant's lines
	 * @param module only this module's lines
	 * @param text substring of message or logger
	 * @param correlationId one request or job
	 * @param from inclusive start
	 * @param to exclusive end
	 * @param beforeId keyset cursor: ids below this
	 * @param limit page size, capped at {@link #MAX_LIMIT}
	 */
	public record LogQuery(String minLevel, UUID tenantId, String module, String text, String correlationId, Instant from,
			Instant to, Long beforeId, int limit) {
	}

	/** One stored line. */
	public record StoredLog(long id, Instant loggedAt, String level, String logger, String module, String message,
			String correlationId, String traceId, UUID tenantId, UUID userId, String thread, String error, String fields) {
	}

}
