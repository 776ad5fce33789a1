-- The durable job queue (docs/decisions/0100-job-queue-design.md). Platform-level, not behind
-- row-level security: workers must claim every tenant's jobs in one statement, so tenant_id is a
-- column the worker binds (TenantScope) around the handler, never an isolation boundary here.
-- Only platform admins read these tables through the API.
create table jobs (
  id             bigint generated always as identity primary key,
  name           text not null,
  queue          text not null,
  state          text not null default 'created'
                 check (state in ('created', 'retry', 'active', 'completed', 'cancelled', 'dead_letter')),
  priority       integer not null default 0,
  data           jsonb,
  result         jsonb,
  retry_count    integer not null default 0,
  retry_limit    integer not null default 0,
  attempt        integer not null default 0,
  start_after    timestamptz not null default now(),
  expire_seconds integer not null,
  singleton_key  text,
  tenant_id      uuid,
  correlation_id text,
  worker         text,
  heartbeat_at   timestamptz,
  started_at     timestamptz,
  completed_at   timestamptz,
  error          jsonb,
  created_at     timestamptz not null default now()
) with (fillfactor = 80, autovacuum_vacuum_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.02);
-- Every job is updated 2-3 times: fillfactor leaves room for HOT updates, and autovacuum runs after 2 %
-- of the rows changed instead of 20 %, so dead tuples of a busy queue are reclaimed in minutes.

-- Claiming reads only this index: it holds queued rows, never the millions of finished ones, so a
-- claim stays O(log n) however large the history grows. fillfactor leaves room for HOT updates.
create index jobs_claimable on jobs (name, priority desc, start_after, id) where state in ('created', 'retry');
-- Rescue of jobs whose worker died, and the "active" counts.
create index jobs_active on jobs (queue, heartbeat_at) where state = 'active';
-- At most one queued-or-active job per singleton key.
create unique index jobs_singleton on jobs (singleton_key) where singleton_key is not null and state in ('created', 'retry', 'active');
-- Archiving finished jobs, and the dead-letter view.
create index jobs_finished on jobs (completed_at) where state in ('completed', 'cancelled');
create index jobs_dead_letter on jobs (queue, completed_at) where state = 'dead_letter';
create index jobs_queue_id on jobs (queue, id);

-- Finished jobs older than JOB_ARCHIVE_AFTER_DAYS, deleted after JOB_DELETE_AFTER_DAYS.
create table jobs_archive (like jobs including defaults);
alter table jobs_archive add primary key (id);
create index jobs_archive_completed on jobs_archive (completed_at);

-- One row per failed attempt: what went wrong, kept for the admin view (no FK: rows outlive the
-- move to the archive and are deleted with the archived job).
create table job_errors (
  job_id      bigint not null,
  attempt     integer not null,
  failed_at   timestamptz not null default now(),
  error_class text not null,
  message     text,
  stack       text,
  primary key (job_id, attempt)
);

-- Pause state per queue (read by every claim).
create table job_queues (
  queue      text primary key,
  paused     boolean not null default false,
  changed_at timestamptz not null default now()
);

-- Finished-job counters per queue and hour, maintained by the statements that finish jobs, so
-- "completed in the last 24 h" never counts history rows.
create table job_counts (
  queue        text not null,
  hour         timestamptz not null,
  completed    bigint not null default 0,
  failed       bigint not null default 0,
  dead_letter  bigint not null default 0,
  primary key (queue, hour)
);

-- Cron schedules (registered in code, stored here so every instance agrees on the last tick).
create table job_schedules (
  name        text primary key,
  cron        text not null,
  zone        text not null,
  job_type    text not null,
  data        jsonb,
  missed      text not null check (missed in ('catch_up', 'skip')),
  last_tick   timestamptz,
  last_job_id bigint,
  updated_at  timestamptz not null default now()
);

-- One row per fired tick, written in the same transaction as its job: a tick fires exactly once
-- across any number of instances.
create table job_schedule_ticks (
  schedule  text not null,
  tick      timestamptz not null,
  job_id    bigint not null,
  primary key (schedule, tick)
);
