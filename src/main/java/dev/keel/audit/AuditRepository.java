package dev.keel.audit;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * SQL of the audit trail. The hash of a record is computed by PostgreSQL from the canonical text of
 * its columns ({@link #CANONICAL}), so writer and verifier can never disagree about formatting.
 */
@Repository
class AuditRepository {

	/** The canonical text a record's hash covers, over the columns of {@code audit_events} (alias-free). */
	static final String CANONICAL = "concat_ws('|', prev_hash, tenant_id::text, seq::text, id::text, "
			+ "to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US'), coalesce(actor_id::text, ''), "
			+ "coalesce(actor, ''), action, resource_type, coalesce(resource_id, ''), coalesce(before::text, ''), "
			+ "coalesce(after::text, ''), coalesce(correlation_id, ''), coalesce(ip, ''))";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final JdbcClient jdbc;

	AuditRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Appends to {@code tenant}'s chain inside the caller's transaction. The transaction-scoped advisory
	 * lock serialises appends per tenant so two writers never fork the chain. When the record belongs
	 * to another tenant than the one bound (a platform action recorded in the platform chain), the
	 * binding is switched for these statements only and restored, all within the same transaction.
	 */
	void append(UUID tenant, AuditEntry e, String correlationId, String ip) {
		String boundTenant = this.jdbc.sql("select coalesce(current_setting('app.tenant_id', true), '')").query(String.class).single();
		boolean rebind = !tenant.toString().equals(boundTenant);
		if (rebind) {
			this.jdbc.sql("select set_config('app.tenant_id', ?, true)").param(tenant.toString()).query(String.class).single();
		}
		try {
			this.jdbc.sql("select pg_advisory_xact_lock(hashtextextended('audit:' || ?, 0))").param(tenant.toString()).query((rs, i) -> 1).list();
			this.jdbc.sql("""
					with last as (select seq, hash from audit_events where tenant_id = ? order by seq desc limit 1),
					row as (
					  select ?::uuid as tenant_id, coalesce((select seq from last), 0) + 1 as seq, ?::uuid as id,
					         date_trunc('microseconds', clock_timestamp()) as occurred_at, ?::uuid as actor_id, ?::text as actor,
					         ?::text as action, ?::text as resource_type, ?::text as resource_id, ?::jsonb as before, ?::jsonb as after,
					         ?::text as correlation_id, ?::text as ip, coalesce((select hash from last), '') as prev_hash)
					insert into audit_events (tenant_id, seq, id, occurred_at, actor_id, actor, action, resource_type, resource_id,
					                          before, after, correlation_id, ip, prev_hash, hash)
					select tenant_id, seq, id, occurred_at, actor_id, actor, action, resource_type, resource_id, before, after,
					       correlation_id, ip, prev_hash, encode(sha256(convert_to(""" + CANONICAL + """
					, 'UTF8')), 'hex') from row""")
				.params(tenant, tenant, UUID.randomUUID(), e.actorId(), e.actor(), e.action(), e.resourceType(), e.resourceId(),
						json(e.before()), json(e.after()), correlationId, ip)
				.update();
		}
		finally {
			if (rebind) {
				this.jdbc.sql("select set_config('app.tenant_id', ?, true)").param(boundTenant)
					.query(String.class).single();
			}
		}
	}

	/** Newest first; {@code beforeSeq} is the cursor position. Runs under the bound tenant's RLS. */
	List<AuditRecord> page(Long beforeSeq, String action, int limit) {
		return this.jdbc.sql("select * from audit_events where (?::bigint is null or seq < ?) and (?::text is null or action = ?) "
				+ "order by seq desc limit ?").params(beforeSeq, beforeSeq, action, action, limit).query(AuditRepository::map).list();
	}

	/** The first record of the bound tenant's chain whose hash, link or sequence does not check out. */
	Optional<BrokenLink> firstBrokenLink() {
		return this.jdbc.sql("""
				with anchor as (select archived_through_seq as seq, last_hash as hash from audit_chain_anchors)
				select seq, id, case when hash <> expected then 'hash-mismatch'
				                     when prev_hash <> coalesce(real_prev, (select hash from anchor), '') then 'prev-hash-mismatch'
				                     else 'sequence-gap' end as reason
				from (select seq, id, hash, prev_hash, lag(hash) over w as real_prev, lag(seq) over w as prev_seq,
				             encode(sha256(convert_to(""" + CANONICAL + """
				, 'UTF8')), 'hex') as expected
				      from audit_events window w as (order by seq)) chain
				where hash <> expected or prev_hash <> coalesce(real_prev, (select hash from anchor), '')
				   or seq <> coalesce(prev_seq, (select seq from anchor), 0) + 1
				order by seq limit 1""").query((rs, i) -> new BrokenLink(rs.getLong("seq"), rs.getObject("id", UUID.class),
				rs.getString("reason"))).optional();
	}

	/** Archives the bound tenant's records older than {@code before}, at most {@code limit}; returns how many moved. */
	int archiveOlderThan(java.time.Instant before, int limit) {
		return this.jdbc.sql("select archive_audit_events(?, ?)").params(java.sql.Timestamp.from(before), limit)
			.query(Integer.class).single();
	}

	long archivedCount() {
		return this.jdbc.sql("select count(*) from audit_events_archive").query(Long.class).single();
	}

	long count() {
		return this.jdbc.sql("select count(*) from audit_events").query(Long.class).single();
	}

	private static String json(Object value) {
		return (value != null) ? JSON.writeValueAsString(value) : null;
	}

	private static AuditRecord map(ResultSet rs, int i) throws SQLException {
		String before = rs.getString("before");
		String after = rs.getString("after");
		return new AuditRecord(rs.getObject("id", UUID.class), rs.getObject("tenant_id", UUID.class), rs.getLong("seq"),
				rs.getTimestamp("occurred_at").toInstant(), rs.getObject("actor_id", UUID.class), rs.getString("actor"),
				rs.getString("action"), rs.getString("resource_type"), rs.getString("resource_id"),
				(before != null) ? JSON.readTree(before) : null, (after != null) ? JSON.readTree(after) : null,
				rs.getString("correlation_id"), rs.getString("ip"), rs.getString("prev_hash"), rs.getString("hash"));
	}

	/** Where a chain breaks. */
	record BrokenLink(long seq, UUID id, String reason) {
	}

}
