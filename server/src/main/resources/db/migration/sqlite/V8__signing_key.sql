-- The token signing key of a cluster (sqlite edition; the other dialect's V8 is the same). Nodes
-- that share the database sign and check tokens with this one key (a JWK with its private part),
-- made by the first node that needs it or taken from that node's data folder. A single node keeps
-- its key in its data folder (keys/jwt-signing.json) and leaves this table empty.

CREATE TABLE signing_key (
  id SMALLINT PRIMARY KEY CHECK (id = 1),
  jwk TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
