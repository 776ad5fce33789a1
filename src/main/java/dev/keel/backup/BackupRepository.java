package dev.keel.backup;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** SQL of {@code database_backups} (platform-level; the application role reads and writes it). */
@Repository
class BackupRepository {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String COLUMNS = "id, type, status, tenant_id, storage_key, format, size_bytes, sha256, started_at, "
			+ "completed_at, expires_at, verified_at, error, triggered_by, metadata::text";

	private final JdbcClient jdbc;

	BackupRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	void insert(UUID id, BackupType type, UUID tenant, String triggeredBy, Instant now) {
		this.jdbc.sql("""
				insert into database_backups (id, type, status, tenant_id, started_at, heartbeat_at, triggered_by, metadata)
				values (?, ?, 'IN_PROGRESS', ?, ?, ?, ?, '{"pending": true}')""")
			.params(id, type.name(), tenant, ts(now), ts(now), triggeredBy)
			.update();
	}

	/**
	 * Claims a record for an attempt: one not started yet ({@code pending}), FAILED, or IN_PROGRESS whose
	 * writer stopped beating before {@code staleBefore}. False when it is done or another writer is alive
	 * — a re-delivered job never runs a second writer on the same record. The update is atomic, so of
	 * two claims racing for a stale record only one wins.
	 */
	boolean start(UUID id, Instant now, Instant staleBefore) {
		return this.jdbc.sql("""
				update database_backups set status = 'IN_PROGRESS', started_at = ?, heartbeat_at = ?, error = null,
				  metadata = metadata - 'pending'
				where id = ? and (status = 'FAILED' or status = 'IN_PROGRESS'
				  and ((metadata ->> 'pending') = 'true' or heartbeat_at < ?))""")
			.params(ts(now), ts(now), id, ts(staleBefore))
			.update() == 1;
	}

	void heartbeat(UUID id, Instant now) {
		this.jdbc.sql("update database_backups set heartbeat_at = ? where id = ? and status = 'IN_PROGRESS'").params(ts(now), id).update();
	}

	void complete(UUID id, String key, String format, long size, String sha, Instant now, Instant expires, Map<String, Object> metadata) {
		this.jdbc.sql("""
				update database_backups set status = 'COMPLETED', storage_key = ?, format = ?, size_bytes = ?, sha256 = ?,
				  completed_at = ?, expires_at = ?, metadata = ?::jsonb, error = null
				where id = ?""")
			.params(key, format, size, sha, ts(now), ts(expires), JSON.writeValueAsString(metadata), id)
			.update();
	}

	/** A backup attempt failed; never turns a finished (COMPLETED, VERIFIED, EXPIRED) record into FAILED. */
	void fail(UUID id, String error, Instant now) {
		this.jdbc.sql("update database_backups set status = 'FAILED', error = ?, completed_at = ? where id = ? and status in ('IN_PROGRESS', 'FAILED')")
			.params(truncate(error), ts(now), id)
			.update();
	}

	void verified(UUID id, Instant now, Map<String, Object> verification) {
		this.jdbc.sql("""
				update database_backups set status = 'VERIFIED', verified_at = ?, error = null,
				  metadata = (metadata - 'lastVerificationError') || jsonb_build_object('verification', ?::jsonb)
				where id = ? and status in ('COMPLETED', 'VERIFIED', 'FAILED')""")
			.params(ts(now), JSON.writeValueAsString(verification), id)
			.update();
	}

	/** A failed verification: the backup's content cannot be trusted, so it leaves the usable states. */
	void verificationFailed(UUID id, String error, Map<String, Object> verification) {
		this.jdbc.sql("""
				update database_backups set status = 'FAILED', error = ?,
				  metadata = metadata || jsonb_build_object('verification', ?::jsonb)
				where id = ? and status in ('COMPLETED', 'VERIFIED', 'FAILED')""")
			.params(truncate("verification failed: " + error), JSON.writeValueAsString(verification), id)
			.update();
	}

	/**
	 * A verification that could not run (no scratch database, tool missing, connection errors): says
	 * nothing about the backup, so the status stays; the error is kept in {@code lastVerificationError}.
	 */
	void verificationNotRun(UUID id, String error, Map<String, Object> verification) {
		this.jdbc.sql("""
				update database_backups set metadata = metadata || jsonb_build_object('lastVerificationError', ?::jsonb)
				where id = ?""")
			.params(JSON.writeValueAsString(verification), id)
			.update();
	}

	/** Marks a usable backup EXPIRED; false when it is not usable any more (another cleanup, a failure). */
	boolean expire(UUID id) {
		return this.jdbc.sql("update database_backups set status = 'EXPIRED' where id = ? and status in ('COMPLETED', 'VERIFIED')")
			.param(id)
			.update() == 1;
	}

	Optional<Backup> find(UUID id) {
		return this.jdbc.sql("select " + COLUMNS + " from database_backups where id = ?").param(id).query(BackupRepository::map).optional();
	}

	/** Newest first, keyset-paged on (started_at, id). */
	List<Backup> page(BackupType type, BackupStatus status, UUID tenant, Instant afterStarted, UUID afterId, int limit) {
		return this.jdbc.sql("select " + COLUMNS + """
				 from database_backups
				where (?::text is null or type = ?) and (?::text is null or status = ?) and (?::uuid is null or tenant_id = ?)
				  and (?::timestamptz is null or (started_at, id) < (?, ?))
				order by started_at desc, id desc limit ?""")
			.params(name(type), name(type), name(status), name(status), tenant, tenant, ts(afterStarted), ts(afterStarted), afterId, limit)
			.query(BackupRepository::map)
			.list();
	}

