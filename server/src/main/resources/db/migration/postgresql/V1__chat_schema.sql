-- Parley's chat schema, PostgreSQL edition. db/migration/sqlite/V1__chat_schema.sql is the same
-- schema (tables, columns, index names); only types and engine options differ. Change both.
--
-- Ids come from the server (IdGenerator): time-ordered 64-bit integers, so nodes sharing the
-- database never collide. Times are milliseconds since the Unix epoch (UTC), like the
-- protocol's ts, so both engines store and compare them the same way.
-- Kinds are lower-case words: users guest|tutorial, rooms public|dm, messages text|join|leave.

CREATE TABLE users (
  id         BIGINT PRIMARY KEY,
  name       TEXT   NOT NULL,
  name_lower TEXT   NOT NULL,
  kind       TEXT   NOT NULL,
  key_hash   TEXT,
  created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX users_name_lower ON users (name_lower);

-- last_seq changes with every message batch: free space on each page lets PostgreSQL update
-- the row in place (a HOT update) instead of growing the table and its indexes.
CREATE TABLE rooms (
  id         BIGINT PRIMARY KEY,
  name       TEXT   NOT NULL,
  name_lower TEXT,                                   -- public rooms only
  kind       TEXT   NOT NULL,
  topic      TEXT   NOT NULL DEFAULT '',
  dm_key     TEXT,                                   -- DMs only: '<lower user id>:<higher user id>'
  last_seq   BIGINT NOT NULL DEFAULT 0,              -- the seq of the newest message
  created_by BIGINT REFERENCES users (id),           -- NULL for general
  created_at BIGINT NOT NULL
) WITH (fillfactor = 50);
CREATE UNIQUE INDEX rooms_public_name ON rooms (name_lower) WHERE kind = 'public';
CREATE UNIQUE INDEX rooms_dm_key ON rooms (dm_key) WHERE dm_key IS NOT NULL;

-- last_read_seq moves often too.
CREATE TABLE memberships (
  room_id       BIGINT NOT NULL REFERENCES rooms (id),
  user_id       BIGINT NOT NULL REFERENCES users (id),
  role          TEXT   NOT NULL DEFAULT 'member',
  last_read_seq BIGINT NOT NULL DEFAULT 0,
  joined_at     BIGINT NOT NULL,
  PRIMARY KEY (room_id, user_id)
) WITH (fillfactor = 80);
CREATE INDEX memberships_user ON memberships (user_id);

CREATE TABLE messages (
  id            BIGINT PRIMARY KEY,
  room_id       BIGINT NOT NULL REFERENCES rooms (id),
  seq           BIGINT NOT NULL,                     -- per room: 1, 2, 3, … without gaps
  user_id       BIGINT NOT NULL REFERENCES users (id),
  client_msg_id TEXT,                                -- the sender's id for the send
  text          TEXT   NOT NULL,
  kind          TEXT   NOT NULL,
  created_at    BIGINT NOT NULL
);
-- History pages walk this index from a seq, so a page costs O(page) however long the room.
CREATE UNIQUE INDEX messages_room_seq ON messages (room_id, seq);
-- A retried send finds the message it stored the first time.
CREATE UNIQUE INDEX messages_user_client_msg ON messages (user_id, client_msg_id)
  WHERE client_msg_id IS NOT NULL;

-- The room every user is in from the start. Id 1 is below any IdGenerator id.
INSERT INTO rooms (id, name, name_lower, kind, topic, last_seq, created_by, created_at)
VALUES (1, 'general', 'general', 'public', '', 0, NULL, (EXTRACT(EPOCH FROM now()) * 1000)::BIGINT);
