-- Up Migration
-- The audit log as auditors read it: who (username and role), what (a dotted action name),
-- on what (record, file, book, batch or workflow, and the record's id where there is one), the
-- record's state before and after, the Temporal workflow and run, and details; one SHA-256
-- chain per province instead of one for the whole system, so provinces append without waiting
-- for each other and an auditor of one province checks that province's chain alone.
--
-- The chain is the trigger's to make: whatever writes an entry, the database gives it its
-- time, its place in its province's chain and its hash. domain/audit/audit-chain.ts computes
-- the same hash to verify it (`hotich audit verify`).
--
-- Entries written before this migration are chained here once, into the chain of their
-- province (read from their subject), in the order they were written, each chain starting
-- from 64 zeros. Their hashes of the earlier single chain are not kept: that chain hashed the
-- time as text in the writing session's time zone and could not be checked again reliably.

ALTER TABLE audit_log
  ADD COLUMN province_code text CHECK (province_code ~ '^[0-9]{2}$'),
  ADD COLUMN chain_pos     bigint,
  ADD COLUMN agency_code   text,
  ADD COLUMN actor_role    text,
  ADD COLUMN subject_kind  text,
  ADD COLUMN subject_id    text,
  ADD COLUMN record_id     bigint,
  ADD COLUMN workflow_id   text,
  ADD COLUMN run_id        text,
  ADD COLUMN state_before  text,
  ADD COLUMN state_after   text,
  ADD COLUMN entry_key     text;

-- The log refuses every change (audit_log_no_update); this migration is the one exception, made once.
ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update;

-- The earlier entries' new columns, from their subject: a province run's workflow id names its
-- province; an agency's (`agency/<code>…`), imports' (`agency/<code>`) and transfer batches'
-- (`agency/<code>/<run>/transfer/<n>`) name the agency.
UPDATE audit_log SET
  agency_code = CASE WHEN subject ~ '^agency/' THEN split_part(subject, '/', 2) END,
  workflow_id = CASE
    WHEN action IN ('import.excel', 'import.scans') THEN substring(details->>'importKey' FROM '^(agency/[^/]+/[^/]+)')
    WHEN action = 'transfer.batch' THEN substring(subject FROM '^(.*)/transfer/[0-9]+$')
    ELSE subject END,
  subject_kind = CASE
    WHEN action IN ('package.received', 'package.quarantined', 'import.excel', 'import.scans') THEN 'file'
    WHEN action = 'transfer.batch' THEN 'batch'
    ELSE 'workflow' END,
  subject_id = CASE
    WHEN action IN ('package.received', 'package.quarantined') THEN details->>'sha256'
    WHEN action = 'import.excel' THEN details->>'sourceSha256'
    WHEN action = 'import.scans' THEN details->>'zipSha256'
    END;
UPDATE audit_log SET subject_id = subject WHERE subject_id IS NULL;
UPDATE audit_log SET province_code = CASE
    WHEN subject ~ '^province/[0-9]{2}/' THEN split_part(subject, '/', 2)
    ELSE (SELECT a.province_code FROM agencies a WHERE a.code = audit_log.agency_code) END;
UPDATE audit_log l SET actor_role = coalesce(
    (SELECT u.role FROM users u WHERE u.username = l.actor),
    CASE WHEN action IN ('platform.check', 'agency.completed', 'transfer.batch') THEN 'system'
         WHEN action IN ('import.excel', 'import.scans') THEN 'official'
         ELSE 'coordinator' END);

ALTER TABLE audit_log DROP CONSTRAINT audit_log_hash_key;
ALTER TABLE audit_log DROP COLUMN subject;

-- One line per field: its byte length and its text, or '-' for none (see domain/audit/audit-chain.ts).
CREATE FUNCTION audit_field(v text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN v IS NULL THEN '-' ELSE octet_length(convert_to(v, 'UTF8'))::text || ':' || v END
$$;

CREATE FUNCTION audit_entry_hash(prev_hash text, e audit_log) RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT encode(sha256(convert_to(prev_hash
    || audit_field(e.province_code) || audit_field(e.agency_code)
    || audit_field(to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))
    || audit_field(e.actor) || audit_field(e.actor_role) || audit_field(e.action)
    || audit_field(e.subject_kind) || audit_field(e.subject_id) || audit_field(e.record_id::text)
    || audit_field(e.workflow_id) || audit_field(e.run_id) || audit_field(e.state_before) || audit_field(e.state_after)
    || audit_field(e.details::text) || audit_field(e.entry_key), 'UTF8')), 'hex')
$$;

-- A province's chain takes one writer at a time, from its first entry until the writer
-- commits; provinces do not wait for each other.
CREATE FUNCTION audit_lock_chain(province text) RETURNS void LANGUAGE sql AS $$
  SELECT pg_advisory_xact_lock(7311, coalesce(province::int, 0))
$$;

-- Earlier entries, chained once in the order they were written.
DO $$
DECLARE
  e audit_log;
  heads jsonb := '{}';
  chain text;
  prev text;
  pos bigint;
BEGIN
  FOR e IN SELECT * FROM audit_log ORDER BY seq LOOP
    chain := coalesce(e.province_code, '');
    prev := coalesce(heads->chain->>'hash', repeat('0', 64));
    pos := coalesce((heads->chain->>'pos')::bigint, 0) + 1;
    e.prev_hash := prev;
    e.chain_pos := pos;
    e.hash := audit_entry_hash(prev, e);
    UPDATE audit_log SET chain_pos = e.chain_pos, prev_hash = e.prev_hash, hash = e.hash WHERE seq = e.seq;
    heads := heads || jsonb_build_object(chain, jsonb_build_object('hash', e.hash, 'pos', pos));
  END LOOP;
END $$;
ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update;

ALTER TABLE audit_log
  ALTER COLUMN chain_pos SET NOT NULL,
  ALTER COLUMN actor_role SET NOT NULL,
  ALTER COLUMN subject_kind SET NOT NULL,
  ALTER COLUMN subject_id SET NOT NULL,
  ADD CONSTRAINT audit_log_actor_role CHECK (actor_role IN ('admin', 'coordinator', 'official', 'auditor', 'system', 'target')),
  ADD CONSTRAINT audit_log_subject_kind CHECK (subject_kind IN ('record', 'file', 'book', 'batch', 'workflow')),
  ADD CONSTRAINT audit_log_state_before CHECK (state_before IN ('imported', 'approved', 'rejected', 'transferred')),
  ADD CONSTRAINT audit_log_state_after CHECK (state_after IN ('imported', 'approved', 'rejected', 'transferred')),
  -- Two writers can never give one position (or one predecessor) to two entries: the chain cannot fork.
  ADD CONSTRAINT audit_log_chain_pos UNIQUE NULLS NOT DISTINCT (province_code, chain_pos),
  ADD CONSTRAINT audit_log_hash UNIQUE (hash);
CREATE UNIQUE INDEX audit_log_entry_key ON audit_log (entry_key) WHERE entry_key IS NOT NULL;
CREATE INDEX audit_log_record ON audit_log (record_id) WHERE record_id IS NOT NULL;
CREATE INDEX audit_log_subject ON audit_log (subject_kind, subject_id);

CREATE OR REPLACE FUNCTION audit_log_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  last_pos bigint;
  last_hash text;
BEGIN
  PERFORM audit_lock_chain(NEW.province_code);
  -- Entries written earlier by this same statement are seen here, so a statement of many entries chains them one by one.
  IF NEW.province_code IS NULL THEN
    SELECT chain_pos, hash INTO last_pos, last_hash FROM audit_log WHERE province_code IS NULL ORDER BY chain_pos DESC LIMIT 1;
  ELSE
    SELECT chain_pos, hash INTO last_pos, last_hash FROM audit_log WHERE province_code = NEW.province_code ORDER BY chain_pos DESC LIMIT 1;
  END IF;
  -- The time is the database's, taken under the chain's lock: a writer cannot date an entry, and times follow the chain.
  NEW.at := clock_timestamp();
  NEW.chain_pos := coalesce(last_pos, 0) + 1;
  NEW.prev_hash := coalesce(last_hash, repeat('0', 64));
  NEW.hash := audit_entry_hash(NEW.prev_hash, NEW);
  RETURN NEW;
END $$;

-- Statement-level: TRUNCATE fires no row trigger.
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- Down Migration
DROP TRIGGER audit_log_no_truncate ON audit_log;
CREATE OR REPLACE FUNCTION audit_log_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  previous text;
BEGIN
  PERFORM pg_advisory_xact_lock(7311);
  SELECT hash INTO previous FROM audit_log ORDER BY seq DESC LIMIT 1;
  NEW.prev_hash := coalesce(previous, repeat('0', 64));
  NEW.hash := encode(sha256(convert_to(
    NEW.prev_hash || '|' || NEW.at::text || '|' || NEW.actor || '|' || NEW.action || '|' || NEW.subject || '|' || NEW.details::text,
    'UTF8')), 'hex');
  RETURN NEW;
END $$;
DROP INDEX audit_log_subject;
DROP INDEX audit_log_record;
DROP INDEX audit_log_entry_key;
ALTER TABLE audit_log DROP CONSTRAINT audit_log_hash, DROP CONSTRAINT audit_log_chain_pos, DROP CONSTRAINT audit_log_state_after, DROP CONSTRAINT audit_log_state_before,
  DROP CONSTRAINT audit_log_subject_kind, DROP CONSTRAINT audit_log_actor_role;
ALTER TABLE audit_log ADD COLUMN subject text;
ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update;
UPDATE audit_log SET subject = coalesce(CASE WHEN subject_kind = 'workflow' OR subject_kind = 'batch' THEN subject_id END, workflow_id, 'agency/' || agency_code, subject_id);
ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update;
ALTER TABLE audit_log ALTER COLUMN subject SET NOT NULL, ADD CONSTRAINT audit_log_hash_key UNIQUE (hash);
DROP FUNCTION audit_lock_chain;
DROP FUNCTION audit_entry_hash;
DROP FUNCTION audit_field;
ALTER TABLE audit_log DROP COLUMN entry_key, DROP COLUMN state_after, DROP COLUMN state_before, DROP COLUMN run_id, DROP COLUMN workflow_id,
  DROP COLUMN record_id, DROP COLUMN subject_id, DROP COLUMN subject_kind, DROP COLUMN actor_role, DROP COLUMN agency_code,
  DROP COLUMN chain_pos, DROP COLUMN province_code;
