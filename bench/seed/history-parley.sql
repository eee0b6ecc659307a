-- The room of the `history` benchmark on Parley's side: 'history' with :rows messages, written
-- straight into Parley's PostgreSQL schema (server/src/main/resources/db/migration/postgresql)
-- once the server has created it. Ids are small, below any id the server generates, like the id
-- of 'general'. Usage: psql -v rows=1000000 -f history-parley.sql <database url>
\set ON_ERROR_STOP on
SET synchronous_commit = off;
BEGIN;
INSERT INTO users (id, name, name_lower, kind, key_hash, created_at)
VALUES (2, 'history-seeder', 'history-seeder', 'guest', NULL, (EXTRACT(EPOCH FROM now()) * 1000)::BIGINT);
INSERT INTO rooms (id, name, name_lower, kind, topic, last_seq, created_by, created_at)
VALUES (2, 'history', 'history', 'public', '', :rows, 2, (EXTRACT(EPOCH FROM now()) * 1000)::BIGINT);
INSERT INTO memberships (room_id, user_id, role, last_read_seq, joined_at)
VALUES (2, 2, 'member', :rows, (EXTRACT(EPOCH FROM now()) * 1000)::BIGINT);
INSERT INTO messages (id, room_id, seq, user_id, client_msg_id, text, kind, created_at)
SELECT 1000 + g, 2, g, 2, NULL, 'seeded message ' || g || ' ' || repeat('x', 80), 'text',
       (EXTRACT(EPOCH FROM now()) * 1000)::BIGINT - (:rows - g) * 10
FROM generate_series(1, :rows) AS g;
COMMIT;
ANALYZE;
