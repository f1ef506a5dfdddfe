-- Up Migration
-- The coordinator's board counts every agency's records of a run at once (imported, with a page,
-- approved, rejected, transferred). Records in id order with their agency and state, beside the
-- ids that have a page (attachments_pkey), are merged from indexes alone: a million records are
-- counted without reading the table, whose rows carry the record data.
CREATE INDEX records_board ON records (id) INCLUDE (agency_code, state);

-- Approvals per day of a province's agencies: the approvals since a day, found without reading
-- the other decisions, with the batch that names their agency.
CREATE INDEX decisions_approvals ON decisions (decided_at) INCLUDE (batch_key) WHERE kind = 'approve';

-- Down Migration
DROP INDEX decisions_approvals;
DROP INDEX records_board;
