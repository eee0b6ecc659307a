'use strict';
// The peer's /chat namespace: the part of Parley's chat protocol (docs/protocol.md) that the
// benchmarks use, as the Socket.IO tutorial would grow into it. Every socket is in the room of
// `general`; requests are acknowledged with {ok: true, ...} or {ok: false, error: {code, message}}.
//
//   room:create {name}                      creates a room and joins it; acks {room: {id, name, lastSeq}}
//   room:join   {roomId} or {name}          joins a room; acks {room}
//   message:send {roomId, text, clientMsgId} stores the message (its seq taken in the same
//                                           transaction), emits `message` to the room, then acks
//                                           {id, roomId, seq, ts}
//   history {roomId, before?, after?, limit?} acks {messages (ascending seq), hasMore}
//
// Two stores: in memory, and PostgreSQL through `pg` — one transaction per message on a pool of
// ten connections, as a tutorial would write it. Room and message ids are strings, as in Parley.

const { Pool } = require('pg');

const GENERAL = 'general';
const MAX_PAGE = 100;

function failure(code, message) {
  const err = new Error(message);
  err.code = code;
  return err;
}

function reply(ack, promise, shape) {
  if (typeof ack !== 'function') return;
  promise.then(
    (value) => ack({ ok: true, ...shape(value) }),
    (err) => ack({ ok: false, error: { code: err.code && !/^[0-9A-Z]{5}$/.test(err.code) ? err.code : 'internal',
      message: err.message } }));
}

function serve(nsp, store) {
  nsp.use((socket, next) => {
    const name = socket.handshake.auth && socket.handshake.auth.name;
    if (typeof name !== 'string' || name.length === 0 || name.length > 32) {
      return next(new Error('invalid_name'));
    }
    socket.data.name = name;
    next();
  });

  nsp.on('connection', (socket) => {
    // A recovered socket is given back its rooms by Socket.IO.
    if (!socket.recovered) {
      socket.join(`r:${store.generalId}`);
    }
    const member = (roomId) => socket.rooms.has(`r:${roomId}`);

    socket.on('room:create', (req, ack) => {
      reply(ack, Promise.resolve(req).then((r) => {
        if (!r || typeof r.name !== 'string' || !r.name.trim()) throw failure('invalid_argument', 'name is required');
        return store.createRoom(r.name.trim());
      }).then((room) => {
        socket.join(`r:${room.id}`);
        return room;
      }), (room) => ({ room }));
    });

    socket.on('room:join', (req, ack) => {
      reply(ack, Promise.resolve(req).then((r) => {
        if (!r || (typeof r.roomId !== 'string' && typeof r.name !== 'string')) {
          throw failure('invalid_argument', 'give roomId or name');
        }
        return store.findRoom(r.roomId, r.name);
      }).then((room) => {
        if (!room) throw failure('not_found', 'no such room');
        socket.join(`r:${room.id}`);
        return room;
      }), (room) => ({ room }));
    });

    socket.on('message:send', (req, ack) => {
      reply(ack, Promise.resolve(req).then((r) => {
        if (!r || typeof r.roomId !== 'string' || typeof r.text !== 'string' || !r.text.trim()
            || typeof r.clientMsgId !== 'string') {
          throw failure('invalid_argument', 'roomId, text and clientMsgId are required');
        }
        if (!member(r.roomId)) throw failure('forbidden', 'you are not in that room');
        return store.append(r.roomId, socket.data.name, r.text, r.clientMsgId).then((m) => {
          nsp.to(`r:${m.roomId}`).emit('message', {
            id: m.id, roomId: m.roomId, seq: m.seq, ts: m.ts, user: { name: socket.data.name },
            text: r.text, clientMsgId: r.clientMsgId, kind: 'text',
          });
          return m;
        });
      }), (m) => m);
    });

    socket.on('history', (req, ack) => {
      reply(ack, Promise.resolve(req).then((r) => {
        if (!r || typeof r.roomId !== 'string') throw failure('invalid_argument', 'roomId is required');
        const limit = r.limit === undefined ? 50 : r.limit;
        if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) {
          throw failure('invalid_argument', `limit must be 1-${MAX_PAGE}`);
        }
        if (!member(r.roomId)) throw failure('forbidden', 'you are not in that room');
        return store.page(r.roomId, r.before, r.after, limit + 1).then((messages) => {
          const hasMore = messages.length > limit;
          if (hasMore) {
            // Ascending order: paging back drops the oldest, paging forward the newest.
            messages = r.after !== undefined ? messages.slice(0, limit) : messages.slice(1);
          }
          return { messages, hasMore };
        });
      }), (page) => page);
    });
  });
}

function messageOf(row) {
  return {
    id: String(row.id), roomId: String(row.room_id), seq: Number(row.seq), ts: Number(row.created_at),
    user: { name: row.user_name }, text: row.text, clientMsgId: row.client_msg_id, kind: 'text',
  };
}

