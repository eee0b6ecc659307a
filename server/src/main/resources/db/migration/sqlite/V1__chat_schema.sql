-- Parley's chat schema, SQLite edition. db/migration/postgresql/V1__chat_schema.sql is the same
-- schema (tables, columns, index names); only types and engine options differ. Change both.
--
-- Ids come from the server (IdGenerator): time-ordered 64-bit integers, so nodes sharing a
-- database never collide. INTEGER PRIMARY KEY makes the id SQLite's 64-bit rowid.
-- Times are milliseconds since the Unix epoch (UTC), like the protocol's ts.
-- Kinds are lower-case words: users guest|tutorial, rooms public|dm, messages text|join|leave.
-- STRICT: a value of the wrong type is an error, as it is in PostgreSQL.

CREATE TABLE users (
  id         INTEGER PRIMARY KEY,
  name       TEXT    NOT NULL,
  name_lower TEXT    NOT NULL,
  kind       TEXT    NOT NULL,
  key_hash   TEXT,
  created_at INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX users_name_lower ON users (name_lower);

CREATE TABLE rooms (
  id         INTEGER PRIMARY KEY,
  name       TEXT    NOT NULL,
  name_lower TEXT,                                   -- public rooms only
  kind       TEXT    NOT NULL,
  topic      TEXT    NOT NULL DEFAULT '',
  dm_key     TEXT,                                   -- DMs only: '<lower user id>:<higher user id>'
  last_seq   INTEGER NOT NULL DEFAULT 0,             -- the seq of the newest message
  created_by INTEGER REFERENCES users (id),          -- NULL for general
  created_at INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX rooms_public_name ON rooms (name_lower) WHERE kind = 'public';
CREATE UNIQUE INDEX rooms_dm_key ON rooms (dm_key) WHERE dm_key IS NOT NULL;

CREATE TABLE memberships (
  room_id       INTEGER NOT NULL REFERENCES rooms (id),
  user_id       INTEGER NOT NULL REFERENCES users (id),
  role          TEXT    NOT NULL DEFAULT 'member',
  last_read_seq INTEGER NOT NULL DEFAULT 0,
  joined_at     INTEGER NOT NULL,
  PRIMARY KEY (room_id, user_id)
) STRICT;
CREATE INDEX memberships_user ON memberships (user_id);

CREATE TABLE messages (
  id            INTEGER PRIMARY KEY,
  room_id       INTEGER NOT NULL REFERENCES rooms (id),
  seq           INTEGER NOT NULL,                    -- per room: 1, 2, 3, … without gaps
  user_id       INTEGER NOT NULL REFERENCES users (id),
  client_msg_id TEXT,                                -- the sender's id for the send
  text          TEXT    NOT NULL,
  kind          TEXT    NOT NULL,
  created_at    INTEGER NOT NULL
) STRICT;
-- History pages walk this index from a seq, so a page costs O(page) however long the room.
CREATE UNIQUE INDEX messages_room_seq ON messages (room_id, seq);
-- A retried send finds the message it stored the first time.
CREATE UNIQUE INDEX messages_user_client_msg ON messages (user_id, client_msg_id)
  WHERE client_msg_id IS NOT NULL;

-- The room every user is in from the start. Id 1 is below any IdGenerator id.
INSERT INTO rooms (id, name, name_lower, kind, topic, last_seq, created_by, created_at)
VALUES (1, 'general', 'general', 'public', '', 0, NULL, CAST(strftime('%s', 'now') AS INTEGER) * 1000);
