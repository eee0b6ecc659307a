-- What the nodes of a cluster share besides the chat (postgresql edition; the other dialect's V8 is the
-- same). A single node leaves both tables empty.
--
-- cluster_identity: a name made by the first node that joins, unique to this database. Every key
-- and channel the nodes use in Redis starts with it, so clusters on other databases can share a
-- Redis without hearing each other.
-- signing_key: the token signing key (a JWK with its private part) every node signs and checks
-- tokens with, made by the first node that needs it or taken from that node's data folder (a
-- single node keeps its key in its data folder, keys/jwt-signing.json).

CREATE TABLE cluster_identity (
  id SMALLINT PRIMARY KEY CHECK (id = 1),
  name TEXT NOT NULL
);

CREATE TABLE signing_key (
  id SMALLINT PRIMARY KEY CHECK (id = 1),
  jwk TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
