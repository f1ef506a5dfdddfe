-- Up Migration
-- Counts the times an account's password was set; a session carries the count it began with and
-- ends when the count moves on (a password changed because it leaked must not leave the leaked
-- sessions open). A count, not a time: no clock of the API and the database is compared.
ALTER TABLE users ADD COLUMN credentials_version integer NOT NULL DEFAULT 0;

-- Down Migration
ALTER TABLE users DROP COLUMN credentials_version;
