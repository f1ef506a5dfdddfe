-- Up Migration
-- Changes of an account (created, disabled, enabled, a password set by an administrator) join
-- the audit log, about the account by its user name.
ALTER TABLE audit_log
  DROP CONSTRAINT audit_log_subject_kind,
  ADD CONSTRAINT audit_log_subject_kind CHECK (subject_kind IN ('record', 'file', 'book', 'batch', 'workflow', 'user'));

-- Down Migration
ALTER TABLE audit_log
  DROP CONSTRAINT audit_log_subject_kind,
  ADD CONSTRAINT audit_log_subject_kind CHECK (subject_kind IN ('record', 'file', 'book', 'batch', 'workflow')) NOT VALID;
