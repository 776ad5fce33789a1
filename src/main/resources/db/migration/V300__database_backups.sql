-- Issue 5: one record per backup. Platform-level (a backup spans tenants; tenant_id is a filter, the
-- TENANT backup's subject, not an isolation boundary), read and written by platform admins only.
create table database_backups (
  id             uuid primary key,
  type           text not null check (type in ('FULL', 'INCREMENTAL', 'TENANT', 'ON_DEMAND')),
  status         text not null check (status in ('IN_PROGRESS', 'COMPLETED', 'FAILED', 'EXPIRED', 'VERIFIED')),
  tenant_id      uuid,
  storage_key    text,
  format         text,
  size_bytes     bigint,
  sha256         text,
  started_at     timestamptz not null,
  heartbeat_at   timestamptz not null,
  completed_at   timestamptz,
  expires_at     timestamptz,
  verified_at    timestamptz,
  error          text,
  triggered_by   text not null,
  metadata       jsonb not null default '{}'::jsonb
);
create index database_backups_started on database_backups (started_at desc, id);
create index database_backups_status on database_backups (status, type);
create index database_backups_tenant on database_backups (tenant_id, started_at desc) where tenant_id is not null;
comment on table database_backups is 'keel:platform-level: backup records; tenant_id names a TENANT backup''s subject';
