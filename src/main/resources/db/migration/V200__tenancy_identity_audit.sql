-- Issue 3: tenant lifecycle, refresh tokens, the audit trail and shared rate-limit buckets.
-- Every tenant-owned table follows the same recipe (checked at start-up by the isolation check):
--   tenant_id leads the primary key and every index, foreign keys to other tenant tables are
--   composite (tenant_id, ...), ENABLE + FORCE row level security, and one fail-closed policy whose
--   USING and WITH CHECK compare tenant_id with the transaction-local setting app.tenant_id.

alter table tenants add column deleted_at timestamptz;

-- app_logs carries tenant_id as a filter only; it is platform-level data read by platform admins.
-- The isolation check skips tables whose comment starts with 'keel:platform-level'.
comment on table app_logs is 'keel:platform-level: operational logs, tenant_id is a filter not a boundary';

-- Opaque refresh tokens, stored as SHA-256 hashes. A family is one login's chain of rotations;
-- presenting a spent token revokes the whole family.
create table refresh_tokens (
  tenant_id    uuid not null references tenants (id),
  id           uuid not null,
  family_id    uuid not null,
  user_id      uuid not null,
  token_hash   text not null,
  issued_at    timestamptz not null default now(),
  expires_at   timestamptz not null,
  used_at      timestamptz,
  revoked_at   timestamptz,
  primary key (tenant_id, id),
  foreign key (tenant_id, user_id) references users (tenant_id, id) on delete cascade
);
create unique index refresh_tokens_tenant_hash on refresh_tokens (tenant_id, token_hash);
create index refresh_tokens_tenant_family on refresh_tokens (tenant_id, family_id);
create index refresh_tokens_tenant_user on refresh_tokens (tenant_id, user_id);

alter table refresh_tokens enable row level security;
alter table refresh_tokens force row level security;
create policy refresh_tokens_tenant_isolation on refresh_tokens
  using (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid))
  with check (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid));

-- The audit trail: one hash chain per tenant (platform actions live in the platform tenant's chain).
-- hash = sha256(prev_hash | seq | fields ...), computed by the database on insert so that the
-- verifier recomputes exactly the same canonical text (jsonb::text is normalised).
create table audit_events (
  tenant_id      uuid not null references tenants (id),
  seq            bigint not null,
  id             uuid not null,
  occurred_at    timestamptz not null,
  actor_id       uuid,
  actor          text,
  action         text not null,
  resource_type  text not null,
  resource_id    text,
  before         jsonb,
  after          jsonb,
  correlation_id text,
  ip             text,
  prev_hash      text not null,
  hash           text not null,
  primary key (tenant_id, seq)
);
create unique index audit_events_tenant_id on audit_events (tenant_id, id);
create index audit_events_tenant_time on audit_events (tenant_id, occurred_at desc);

alter table audit_events enable row level security;
alter table audit_events force row level security;
create policy audit_events_tenant_isolation on audit_events
  using (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid))
  with check (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid));

-- Append-only for the application: it may insert and read, never change or remove a record.
do $$
begin
  if current_user <> trim(both '"' from '${app_role}') then
    execute format('revoke update, delete, truncate on audit_events from %s', '${app_role}');
  end if;
end
$$;

-- Bucket4j's shared rate-limit state (RATE_LIMIT_BACKEND=postgres): platform-level, keys already
-- carry the tenant or client they limit.
create table rate_limit_buckets (
  id          text primary key,
  state       bytea,
  expires_at  bigint
);
