-- Up Migration
-- The coordinator's decisions on a province run's split, each accepted batch once (the workflow
-- numbers its batches; a retried activity finds its rows). A unit's current custodian is its
-- latest decision; earlier ones stay as the record of what was changed before release.
CREATE TABLE custodian_decisions (
  id bigserial PRIMARY KEY,
  run_id text NOT NULL,
  batch integer NOT NULL,
  unit_code text NOT NULL,
  unit_name text NOT NULL,
  agency_code text NOT NULL,
  agency_name text NOT NULL,
  candidate boolean NOT NULL,
  basis text,
  committee_decision_number text,
  committee_decision_date date,
  decided_by text NOT NULL,
  decided_at timestamptz NOT NULL,
  UNIQUE (run_id, batch, unit_code)
);
CREATE INDEX custodian_decisions_current ON custodian_decisions (run_id, unit_code, batch DESC);

-- Exception rows placed by hand: one row per row asked for in an uploaded workbook, with what
-- became of it. A row's current placement is its latest.
CREATE TABLE exception_placements (
  id bigserial PRIMARY KEY,
  run_id text NOT NULL,
  batch integer NOT NULL,
  workbook_sha256 text NOT NULL,
  sheet text NOT NULL,
  source_row integer NOT NULL,
  agency_code text NOT NULL,
  placed_by text NOT NULL,
  placed_at timestamptz NOT NULL,
  placed boolean,
  reason_code text,
  UNIQUE (run_id, batch, sheet, source_row)
);
CREATE INDEX exception_placements_current ON exception_placements (run_id, sheet, source_row, batch DESC);

-- Down Migration
DROP TABLE exception_placements;
DROP TABLE custodian_decisions;
