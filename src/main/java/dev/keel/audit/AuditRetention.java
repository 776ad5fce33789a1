package dev.keel.audit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.keel.jobs.JobSchedule;
import dev.keel.jobs.JobType;
import dev.keel.tenancy.TenantScope;
import dev.keel.tenancy.Tenants;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Retention of the audit trail is archival: the {@code audit-cleanup} job moves each tenant's records
 * older than {@code AUDIT_RETENTION_DAYS} into {@code audit_events_archive} through the audited
 * {@code archive_audit_events} function (the application role can never delete audit rows), in
 * batches of one transaction each, and the chain stays verifiable from the anchor it leaves.
 */
@Configuration(proxyBeanMethods = false)
public class AuditRetention {

	private static final Logger log = LoggerFactory.getLogger(AuditRetention.class);

	private static final int BATCH = 5_000;

	private final AuditRepository repository;

	private final Tenants tenants;

	private final TransactionTemplate tx;

	private final Clock clock;

	private final int retentionDays;

	AuditRetention(AuditRepository repository, Tenants tenants, TransactionTemplate tx, Clock clock,
			@Value("${keel.audit.retention-days:365}") int retentionDays) {
		this.repository = repository;
		this.tenants = tenants;
		this.tx = tx;
		this.clock = clock;
		this.retentionDays = retentionDays;
	}

	/** Archives every tenant's records older than the retention; returns how many moved in all. */
	public long archive() {
		Instant cutoff = this.clock.instant().minus(Duration.ofDays(this.retentionDays));
		long total = 0;
		for (UUID tenant : this.tenants.allIds()) {
			int moved;
			do {
				moved = TenantScope.call(tenant, () -> this.tx.execute((s) -> this.repository.archiveOlderThan(cutoff, BATCH)));
				total += moved;
			}
			while (moved == BATCH);
		}
		log.info("Audit retention: archived {} record(s) older than {} day(s)", total, this.retentionDays);
		return total;
	}

	@Bean
	JobType auditCleanupJobType() {
		return JobType.of("audit-cleanup", (job) -> archive())
			.withQueue("maintenance")
			.withRetries(2, Duration.ofMinutes(5), true)
			.withExpireIn(Duration.ofHours(1))
			.withConcurrency(1)
			.asCritical();
	}

	@Bean
	JobSchedule auditCleanupSchedule() {
		return JobSchedule.of("audit-cleanup", "0 30 3 * * *", ZoneOffset.UTC, "audit-cleanup")
			.withMissed(JobSchedule.Missed.SKIP);
	}

}
