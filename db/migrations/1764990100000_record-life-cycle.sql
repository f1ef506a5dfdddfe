-- Up Migration
-- The record life cycle (domain/records/life-cycle.ts) held by the database whatever path a
-- change takes: a record begins as imported; its state changes only along the table's
-- transitions (a rejected record is reopened only to imported, never approved as it stands);
-- a transferred record is read-only; an approved one has its pages. The pairs are written out
-- here as literals, so that an import of many rows pays no lookup per row;
-- db/record-life-cycle.int.test.ts tries every pair of states on this trigger and holds the
-- ones it lets through equal to the table's.
CREATE OR REPLACE FUNCTION records_review_rules() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.state = 'transferred' THEN
    RAISE EXCEPTION 'record % is transferred and read-only', OLD.id USING ERRCODE = 'HT002';
  END IF;
  IF TG_OP = 'INSERT' AND NEW.state <> 'imported' THEN
    RAISE EXCEPTION 'a record begins as imported, not %', NEW.state USING ERRCODE = 'HT005';
  END IF;
  IF TG_OP = 'UPDATE' AND NEW.state <> OLD.state
     AND NOT (OLD.state || '>' || NEW.state) = ANY ('{imported>approved,imported>rejected,rejected>imported,approved>transferred,approved>imported}'::text[]) THEN
    RAISE EXCEPTION 'record % cannot go from % to %', NEW.id, OLD.state, NEW.state USING ERRCODE = 'HT005';
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
  IF NEW.state = 'transferred' AND (TG_OP = 'INSERT' OR OLD.state <> 'approved') THEN
    RAISE EXCEPTION 'record % was not approved and cannot be transferred', NEW.id USING ERRCODE = 'HT003';
  END IF;
  IF NEW.state = 'approved' AND NOT EXISTS (SELECT 1 FROM attachments WHERE record_id = NEW.id) THEN
    RAISE EXCEPTION 'record % has no attached scan and cannot be %', NEW.id, NEW.state USING ERRCODE = 'HT001';
  END IF;
  RETURN NEW;
END $$;
