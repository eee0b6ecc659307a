-- Connection-state recovery across restarts, PostgreSQL edition (the SQLite edition has the
-- same table, columns and index). One row per /chat socket session that may come back: written
-- when the socket connects, marked when its connection drops, taken (deleted) when a client
-- recovers it, deleted when the socket leaves for good or its recovery window has passed.
CREATE TABLE socket_sessions (
  pid             TEXT    PRIMARY KEY,                -- the private id the client presents
  sid             TEXT    NOT NULL,                   -- the socket id it gets back
  user_id         BIGINT  NOT NULL REFERENCES users (id),
  node_id         INTEGER NOT NULL,                   -- the node that held the connection
  credential      TEXT,                               -- an account's: 's:<web session id>' or 't:<token id>'; checked again on recovery
  connected_at    BIGINT  NOT NULL,
  disconnected_at BIGINT                              -- NULL while connected
);
CREATE INDEX socket_sessions_disconnected ON socket_sessions (disconnected_at);
