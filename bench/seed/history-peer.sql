-- The room of the `history` benchmark on the peer's side: 'history' with :rows messages in the
-- tables bench/peer/chat.js creates, the same texts as Parley's (history-parley.sql).
-- Usage: psql -v rows=1000000 -f history-peer.sql <database url>
\set ON_ERROR_STOP on
SET synchronous_commit = off;
BEGIN;
INSERT INTO rooms (name, last_seq) VALUES ('history', :rows);
INSERT INTO messages (room_id, seq, user_name, client_msg_id, text, created_at)
SELECT r.id, g, 'history-seeder', NULL, 'seeded message ' || g || ' ' || repeat('x', 80),
       (EXTRACT(EPOCH FROM now()) * 1000)::BIGINT - (:rows - g) * 10
FROM rooms r, generate_series(1, :rows) AS g
WHERE r.name = 'history';
COMMIT;
ANALYZE;
