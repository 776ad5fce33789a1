-- Perf data for perf/backup/run.sh: :tenants tenants with :rows audit rows each (~500 bytes a row),
-- plus one small tenant ('perf-small') with 100 rows. Inserted as the superuser, so RLS does not
-- apply; the hashes are filler (this database only measures throughput, never verifies chains).
insert into tenants (id, slug, name)
select ('00000000-0000-4000-8000-' || lpad(to_hex(g), 12, '0'))::uuid, 'perf-' || g, 'Perf tenant ' || g
from generate_series(1, :tenants) g;
insert into tenants (id, slug, name) values ('00000000-0000-4000-9000-000000000001', 'perf-small', 'Small tenant');

insert into users (tenant_id, id, email, password_hash, roles)
select t.id, gen_random_uuid(), 'user' || g || '@' || t.slug || '.test', repeat('x', 60), '{member}'
from tenants t, generate_series(1, 20) g where t.slug like 'perf-%';

insert into audit_events (tenant_id, seq, id, occurred_at, actor, action, resource_type, resource_id, before, after,
                          correlation_id, ip, prev_hash, hash)
select t.id, g, gen_random_uuid(), now() - make_interval(secs => g), 'user' || (g % 20) || '@' || t.slug || '.test',
       'record.updated', 'record', g::text,
       jsonb_build_object('title', md5(g::text), 'note', repeat(md5(t.slug || g), 2), 'n', g),
       jsonb_build_object('title', md5((g + 1)::text), 'note', repeat(md5(t.slug || (g + 1)), 2), 'n', g + 1),
       md5(random()::text), '10.0.' || (g % 250) || '.' || (g % 200), md5((g - 1)::text) || md5(t.slug), md5(g::text) || md5(t.slug)
from tenants t, generate_series(1, :rows) g where t.slug like 'perf-%' and t.slug <> 'perf-small';

insert into audit_events (tenant_id, seq, id, occurred_at, action, resource_type, prev_hash, hash)
select '00000000-0000-4000-9000-000000000001', g, gen_random_uuid(), now(), 'record.updated', 'record', md5(g::text), md5(g::text)
from generate_series(1, 100) g;
analyze;
