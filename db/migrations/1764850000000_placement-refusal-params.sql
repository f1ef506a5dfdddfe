-- Up Migration
-- Why a row placed by hand stayed an exception: with its code, the parameters its Vietnamese
-- message names (the former unit, the agency code written…), so the message is made again from
-- the error's definition instead of being stored twice.
ALTER TABLE exception_placements ADD COLUMN reason_params jsonb;

-- Down Migration
ALTER TABLE exception_placements DROP COLUMN reason_params;
