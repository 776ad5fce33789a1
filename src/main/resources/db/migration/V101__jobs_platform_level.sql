-- The queue is platform-level (decision 0100): workers claim every tenant's jobs in one statement and
-- bind the job's tenant (TenantScope) before its handler touches tenant data. Marked so the isolation
-- check knows tenant_id here is routing, not a boundary. Only platform admins read it via /admin/jobs.
comment on table jobs is 'keel:platform-level: job queue, tenant_id is the tenant the handler binds';
comment on table jobs_archive is 'keel:platform-level: archived jobs, tenant_id is the tenant the handler bound';
