-- Accounts, web sessions and tokens, PostgreSQL edition. db/migration/sqlite/V3__accounts.sql is
-- the same schema (tables, columns, index names); only types differ. Change both.
--
-- A registered user is a row of users with kind 'account' (next to guest and tutorial) and a
-- password hash. Names stay unique case-insensitively across every kind (users_name_lower), so
-- a guest can never take a registered name and a registration never takes a guest's.
-- No secret is stored: session cookies, refresh tokens and personal access tokens are kept as
-- the SHA-256 of the token (64 lower-case hex digits), so a copy of the database signs no one in.
-- Times are milliseconds since the Unix epoch (UTC), as everywhere in the schema.

ALTER TABLE users ADD COLUMN password_hash TEXT;                       -- Argon2id, PHC string form
ALTER TABLE users ADD COLUMN display_name TEXT;
ALTER TABLE users ADD COLUMN email TEXT;
ALTER TABLE users ADD COLUMN email_verified BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE users ADD COLUMN role TEXT NOT NULL DEFAULT 'user';         -- user|admin
ALTER TABLE users ADD COLUMN deactivated_at BIGINT;

-- A signed-in browser: the parley_session cookie holds the token whose hash is the id.
CREATE TABLE web_sessions (
  id           TEXT    PRIMARY KEY,                 -- SHA-256 of the cookie's token
  user_id      BIGINT  NOT NULL REFERENCES users (id),
  created_at   BIGINT  NOT NULL,
  expires_at   BIGINT  NOT NULL,
  last_seen_at BIGINT  NOT NULL,
  revoked_at   BIGINT,                              -- signed out, or revoked
  user_agent   TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX web_sessions_user ON web_sessions (user_id);

-- Refresh tokens rotate: each is exchanged once for an access token and its successor. All the
-- tokens rotated from one issue share a family; presenting a used one again revokes the family.
CREATE TABLE refresh_tokens (
  id         TEXT    PRIMARY KEY,                   -- SHA-256 of the token
  family_id  BIGINT  NOT NULL,
  session_id TEXT    NOT NULL REFERENCES web_sessions (id),
  user_id    BIGINT  NOT NULL REFERENCES users (id),
  created_at BIGINT  NOT NULL,
  expires_at BIGINT  NOT NULL,
  used_at    BIGINT,                                -- when it was exchanged for its successor
  revoked_at BIGINT
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_session ON refresh_tokens (session_id);

-- Personal access tokens, for bots and scripts.
CREATE TABLE personal_tokens (
  id           BIGINT  PRIMARY KEY,
  token_hash   TEXT    NOT NULL,                    -- SHA-256 of the token
  user_id      BIGINT  NOT NULL REFERENCES users (id),
  name         TEXT    NOT NULL,
  prefix       TEXT    NOT NULL,                    -- the token's first characters, to recognise it
  created_at   BIGINT  NOT NULL,
  expires_at   BIGINT,                              -- NULL: until revoked
  last_used_at BIGINT,
  revoked_at   BIGINT
);
CREATE UNIQUE INDEX personal_tokens_hash ON personal_tokens (token_hash);
CREATE INDEX personal_tokens_user ON personal_tokens (user_id);
