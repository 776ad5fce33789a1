-- Keel runs as two roles: the owner (runs these migrations, owns every object) and the application
-- role ${app_role} (NOSUPERUSER NOBYPASSRLS, owns nothing). The owner's default privileges give the
-- application role DML on future tables only; DDL stays with the owner. When one role does both
-- (no DATABASE_MIGRATION_URL), the grants are skipped: the isolation check reports that set-up.
do $$
begin
  if current_user <> trim(both '"' from '${app_role}') then
    execute format('grant usage on schema %I to %s', current_schema(), '${app_role}');
    execute format('alter default privileges in schema %I grant select, insert, update, delete on tables to %s', current_schema(), '${app_role}');
    execute format('alter default privileges in schema %I grant usage, select on sequences to %s', current_schema(), '${app_role}');
    execute format('grant select on %I to %s', '${flyway:table}', '${app_role}');
  end if;
end
$$;

-- Functions are not executable by PUBLIC by default in Keel's schema: each grant is deliberate.
alter default privileges revoke execute on functions from public;
