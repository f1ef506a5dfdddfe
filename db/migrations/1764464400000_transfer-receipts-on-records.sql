-- Up Migration
-- Transfer bookkeeping in two tables fewer per batch: a batch's records are one array on the
-- batch, and a record's receipt (target id, time, batch) is columns of the record, written by the
-- statement that marks it transferred. Same rules as before, fewer rows written per record.

ALTER TABLE transfer_batches ADD COLUMN record_ids bigint[] NOT NULL DEFAULT '{}';
UPDATE transfer_batches b SET record_ids = ARRAY(SELECT i.record_id FROM transfer_batch_items i WHERE i.batch_id = b.id ORDER BY i.record_id);
-- The unfinished batches of an agency: their records are not taken again.
CREATE INDEX transfer_batches_sending ON transfer_batches (agency_code) WHERE status = 'sending';

ALTER TABLE records
  ADD COLUMN transfer_batch_id bigint,
  ADD COLUMN target_id text,
  ADD COLUMN target_received_at timestamptz;
-- Transferred records are read-only to everything else; moving their receipts is this migration's alone.
ALTER TABLE records DISABLE TRIGGER records_review_rules;
UPDATE records r SET transfer_batch_id = t.batch_id, target_id = t.target_id, target_received_at = t.received_at FROM transfer_receipts t WHERE t.record_id = r.id;
ALTER TABLE records ENABLE TRIGGER records_review_rules;
-- A transferred record always has the target's receipt.
ALTER TABLE records ADD CONSTRAINT records_transferred_receipt CHECK (state <> 'transferred' OR (target_id IS NOT NULL AND target_received_at IS NOT NULL AND transfer_batch_id IS NOT NULL));
DROP TABLE transfer_receipts;
DROP TABLE transfer_batch_items;

-- The rule of the process, unchanged, without looking for the pages of a record that goes from
-- approved to transferred: its approval found them, and attachments_keep_approved keeps them.
CREATE OR REPLACE FUNCTION records_review_rules() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.state = 'transferred' THEN
    RAISE EXCEPTION 'record % is transferred and read-only', OLD.id USING ERRCODE = 'HT002';
  END IF;
  IF NEW.state = 'transferred' AND (TG_OP = 'INSERT' OR OLD.state <> 'approved') THEN
    RAISE EXCEPTION 'record % was not approved and cannot be transferred', NEW.id USING ERRCODE = 'HT003';
  END IF;
  IF NEW.state = 'approved' AND NOT EXISTS (SELECT 1 FROM attachments WHERE record_id = NEW.id) THEN
    RAISE EXCEPTION 'record % has no attached scan and cannot be %', NEW.id, NEW.state USING ERRCODE = 'HT001';
  END IF;
  RETURN NEW;
END $$;

-- Down Migration
CREATE OR REPLACE FUNCTION records_review_rules() RETURNS trigger LANGUAGE plpgsql AS $$
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
CREATE TABLE transfer_batch_items (
  batch_id   bigint NOT NULL REFERENCES transfer_batches (id),
  record_id  bigint NOT NULL REFERENCES records (id),
  PRIMARY KEY (batch_id, record_id)
);
CREATE INDEX transfer_batch_items_record ON transfer_batch_items (record_id);
INSERT INTO transfer_batch_items (batch_id, record_id) SELECT b.id, unnest(b.record_ids) FROM transfer_batches b;
CREATE TABLE transfer_receipts (
  record_id        bigint PRIMARY KEY REFERENCES records (id),
  idempotency_key  text NOT NULL UNIQUE,
  target_id        text NOT NULL,
  batch_id         bigint NOT NULL REFERENCES transfer_batches (id),
  received_at      timestamptz NOT NULL,
  stored_at        timestamptz NOT NULL DEFAULT now()
);
INSERT INTO transfer_receipts (record_id, idempotency_key, target_id, batch_id, received_at)
  SELECT id, 'hotich:' || id, target_id, transfer_batch_id, target_received_at FROM records WHERE target_id IS NOT NULL;
ALTER TABLE records DROP CONSTRAINT records_transferred_receipt;
ALTER TABLE records DROP COLUMN target_received_at, DROP COLUMN target_id, DROP COLUMN transfer_batch_id;
DROP INDEX transfer_batches_sending;
ALTER TABLE transfer_batches DROP COLUMN record_ids;
