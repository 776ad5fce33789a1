-- Audit retention is archival, never deletion: records older than AUDIT_RETENTION_DAYS move from
-- audit_events to audit_events_archive (same rows, same hashes), and each tenant's chain is anchored
-- at the last archived record so verification of the live table continues from that hash. The
-- application role cannot delete audit rows; it may only call archive_audit_events, which is
-- SECURITY DEFINER, pinned (search_path = ''), archives the bound tenant only, never the newest
-- record, and never anything younger than 30 days.
create table audit_events_archive (like audit_events including defaults including constraints);
alter table audit_events_archive add primary key (tenant_id, seq);
alter table audit_events_archive add foreign key (tenant_id) references tenants (id);
create index audit_events_archive_tenant_time on audit_events_archive (tenant_id, occurred_at desc);
alter table audit_events_archive enable row level security;
alter table audit_events_archive force row level security;
create policy audit_events_archive_tenant_isolation on audit_events_archive
  using (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid))
  with check (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid));

create table audit_chain_anchors (
  tenant_id             uuid primary key references tenants (id),
  archived_through_seq  bigint not null,
  last_hash             text not null,
  archived_records      bigint not null,
  archived_at           timestamptz not null
);
alter table audit_chain_anchors enable row level security;
alter table audit_chain_anchors force row level security;
create policy audit_chain_anchors_tenant_isolation on audit_chain_anchors
  using (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid))
  with check (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid));

do $$
begin
  if current_user <> trim(both '"' from '${app_role}') then
    execute format('revoke insert, update, delete, truncate on audit_events_archive from %s', '${app_role}');
    execute format('revoke insert, update, delete, truncate on audit_chain_anchors from %s', '${app_role}');
  end if;
end
$$;

create function archive_audit_events(p_before timestamptz, p_limit integer) returns integer
  language plpgsql security definer set search_path = '' as $$
declare
  v_tenant uuid := nullif(current_setting('app.tenant_id', true), '')::uuid;
  v_cutoff timestamptz := least(p_before, now() - interval '30 days');
  v_newest bigint;
  v_moved integer;
begin
  if v_tenant is null then
    raise exception 'archive_audit_events needs a bound tenant (app.tenant_id)';
  end if;
  select max(seq) into v_newest from public.audit_events where tenant_id = v_tenant;
  with moved as (
    delete from public.audit_events
    where tenant_id = v_tenant and seq in (
      select seq from public.audit_events
      where tenant_id = v_tenant and occurred_at < v_cutoff and seq < v_newest
      order by seq limit greatest(1, least(p_limit, 10000)))
    returning *)
  insert into public.audit_events_archive select * from moved;
  get diagnostics v_moved = row_count;
  if v_moved > 0 then
    insert into public.audit_chain_anchors (tenant_id, archived_through_seq, last_hash, archived_records, archived_at)
    select v_tenant, a.seq, a.hash, v_moved, now()
    from public.audit_events_archive a where a.tenant_id = v_tenant order by a.seq desc limit 1
    on conflict (tenant_id) do update set archived_through_seq = excluded.archived_through_seq,
      last_hash = excluded.last_hash, archived_records = public.audit_chain_anchors.archived_records + excluded.archived_records,
      archived_at = excluded.archived_at;
  end if;
  return v_moved;
end
$$;
comment on function archive_audit_events(timestamptz, integer) is
  'keel:audited moves the bound tenant''s audit records older than max(cutoff, 30 days) to audit_events_archive, keeping the newest record and anchoring the chain';
revoke all on function archive_audit_events(timestamptz, integer) from public;
do $$
begin
  if current_user <> trim(both '"' from '${app_role}') then
    execute format('grant execute on function archive_audit_events(timestamptz, integer) to %s', '${app_role}');
  end if;
end
$$;
