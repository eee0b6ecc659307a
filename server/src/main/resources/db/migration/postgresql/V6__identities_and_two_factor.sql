-- Identities from OpenID Connect providers and two-factor sign-in (TOTP), PostgreSQL edition.
-- db/migration/sqlite/V6__identities_and_two_factor.sql is the same schema; only types
-- differ. Change both.
--
-- An account may be signed into through a provider: account_identities links the provider's
-- (issuer, subject) pair to it. Such an account may have no password (users.password_hash NULL).
-- TOTP secrets are what an authenticator app shares with the server, so they are stored as they
-- are (base32); recovery codes and sign-in challenges are kept as SHA-256 hashes only.
-- Times are milliseconds since the Unix epoch (UTC), as everywhere in the schema.

CREATE TABLE account_identities (
  issuer     TEXT    NOT NULL,                      -- the provider's issuer URL, exactly as in its ID tokens
  subject    TEXT    NOT NULL,                      -- the provider's stable id of the person ("sub")
  user_id    BIGINT  NOT NULL REFERENCES users (id),
  created_at BIGINT  NOT NULL,
  PRIMARY KEY (issuer, subject)
);
CREATE INDEX account_identities_user ON account_identities (user_id);

-- One authenticator per account. enabled_at is NULL while it is being set up (the secret was
-- shown but no code has confirmed it yet). last_step is the 30-second step of the last code
-- accepted: a code of that step or an earlier one is refused, so a code works once.
CREATE TABLE totp_credentials (
  user_id    BIGINT  PRIMARY KEY REFERENCES users (id),
  secret     TEXT    NOT NULL,
  created_at BIGINT  NOT NULL,
  enabled_at BIGINT,
  last_step  BIGINT  NOT NULL DEFAULT 0
);

-- Single-use recovery codes, made when two-factor sign-in is turned on.
CREATE TABLE totp_recovery_codes (
  user_id   BIGINT  NOT NULL REFERENCES users (id),
  code_hash TEXT    NOT NULL,                       -- SHA-256 of the user id and the code
  used_at   BIGINT,
  PRIMARY KEY (user_id, code_hash)
);

-- A password checked, a second factor awaited: the challenge handed to the client, by its hash.
CREATE TABLE sign_in_challenges (
  id         TEXT    PRIMARY KEY,                   -- SHA-256 of the challenge
  user_id    BIGINT  NOT NULL REFERENCES users (id),
  created_at BIGINT  NOT NULL,
  expires_at BIGINT  NOT NULL,
  failures   INTEGER NOT NULL DEFAULT 0             -- wrong codes given so far
);
CREATE INDEX sign_in_challenges_expiry ON sign_in_challenges (expires_at);
