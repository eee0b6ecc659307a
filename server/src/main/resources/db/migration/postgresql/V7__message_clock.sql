-- One cluster-wide counter for message ids (postgresql edition; the other dialect's V7 is the same).
-- Every batch of messages takes its ids from this row inside the transaction that stores it, so
-- the row stays locked until the commit: message ids are dense and increase in commit order on
-- every node. A node that has seen message N therefore knows every message below N is committed,
-- reads a hole from the table, and a recovery offset holding a message id means the same thing
-- on every node. V5 and V6 are left to the accounts migrations.

CREATE TABLE message_clock (
  id SMALLINT PRIMARY KEY CHECK (id = 1),
  last_id BIGINT NOT NULL
);

INSERT INTO message_clock (id, last_id) SELECT 1, COALESCE(MAX(id), 0) FROM messages;
