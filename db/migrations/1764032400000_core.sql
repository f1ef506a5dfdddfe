-- Up Migration
-- Core tables every step builds on. Units themselves live in the catalog data file
-- (domain/units); agencies are stored because users, records and runs are scoped to them.

CREATE TABLE agencies (
  code           text PRIMARY KEY,            -- unit code of the agency's unit (5-digit commune, 3-digit district)
  name           text NOT NULL,               -- Vietnamese, NFC
  level          text NOT NULL CHECK (level IN ('commune', 'district', 'province')),
  province_code  text NOT NULL CHECK (province_code ~ '^[0-9]{2}$')
);
CREATE INDEX agencies_province ON agencies (province_code);

CREATE TABLE users (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  username       text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9._-]{3,64}$'),
  password_hash  text NOT NULL,
  role           text NOT NULL CHECK (role IN ('admin', 'coordinator', 'official', 'auditor')),
  province_code  text CHECK (province_code ~ '^[0-9]{2}$'),
  agency_code    text REFERENCES agencies (code),
  display_name   text NOT NULL DEFAULT '',
  disabled       boolean NOT NULL DEFAULT false,
  created_at     timestamptz NOT NULL DEFAULT now(),
  -- A scope per role: coordinators one province, officials one agency, auditors a province or all.
  CONSTRAINT users_scope CHECK (
    (role = 'admin' AND province_code IS NULL AND agency_code IS NULL) OR
    (role = 'coordinator' AND province_code IS NOT NULL AND agency_code IS NULL) OR
    (role = 'official' AND agency_code IS NOT NULL AND province_code IS NOT NULL) OR
    (role = 'auditor' AND agency_code IS NULL)
  )
);

-- Development log-ins of the embedded mode only; never written in production mode.
CREATE TABLE dev_credentials (
  username  text PRIMARY KEY REFERENCES users (username) ON DELETE CASCADE,
  password  text NOT NULL
);

-- Every file kept in the content-addressed store.
CREATE TABLE files (
  sha256       text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  size_bytes   bigint NOT NULL CHECK (size_bytes >= 0),
  media_type   text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now()
);

-- Which agency may see which file (a scan belongs to an agency; a package to a province).
CREATE TABLE file_owners (
  sha256         text NOT NULL REFERENCES files (sha256),
  province_code  text NOT NULL,
  agency_code    text REFERENCES agencies (code),
  original_name  text NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  UNIQUE NULLS NOT DISTINCT (sha256, province_code, agency_code, original_name)
);
CREATE INDEX file_owners_sha ON file_owners (sha256);

-- Records: one row per register entry; the natural key is the register's own numbering.
CREATE TABLE records (
  id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  agency_code         text NOT NULL REFERENCES agencies (code),
  register_type       text NOT NULL,
  book_year           integer NOT NULL,
  book_number         text NOT NULL,
  registration_number text NOT NULL,
  state               text NOT NULL DEFAULT 'imported',
  version             integer NOT NULL DEFAULT 1,
  data                jsonb NOT NULL,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  UNIQUE (agency_code, register_type, book_year, book_number, registration_number)
);

-- Earlier versions of a record are kept, never overwritten.
CREATE TABLE record_versions (
  record_id   bigint NOT NULL REFERENCES records (id),
  version     integer NOT NULL,
  data        jsonb NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (record_id, version)
);

CREATE TABLE attachments (
  record_id   bigint NOT NULL REFERENCES records (id),
  sha256      text NOT NULL REFERENCES files (sha256),
  page        integer NOT NULL DEFAULT 1 CHECK (page >= 1),
  attached_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (record_id, page)
);

-- Which workflow belongs to which province/agency, so the API can scope workflow access.
CREATE TABLE workflow_registry (
  workflow_id    text PRIMARY KEY,
  kind           text NOT NULL,
  province_code  text NOT NULL CHECK (province_code ~ '^[0-9]{2}$'),
  agency_code    text REFERENCES agencies (code),
  started_by     text NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now()
);

-- Append-only, hash-chained audit log: each row's hash covers the previous row's hash.
CREATE TABLE audit_log (
  seq         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at          timestamptz NOT NULL DEFAULT now(),
  actor       text NOT NULL,
  action      text NOT NULL,
  subject     text NOT NULL,
  details     jsonb NOT NULL DEFAULT '{}',
  prev_hash   text NOT NULL,
  hash        text NOT NULL UNIQUE
);

CREATE FUNCTION audit_log_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  previous text;
BEGIN
  -- Serialise appends so the chain has no forks.
  PERFORM pg_advisory_xact_lock(7311);
  SELECT hash INTO previous FROM audit_log ORDER BY seq DESC LIMIT 1;
  NEW.prev_hash := coalesce(previous, repeat('0', 64));
  NEW.hash := encode(sha256(convert_to(
    NEW.prev_hash || '|' || NEW.at::text || '|' || NEW.actor || '|' || NEW.action || '|' || NEW.subject || '|' || NEW.details::text,
    'UTF8')), 'hex');
  RETURN NEW;
END $$;
CREATE TRIGGER audit_log_chain BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_chain();

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END $$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();

-- Down Migration
DROP TABLE audit_log;
DROP FUNCTION audit_log_append_only;
DROP FUNCTION audit_log_chain;
DROP TABLE workflow_registry;
DROP TABLE attachments;
DROP TABLE record_versions;
DROP TABLE records;
DROP TABLE file_owners;
DROP TABLE files;
DROP TABLE dev_credentials;
DROP TABLE users;
DROP TABLE agencies;
