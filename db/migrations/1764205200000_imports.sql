-- Up Migration
-- Step 3: each agency's imports of Excel data and of scanned register pages.

-- One row per import an official (or the agency workflow) started. The key is chosen by the
-- caller (the workflow's update id), so a retried activity finds its import and does not run it twice.
CREATE TABLE imports (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  import_key      text NOT NULL UNIQUE,
  kind            text NOT NULL CHECK (kind IN ('excel', 'scans')),
  agency_code     text NOT NULL REFERENCES agencies (code),
  register_type   text,
  actor           text NOT NULL,
  workflow_id     text,
  source_name     text NOT NULL,
  source_sha256   text NOT NULL CHECK (source_sha256 ~ '^[0-9a-f]{64}$'),
  status          text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'completed', 'failed')),
  -- Excel: { read, inserted, updated, unchanged, rejected, protected }; scans: the per-zip report's counts.
  counts          jsonb NOT NULL DEFAULT '{}',
  -- What a person reads afterwards: rejected entries, unmatched files, pages still missing…
  report          jsonb NOT NULL DEFAULT '{}',
  -- The rows an Excel import rejected, as a workbook in the content store.
  error_file      text REFERENCES files (sha256),
  failure         jsonb,
  started_at      timestamptz NOT NULL DEFAULT now(),
  finished_at     timestamptz,
  CHECK ((kind = 'excel') = (register_type IS NOT NULL))
);
CREATE INDEX imports_agency ON imports (agency_code, started_at DESC);

-- Records are matched as the naming rule matches them: book and registration numbers without
-- leading zeros, case or separators ("01" = "1", "125/BS" = "125-bs"); the numbers as written stay.
-- A book belongs to the unit that kept it: since 1 July 2025 one commune holds the registers of
-- several former communes, each with its own "Quyển số 01/2010", so the unit is part of the key.
ALTER TABLE records
  ADD COLUMN unit_code     text NOT NULL,
  ADD COLUMN book_key      text NOT NULL,
  ADD COLUMN number_key    text NOT NULL,
  -- SHA-256 of the record's data as imported: an identical row changes nothing.
  ADD COLUMN data_sha256   text NOT NULL,
  ADD COLUMN import_id     bigint REFERENCES imports (id),
  -- Warnings the official sees while comparing with the page, and cells repaired from legacy encodings.
  ADD COLUMN notes         jsonb NOT NULL DEFAULT '{}',
  ADD CONSTRAINT records_state CHECK (state IN ('imported', 'approved', 'rejected', 'transferred'));
ALTER TABLE records DROP CONSTRAINT records_agency_code_register_type_book_year_book_number_reg_key;
ALTER TABLE records ADD CONSTRAINT records_natural_key UNIQUE (agency_code, unit_code, register_type, book_year, book_key, number_key);
CREATE INDEX records_book ON records (agency_code, register_type, book_year, book_key, number_key);

ALTER TABLE record_versions
  ADD COLUMN data_sha256    text,
  ADD COLUMN import_id      bigint REFERENCES imports (id),
  ADD COLUMN superseded_at  timestamptz NOT NULL DEFAULT now();

ALTER TABLE attachments
  ADD COLUMN import_id   bigint REFERENCES imports (id),
  ADD COLUMN entry_name  text NOT NULL DEFAULT '';

-- A page replaced by a new scan: the old file stays in the store and is linked here.
CREATE TABLE attachment_history (
  record_id    bigint NOT NULL REFERENCES records (id),
  page         integer NOT NULL,
  sha256       text NOT NULL REFERENCES files (sha256),
  replaced_by  text NOT NULL REFERENCES files (sha256),
  import_id    bigint NOT NULL REFERENCES imports (id),
  entry_name   text NOT NULL,
  attached_at  timestamptz NOT NULL,
  replaced_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX attachment_history_record ON attachment_history (record_id);

-- Scanned pages whose record has not been imported yet: kept, listed, and attached when it arrives.
CREATE TABLE unmatched_scans (
  agency_code    text NOT NULL REFERENCES agencies (code),
  -- The former unit the official said the zip is of; '' when not said (one unit kept such a book).
  unit_code      text NOT NULL DEFAULT '',
  register_type  text NOT NULL,
  book_year      integer NOT NULL,
  book_key       text NOT NULL,
  number_key     text NOT NULL,
  page           integer NOT NULL CHECK (page >= 1),
  sha256         text NOT NULL REFERENCES files (sha256),
  entry_name     text NOT NULL,
  import_id      bigint NOT NULL REFERENCES imports (id),
  created_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (agency_code, unit_code, register_type, book_year, book_key, number_key, page)
);

-- Down Migration
DROP TABLE unmatched_scans;
DROP TABLE attachment_history;
ALTER TABLE attachments DROP COLUMN entry_name, DROP COLUMN import_id;
ALTER TABLE record_versions DROP COLUMN superseded_at, DROP COLUMN import_id, DROP COLUMN data_sha256;
ALTER TABLE records DROP CONSTRAINT records_natural_key;
ALTER TABLE records ADD CONSTRAINT records_agency_code_register_type_book_year_book_number_reg_key UNIQUE (agency_code, register_type, book_year, book_number, registration_number);
DROP INDEX records_book;
ALTER TABLE records DROP CONSTRAINT records_state, DROP COLUMN notes, DROP COLUMN import_id, DROP COLUMN data_sha256, DROP COLUMN number_key, DROP COLUMN book_key, DROP COLUMN unit_code;
DROP TABLE imports;