	/** Records still IN_PROGRESS whose writer has not shown a sign of life since {@code staleBefore}. */
	List<Backup> interrupted(Instant staleBefore) {
		return this.jdbc.sql("select " + COLUMNS + " from database_backups where status = 'IN_PROGRESS' and heartbeat_at < ?")
			.param(ts(staleBefore))
			.query(BackupRepository::map)
			.list();
	}

	boolean running(BackupType type, UUID tenant, Instant freshAfter) {
		return this.jdbc.sql("""
				select exists (select 1 from database_backups where status = 'IN_PROGRESS' and type = ?
				  and tenant_id is not distinct from ? and heartbeat_at >= ?)""")
			.params(type.name(), tenant, ts(freshAfter))
			.query(Boolean.class)
			.single();
	}

	/**
	 * Usable backups past their expiry. With {@code keepMonthly}, the first usable full backup of each
	 * calendar month (UTC) is kept.
	 */
	List<Backup> expired(Instant now, boolean keepMonthly) {
		return this.jdbc.sql("select " + COLUMNS + """
				 from database_backups b
				where status in ('COMPLETED', 'VERIFIED') and expires_at is not null and expires_at < ?
				  and not (? and type in ('FULL', 'ON_DEMAND') and id = (
				    select f.id from database_backups f where f.status in ('COMPLETED', 'VERIFIED') and f.type in ('FULL', 'ON_DEMAND')
				      and date_trunc('month', f.started_at at time zone 'UTC') = date_trunc('month', b.started_at at time zone 'UTC')
				    order by f.started_at, f.id limit 1))""")
			.params(ts(now), keepMonthly)
			.query(BackupRepository::map)
			.list();
	}

	/**
	 * Whether a record other than an EXPIRED one references {@code key}: a usable or running one, or any
	 * record with a SHA-256 (its object was complete — a FAILED verification keeps the evidence).
	 */
	boolean referenced(String key) {
		return this.jdbc.sql("""
				select exists (select 1 from database_backups where storage_key = ?
				  and (status in ('COMPLETED', 'VERIFIED', 'IN_PROGRESS') or (sha256 is not null and status <> 'EXPIRED')))""")
			.param(key)
			.query(Boolean.class)
			.single();
	}

	Optional<Backup> latestUnverifiedFull() {
		return this.jdbc.sql("select " + COLUMNS + """
				 from database_backups where status = 'COMPLETED' and type in ('FULL', 'ON_DEMAND')
				order by completed_at desc limit 1""")
			.query(BackupRepository::map)
			.optional();
	}

	/** The newest usable backup of each type. */
	Map<BackupType, Backup> lastSuccesses() {
		Map<BackupType, Backup> out = new java.util.EnumMap<>(BackupType.class);
		this.jdbc.sql("select distinct on (type) " + COLUMNS + """
				 from database_backups where status in ('COMPLETED', 'VERIFIED') and completed_at is not null
				order by type, completed_at desc""")
			.query(BackupRepository::map)
			.list()
			.forEach((b) -> out.put(b.type(), b));
		return out;
	}

	/** Last success per type, counts per status, total stored size. */
	Map<String, Object> summary() {
		List<Map<String, Object>> last = this.jdbc.sql("""
				select type, max(completed_at) as completed_at from database_backups
				where status in ('COMPLETED', 'VERIFIED') group by type order by type""")
			.query((rs, i) -> Map.<String, Object>of("type", rs.getString(1), "completedAt", rs.getTimestamp(2).toInstant().toString()))
			.list();
		Map<String, Object> counts = new java.util.LinkedHashMap<>();
		this.jdbc.sql("select status, count(*) from database_backups group by status order by status")
			.query((rs, i) -> counts.put(rs.getString(1), rs.getLong(2)))
			.list();
		long size = this.jdbc.sql("select coalesce(sum(size_bytes), 0) from database_backups where status in ('COMPLETED', 'VERIFIED')")
			.query(Long.class)
			.single();
		return Map.of("lastSuccess", last, "counts", counts, "totalSizeBytes", size);
	}

	private static Backup map(ResultSet rs, int row) throws SQLException {
		return new Backup(rs.getObject(1, UUID.class), BackupType.valueOf(rs.getString(2)), BackupStatus.valueOf(rs.getString(3)),
				rs.getObject(4, UUID.class), rs.getString(5), rs.getString(6), (Long) rs.getObject(7), rs.getString(8), instant(rs, 9),
				instant(rs, 10), instant(rs, 11), instant(rs, 12), rs.getString(13), rs.getString(14),
				JSON.readValue(rs.getString(15), new TypeReference<Map<String, Object>>() {
				}));
	}

	private static Instant instant(ResultSet rs, int col) throws SQLException {
		Timestamp t = rs.getTimestamp(col);
		return (t != null) ? t.toInstant() : null;
	}

	private static Timestamp ts(Instant i) {
		return (i != null) ? Timestamp.from(i) : null;
	}

	private static String name(Enum<?> e) {
		return (e != null) ? e.name() : null;
	}

	private static String truncate(String s) {
		return (s == null || s.length() <= 2000) ? s : s.substring(0, 2000);
	}

}
