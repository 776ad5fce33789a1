-- Issue 6: the file pipeline. Both tables are tenant-owned and follow the recipe of V200 (tenant_id
-- leads the primary key and every index, ENABLE + FORCE row level security, one fail-closed policy).

-- One row per accepted upload. Rejected uploads never get a row, except images the file-process job
-- could not decode: those stay as 'rejected' with the reason (their objects are deleted).
create table files (
  tenant_id         uuid not null references tenants (id),
  id                uuid not null,
  uploaded_by       uuid,
  original_name     text not null,
  name              text not null,
  content_type      text not null,
  size_bytes        bigint not null check (size_bytes >= 0),
  sha256            text not null,
  category          text not null,
  status            text not null check (status in ('pending_scan', 'processing', 'stored', 'rejected')),
  storage_key       text,
  thumbnail_key     text,
  thumbnail_bytes   bigint not null default 0,
  rejection_reason  text,
  created_at        timestamptz not null default now(),
  updated_at        timestamptz not null default now(),
  processed_at      timestamptz,
  primary key (tenant_id, id)
);
create index files_tenant_created on files (tenant_id, created_at desc, id desc);
create index files_tenant_status on files (tenant_id, status);

alter table files enable row level security;
alter table files force row level security;
create policy files_tenant_isolation on files
  using (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid))
  with check (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid));

-- Bytes and files each tenant holds in storage (originals + thumbnails of rows not rejected), kept in
-- the same transaction as every change to files; the row lock of the upsert serialises quota checks.
create table file_usage (
  tenant_id   uuid not null references tenants (id),
  bytes       bigint not null default 0,
  files       bigint not null default 0,
  updated_at  timestamptz not null default now(),
  primary key (tenant_id)
);

alter table file_usage enable row level security;
alter table file_usage force row level security;
create policy file_usage_tenant_isolation on file_usage
  using (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid))
  with check (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid));
