-- Up Migration
-- Step 4: officials' decisions on records, the rule "no approval without scan" enforced by the
-- database itself, transfers into the electronic civil status database with receipts, and
-- the reminders of the agency runs.

-- The words a record is found by, folded (no accents, lower case) by the code that writes its
-- values (domain/registers/record-search.ts): a change of state does not compute them again.
ALTER TABLE records ADD COLUMN search_text text NOT NULL DEFAULT '';
-- The records waiting for a transfer batch, found without walking past those already sent.
CREATE INDEX records_approved ON records (agency_code, id) WHERE state = 'approved';

-- A version made by an official's correction, not by an import: the imported values are those
-- of the latest version that is not corrected, and an import that changes the row resets it.
ALTER TABLE records ADD COLUMN corrected boolean NOT NULL DEFAULT false;
ALTER TABLE record_versions ADD COLUMN corrected boolean NOT NULL DEFAULT false;

-- One row per batch of decisions an official sent (one workflow update): a retried activity
-- finds its batch and returns what it decided the first time.
CREATE TABLE review_batches (
  batch_key    text PRIMARY KEY,
  agency_code  text NOT NULL REFERENCES agencies (code),
  actor        text NOT NULL,
  result       jsonb NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now()
);

-- Every decision on a record, one row per record, with who, when and why.
CREATE TABLE decisions (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  record_id       bigint NOT NULL REFERENCES records (id),
  record_version  integer NOT NULL,
  kind            text NOT NULL CHECK (kind IN ('approve', 'reject', 'correct', 'transfer_rejected')),
  reason_code     text,
  comment         text NOT NULL DEFAULT '',
  -- Correct: { field: { original, imported, corrected } }; approve: the pages compared.
  details         jsonb NOT NULL DEFAULT '{}',
  actor           text NOT NULL,
  batch_key       text REFERENCES review_batches (batch_key),
  decided_at      timestamptz NOT NULL DEFAULT now(),
  CHECK (kind NOT IN ('reject', 'correct', 'transfer_rejected') OR reason_code IS NOT NULL)
);
CREATE INDEX decisions_record ON decisions (record_id, id);

-- The rule of the process, held by the database whatever path a change takes: a record is
-- approved or transferred only with a scanned page attached; it is transferred only from
-- approved; once transferred it is read-only; an approved record keeps its pages.
CREATE FUNCTION records_review_rules() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.state = 'transferred' THEN
    RAISE EXCEPTION 'record % is transferred and read-only', OLD.id USING ERRCODE = 'HT002';
  END IF;
  IF NEW.state IN ('approved', 'transferred') AND NOT EXISTS (SELECT 1 FROM attachments WHERE record_id = NEW.id) THEN
    RAISE EXCEPTION 'record % has no attached scan and cannot be %', NEW.id, NEW.state USING ERRCODE = 'HT001';
  END IF;
  IF NEW.state = 'transferred' AND (TG_OP = 'INSERT' OR OLD.state <> 'approved') THEN
    RAISE EXCEPTION 'record % was not approved and cannot be transferred', NEW.id USING ERRCODE = 'HT003';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER records_review_rules BEFORE INSERT OR UPDATE ON records FOR EACH ROW EXECUTE FUNCTION records_review_rules();

CREATE FUNCTION attachments_keep_approved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM records WHERE id = OLD.record_id AND state IN ('approved', 'transferred')) THEN
    RAISE EXCEPTION 'the pages of approved record % cannot change', OLD.record_id USING ERRCODE = 'HT004';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
CREATE TRIGGER attachments_keep_approved BEFORE UPDATE OR DELETE ON attachments FOR EACH ROW EXECUTE FUNCTION attachments_keep_approved();

-- Transfers: a batch's records are fixed when it is first made, so a retry sends the same ones.
CREATE TABLE transfer_batches (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  batch_key     text NOT NULL UNIQUE,
  agency_code   text NOT NULL REFERENCES agencies (code),
  workflow_id   text,
  status        text NOT NULL DEFAULT 'sending' CHECK (status IN ('sending', 'done')),
  records       integer NOT NULL,
  accepted      integer NOT NULL DEFAULT 0,
  rejected      integer NOT NULL DEFAULT 0,
  attempts      integer NOT NULL DEFAULT 0,
  -- The target's last failure (code, Vietnamese message, when), shown on the dashboard.
  last_error    jsonb,
  created_at    timestamptz NOT NULL DEFAULT now(),
  finished_at   timestamptz
);
CREATE INDEX transfer_batches_agency ON transfer_batches (agency_code, id DESC);

CREATE TABLE transfer_batch_items (
  batch_id   bigint NOT NULL REFERENCES transfer_batches (id),
  record_id  bigint NOT NULL REFERENCES records (id),
  PRIMARY KEY (batch_id, record_id)
);
-- A record waits in at most one unfinished batch.
CREATE INDEX transfer_batch_items_record ON transfer_batch_items (record_id);

-- What the target gave back for each transferred record.
CREATE TABLE transfer_receipts (
  record_id        bigint PRIMARY KEY REFERENCES records (id),
  idempotency_key  text NOT NULL UNIQUE,
  target_id        text NOT NULL,
  batch_id         bigint NOT NULL REFERENCES transfer_batches (id),
  received_at      timestamptz NOT NULL,
  stored_at        timestamptz NOT NULL DEFAULT now()
);

-- Reminders to the agency and escalations to the coordinator, written by the agency runs.
CREATE TABLE notifications (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  notification_key text NOT NULL UNIQUE,
  kind            text NOT NULL CHECK (kind IN ('reminder', 'escalation')),
  province_code   text NOT NULL,
  agency_code     text NOT NULL REFERENCES agencies (code),
  workflow_id     text NOT NULL,
  book            jsonb NOT NULL,
  idle_since      timestamptz NOT NULL,
  message_vi      text NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX notifications_province ON notifications (province_code, created_at DESC);

-- The electronic civil status database (CSDLHTĐT), as our PostgreSQL transfer adapter keeps it:
-- its own schema, written only by that adapter. A national endpoint replaces the adapter.
CREATE SCHEMA csdlhtdt;
CREATE TABLE csdlhtdt.civil_status_records (
  target_id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  idempotency_key      text NOT NULL UNIQUE,
  agency_code          text NOT NULL,
  unit_code            text NOT NULL,
  register_type        text NOT NULL,
  book_year            integer NOT NULL,
  book_number          text NOT NULL,
  registration_number  text NOT NULL,
  data                 jsonb NOT NULL,
  pages                text[] NOT NULL,
  approved_by          text NOT NULL,
  batch_key            text NOT NULL,
  received_at          timestamptz NOT NULL DEFAULT now()
);
-- The target's own rule: one entry per register book and number.
CREATE UNIQUE INDEX civil_status_records_entry ON csdlhtdt.civil_status_records (unit_code, register_type, book_year, book_number, registration_number);

-- Down Migration
DROP SCHEMA csdlhtdt CASCADE;
DROP TABLE notifications;
DROP TABLE transfer_receipts;
DROP TABLE transfer_batch_items;
DROP TABLE transfer_batches;
DROP TRIGGER attachments_keep_approved ON attachments;
DROP FUNCTION attachments_keep_approved;
DROP TRIGGER records_review_rules ON records;
DROP FUNCTION records_review_rules;
DROP TABLE decisions;
DROP TABLE review_batches;
ALTER TABLE record_versions DROP COLUMN corrected;
ALTER TABLE records DROP COLUMN corrected;
DROP INDEX records_approved;
ALTER TABLE records DROP COLUMN search_text;
