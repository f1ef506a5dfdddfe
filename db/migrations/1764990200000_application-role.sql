-- Up Migration
-- The role the API and the workers connect as (DATABASE_URL): it reads and writes what the
-- process needs and may only add to the audit log, never change, delete or empty it. The
-- migrations keep running as the owner of the tables, who alone can change what this role
-- may do. `hotich migrate` (and `npm start`) then let the role log in (db/app-role.ts).
-- Roles belong to the whole PostgreSQL server: databases of hotich-flow on one server share it.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'hotich_app') THEN
    CREATE ROLE hotich_app NOLOGIN;
  END IF;
  EXECUTE format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO hotich_app', current_database());
END $$;
GRANT USAGE ON SCHEMA public, csdlhtdt TO hotich_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public, csdlhtdt TO hotich_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public, csdlhtdt TO hotich_app;
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM hotich_app;
REVOKE ALL ON pgmigrations FROM hotich_app;
-- Tables later migrations make are the application's to use as well; one that must stay
-- append-only revokes what this grants, as above for the log.
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO hotich_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO hotich_app;

-- Down Migration
ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE USAGE, SELECT ON SEQUENCES FROM hotich_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE SELECT, INSERT, UPDATE, DELETE ON TABLES FROM hotich_app;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA public, csdlhtdt FROM hotich_app;
REVOKE ALL ON ALL TABLES IN SCHEMA public, csdlhtdt FROM hotich_app;
REVOKE USAGE ON SCHEMA public, csdlhtdt FROM hotich_app;
DO $$
BEGIN
  EXECUTE format('REVOKE CONNECT, TEMPORARY ON DATABASE %I FROM hotich_app', current_database());
END $$;
