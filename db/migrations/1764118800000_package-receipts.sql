-- Up Migration
-- Step 1: the handover record of every package a province run received, accepted or
-- quarantined. One row per workflow execution: a retried receive finds its row and does not add
-- another, and registering the same package again after a failed run starts a new record.

CREATE TABLE package_receipts (
  execution_id     text PRIMARY KEY,           -- the Temporal run id of the province run
  run_id           text NOT NULL,
  workflow_id      text NOT NULL,
  province_code    text NOT NULL CHECK (province_code ~ '^[0-9]{2}$'),
  original_name    text NOT NULL,
  channel          text NOT NULL,
  delivered_by     text NOT NULL,
  received_by      text NOT NULL,
  received_at      timestamptz NOT NULL DEFAULT now(),
  declared_sha256  text NOT NULL CHECK (declared_sha256 ~ '^[0-9a-f]{64}$'),
  actual_sha256    text NOT NULL CHECK (actual_sha256 ~ '^[0-9a-f]{64}$'),
  size_bytes       bigint NOT NULL CHECK (size_bytes >= 0),
  status           text NOT NULL CHECK (status IN ('accepted', 'quarantined')),
  -- Accepted packages live in the content-addressed store; quarantined ones only here.
  quarantine_path  text,
  -- The package's members: [{ name, size }] (a single file lists itself).
  file_list        jsonb NOT NULL,
  confirmed_by     text,
  confirmed_at     timestamptz,
  CHECK ((status = 'accepted') = (actual_sha256 = declared_sha256)),
  CHECK ((status = 'quarantined') = (quarantine_path IS NOT NULL))
);
CREATE INDEX package_receipts_province ON package_receipts (province_code);
CREATE INDEX package_receipts_run ON package_receipts (run_id);

-- Down Migration
DROP TABLE package_receipts;
