-- Email verification codes and the clean-up of expired credentials, PostgreSQL edition
-- (db/migration/sqlite/V5__email_codes.sql is the same schema; only types differ).
--
-- users.email_lower is the address as compared: lower-cased by the server (Locale.ROOT). An
-- address may be claimed, unverified, by several accounts; once one of them has verified it, no
-- other account can verify it (users_verified_email) or set it.
-- An email_codes row is the one code waiting for an account: a 6-digit code sent to address. It
-- is kept as an Argon2id hash with its own salt, never in clear; each check of a code first takes
-- one of its attempts, so at most five guesses are ever compared. Sending a new code replaces it.

ALTER TABLE users ADD COLUMN email_lower TEXT;
UPDATE users SET email_lower = lower(email) WHERE email IS NOT NULL;
CREATE UNIQUE INDEX users_verified_email ON users (email_lower) WHERE email_verified;

CREATE TABLE email_codes (
  user_id    BIGINT  PRIMARY KEY REFERENCES users (id),
  address    TEXT    NOT NULL,                      -- lower-cased: the address the code was sent to
  code_salt  TEXT    NOT NULL,                      -- hex
  code_hash  TEXT    NOT NULL,                      -- Argon2id of the code with code_salt, hex
  created_at BIGINT  NOT NULL,
  expires_at BIGINT  NOT NULL,
  attempts   INTEGER NOT NULL DEFAULT 0             -- checks made so far
);
CREATE INDEX email_codes_expires ON email_codes (expires_at);

-- Housekeeping deletes sessions and refresh tokens that can never sign anyone in again.
CREATE INDEX web_sessions_expires ON web_sessions (expires_at);
CREATE INDEX refresh_tokens_expires ON refresh_tokens (expires_at);
