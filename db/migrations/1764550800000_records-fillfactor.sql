-- Up Migration
-- A record is written once by its import, then changes state two or three times (approved,
-- transferred, sometimes back to review). Room left on each page lets the new row version of
-- such a change go on the record's own page, instead of a page found elsewhere or added at the
-- end of the table. Pages written before this keep their fill until the table is rewritten.
ALTER TABLE records SET (fillfactor = 60);

-- Down Migration
ALTER TABLE records RESET (fillfactor);
