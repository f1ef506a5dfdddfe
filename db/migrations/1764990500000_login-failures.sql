-- Up Migration
-- Failed log-ins within the throttle's window (api/login-throttle.ts), one row per failure per
-- key: a SHA-256 of the user name, and one of the client's address. Kept in the database so that
-- every API process counts the same failures; no name or address is kept as such.
CREATE TABLE login_failures (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  key bytea NOT NULL,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_failures_key_at ON login_failures (key, at);
CREATE INDEX login_failures_at ON login_failures (at);

-- Down Migration
DROP TABLE login_failures;
