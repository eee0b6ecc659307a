-- Accounts, web sessions and tokens, SQLite edition. db/migration/postgresql/V3__accounts.sql is
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
ALTER TABLE users ADD COLUMN email_verified INTEGER NOT NULL DEFAULT 0; -- 0 or 1
ALTER TABLE users ADD COLUMN role TEXT NOT NULL DEFAULT 'user';         -- user|admin
ALTER TABLE users ADD COLUMN deactivated_at INTEGER;

-- A signed-in browser: the parley_session cookie holds the token whose hash is the id.
CREATE TABLE web_sessions (
  id           TEXT    PRIMARY KEY,                 -- SHA-256 of the cookie's token
  user_id      INTEGER NOT NULL REFERENCES users (id),
  created_at   INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  revoked_at   INTEGER,                             -- signed out, or revoked
  user_agent   TEXT    NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX web_sessions_user ON web_sessions (user_id);

-- Refresh tokens rotate: each is exchanged once for an access token and its successor. All the
-- tokens rotated from one issue share a family; presenting a used one again revokes the family.
CREATE TABLE refresh_tokens (
  id         TEXT    PRIMARY KEY,                   -- SHA-256 of the token
  family_id  INTEGER NOT NULL,
  session_id TEXT    NOT NULL REFERENCES web_sessions (id),
  user_id    INTEGER NOT NULL REFERENCES users (id),
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at    INTEGER,                               -- when it was exchanged for its successor
  revoked_at INTEGER
) STRICT;
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_session ON refresh_tokens (session_id);

-- Personal access tokens, for bots and scripts.
CREATE TABLE personal_tokens (
  id           INTEGER PRIMARY KEY,
  token_hash   TEXT    NOT NULL,                    -- SHA-256 of the token
  user_id      INTEGER NOT NULL REFERENCES users (id),
  name         TEXT    NOT NULL,
  prefix       TEXT    NOT NULL,                    -- the token's first characters, to recognise it
  created_at   INTEGER NOT NULL,
  expires_at   INTEGER,                             -- NULL: until revoked
  last_used_at INTEGER,
  revoked_at   INTEGER
) STRICT;
CREATE UNIQUE INDEX personal_tokens_hash ON personal_tokens (token_hash);
CREATE INDEX personal_tokens_user ON personal_tokens (user_id);
