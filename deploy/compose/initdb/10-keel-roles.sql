-- Runs once, as the PostgreSQL superuser, when the compose volume is initialised (the postgres
-- image executes /docker-entrypoint-initdb.d/*.sql with psql). It creates the two roles Keel expects,
-- exactly as the embedded database does:
--   keel_owner  owns the database and schema and runs the Flyway migrations (DATABASE_MIGRATION_URL);
--   keel_app    is what the service connects as (DATABASE_URL): NOSUPERUSER NOBYPASSRLS, owns nothing,
--               so row-level security always applies to it.
-- Passwords are read from the mounted compose secrets (psql backquote expansion), never written here.
\set ON_ERROR_STOP on
\set owner_password `cat /run/secrets/keel_owner_password`
\set app_password `cat /run/secrets/keel_app_password`

create role keel_owner login nosuperuser nobypassrls nocreaterole createdb password :'owner_password';
create role keel_app login nosuperuser nobypassrls nocreaterole nocreatedb noinherit password :'app_password';
create database keel owner keel_owner;

\connect keel
revoke all on database keel from public;
grant connect, temporary on database keel to keel_app;
revoke create on schema public from public;
alter schema public owner to keel_owner;
