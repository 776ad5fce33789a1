-- Logs at INFO and above, written asynchronously in batches by the log sink, for the console's
-- log viewer. Platform-level (not tenant-owned): tenant_id is a filter, not an isolation boundary;
-- only platform admins can read it through the API.
create table app_logs (
  id             bigint generated always as identity primary key,
  logged_at      timestamptz not null,
  level          text not null,
  logger         text not null,
  module         text not null,
  message        text not null,
  correlation_id text,
  trace_id       text,
  tenant_id      uuid,
  user_id        uuid,
  thread         text,
  error          text,
  fields         jsonb
);
create index app_logs_logged_at on app_logs (logged_at desc);
create index app_logs_correlation on app_logs (correlation_id) where correlation_id is not null;
create index app_logs_level_time on app_logs (level, logged_at desc);
create index app_logs_tenant_time on app_logs (tenant_id, logged_at desc) where tenant_id is not null;

-- One row per minute per instance with request counts, errors and latency percentiles, for 24 h charts.
create table http_request_rollups (
  minute      timestamptz not null,
  instance    text not null,
  requests    bigint not null,
  errors      bigint not null,
  p50_ms      double precision not null,
  p95_ms      double precision not null,
  p99_ms      double precision not null,
  max_ms      double precision not null,
  primary key (minute, instance)
);
