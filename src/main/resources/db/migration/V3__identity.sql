-- Tenants are platform-level rows (the registry of isolation boundaries), not tenant-owned data.
create table tenants (
  id          uuid primary key,
  slug        text not null unique check (slug ~ '^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$'),
  name        text not null,
  status      text not null default 'active' check (status in ('active', 'suspended', 'deleted')),
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now()
);

insert into tenants (id, slug, name) values ('00000000-0000-0000-0000-000000000001', 'platform', 'Platform');

-- Users are tenant-owned: row-level security, forced even for the table owner, fails closed when no
-- tenant is bound (current_setting(..., true) yields '' or null, nullif(...)::uuid yields null, and
-- tenant_id = null is never true). The setting is bound per transaction.
create table users (
  tenant_id       uuid not null references tenants (id),
  id              uuid not null,
  email           text not null,
  password_hash   text not null,
  roles           text[] not null default '{member}',
  status          text not null default 'active' check (status in ('active', 'disabled', 'deleted')),
  failed_logins   integer not null default 0,
  locked_until    timestamptz,
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now(),
  primary key (tenant_id, id)
);
create unique index users_tenant_email on users (tenant_id, lower(email));

alter table users enable row level security;
alter table users force row level security;
create policy users_tenant_isolation on users
  using (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid))
  with check (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid));
