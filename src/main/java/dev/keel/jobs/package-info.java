/**
 * Background jobs: a durable PostgreSQL queue (claimed with {@code FOR UPDATE SKIP LOCKED}, woken by
 * {@code LISTEN/NOTIFY}), job types registered in code as {@link dev.keel.jobs.JobType} beans, retries
 * with backoff, dead-letter, crash rescue, cron schedules that fire once per tick across instances,
 * and the {@code /admin/jobs} operations API. Depends on {@code database}, {@code tenancy},
 * {@code observability} and {@code shared}.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = { "database", "tenancy", "observability", "shared" })
package dev.keel.jobs;