function memoryStore() {
  const rooms = new Map();
  const byName = new Map();
  let nextRoom = 1;
  let nextMessage = 1;
  function create(name) {
    const room = { id: String(nextRoom++), name, lastSeq: 0, messages: [] };
    rooms.set(room.id, room);
    byName.set(name, room);
    return room;
  }
  const view = (room) => ({ id: room.id, name: room.name, lastSeq: room.lastSeq });
  const general = create(GENERAL);
  return {
    generalId: general.id,
    async createRoom(name) {
      if (byName.has(name)) throw failure('conflict', 'a room with that name exists');
      return view(create(name));
    },
    async findRoom(id, name) {
      const room = id !== undefined ? rooms.get(id) : byName.get(name);
      return room ? view(room) : null;
    },
    async append(roomId, userName, text, clientMsgId) {
      const room = rooms.get(roomId);
      if (!room) throw failure('not_found', 'no such room');
      const row = { id: nextMessage++, room_id: room.id, seq: ++room.lastSeq, user_name: userName,
        client_msg_id: clientMsgId, text, created_at: Date.now() };
      room.messages.push(row);
      return { id: String(row.id), roomId: room.id, seq: row.seq, ts: row.created_at };
    },
    async page(roomId, before, after, limit) {
      const all = rooms.get(roomId).messages; // seq n is at index n - 1
      let from;
      if (after !== undefined) from = after;
      else if (before !== undefined) from = Math.max(0, before - 1 - limit);
      else from = Math.max(0, all.length - limit);
      const to = after !== undefined ? from + limit : (before !== undefined ? before - 1 : all.length);
      return all.slice(from, Math.min(to, all.length)).map(messageOf);
    },
    async close() {},
  };
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS rooms (
  id       BIGSERIAL PRIMARY KEY,
  name     TEXT   NOT NULL UNIQUE,
  last_seq BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS messages (
  id            BIGSERIAL PRIMARY KEY,
  room_id       BIGINT NOT NULL REFERENCES rooms (id),
  seq           BIGINT NOT NULL,
  user_name     TEXT   NOT NULL,
  client_msg_id TEXT,
  text          TEXT   NOT NULL,
  created_at    BIGINT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS messages_room_seq ON messages (room_id, seq);
INSERT INTO rooms (name) VALUES ('${GENERAL}') ON CONFLICT (name) DO NOTHING;
`;

const ROOM_COLUMNS = 'id::text AS id, name, last_seq::float8 AS "lastSeq"';

async function postgresStore(url) {
  const pool = new Pool({ connectionString: url, max: 10 });
  await pool.query(SCHEMA);
  const general = await pool.query('SELECT id::text AS id FROM rooms WHERE name = $1', [GENERAL]);
  return {
    generalId: general.rows[0].id,
    async createRoom(name) {
      try {
        const r = await pool.query(`INSERT INTO rooms (name) VALUES ($1) RETURNING ${ROOM_COLUMNS}`, [name]);
        return r.rows[0];
      } catch (err) {
        if (err.code === '23505') throw failure('conflict', 'a room with that name exists');
        throw err;
      }
    },
    async findRoom(id, name) {
      const r = id !== undefined
        ? await pool.query(`SELECT ${ROOM_COLUMNS} FROM rooms WHERE id = $1`, [/^[0-9]{1,18}$/.test(id) ? id : '0'])
        : await pool.query(`SELECT ${ROOM_COLUMNS} FROM rooms WHERE name = $1`, [name]);
      return r.rows[0] || null;
    },
    async append(roomId, userName, text, clientMsgId) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const room = await client.query('UPDATE rooms SET last_seq = last_seq + 1 WHERE id = $1 RETURNING last_seq',
          [roomId]);
        if (room.rowCount === 0) throw failure('not_found', 'no such room');
        const seq = Number(room.rows[0].last_seq);
        const ts = Date.now();
        const inserted = await client.query('INSERT INTO messages (room_id, seq, user_name, client_msg_id, text, ' +
          'created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id', [roomId, seq, userName, clientMsgId, text, ts]);
        await client.query('COMMIT');
        return { id: String(inserted.rows[0].id), roomId: String(roomId), seq, ts };
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    },
    async page(roomId, before, after, limit) {
      const columns = 'id, room_id, seq, user_name, client_msg_id, text, created_at';
      let r;
      if (after !== undefined) {
        r = await pool.query(`SELECT ${columns} FROM messages WHERE room_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
          [roomId, after, limit]);
        return r.rows.map(messageOf);
      }
      if (before !== undefined) {
        r = await pool.query(`SELECT ${columns} FROM messages WHERE room_id = $1 AND seq < $2 ORDER BY seq DESC ` +
          'LIMIT $3', [roomId, before, limit]);
      } else {
        r = await pool.query(`SELECT ${columns} FROM messages WHERE room_id = $1 ORDER BY seq DESC LIMIT $2`,
          [roomId, limit]);
      }
      return r.rows.reverse().map(messageOf);
    },
    close() {
      return pool.end();
    },
  };
}

module.exports = { serve, memoryStore, postgresStore };
