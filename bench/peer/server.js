'use strict';
// The Node.js side of Parley's benchmarks: the chat tutorial's events on Socket.IO 4.8.4 over
// ws (with bufferutil and utf-8-validate). dev.parley.bench.ParleyBenchServer implements the
// very same events on Parley, so the load generator drives both with the same packets.
//
//   join    {room}             joins the room; acks {room} when asked
//   leave   {room}             leaves the room; acks {room} when asked
//   message {room, ...}        io.to(room).emit('message', data); acks {ok:true} when asked
//   dm      {to, ...}          io.to(to).emit('dm', data) (every socket is in the room of its id)
//   stats   -                  collects garbage (with --expose-gc), acks memory and connections
//
// With --chat it is instead the peer of Parley's chat server (scenarios durable-pg, history and
// reconnect): the /chat namespace of docs/protocol.md, as far as the benchmarks use it, written the
// way the tutorial would extend itself — connection-state recovery on, messages kept in
// PostgreSQL through the `pg` package when --db is given (one INSERT per message with a pool),
// otherwise in memory. See chat.js. With --redis it is one node of several (scenario cluster): the
// Redis adapter step of the Socket.IO docs, `@socket.io/redis-adapter` on two `redis` clients,
// so that io.to(room).emit reaches the sockets of every node. Its channels start with --redis-key
// (the adapter's `key` option, default socket.io), so that runs on a shared Redis stay apart.
//
// Usage: node --expose-gc server.js [port]                  (PORT in the environment works too; default 3000)
//        node server.js port --chat [--db postgresql://…] [--redis redis://… [--redis-key PREFIX]]

const http = require('http');
const { Server } = require('socket.io');

const args = process.argv.slice(2);
const port = Number(args.find((a) => /^[0-9]+$/.test(a)) || process.env.PORT || 3000);
const chatMode = args.includes('--chat');
const option = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : null);
const dbUrl = option('--db');
const redisUrl = option('--redis');
const redisKey = option('--redis-key') || 'socket.io';

const httpServer = http.createServer((req, res) => {
  res.writeHead(404);
  res.end();
});
const io = new Server(httpServer, {
  transports: ['websocket', 'polling'],
  serveClient: false,
  // Same defaults as Parley's ServerOptions.
  pingInterval: 25000,
  pingTimeout: 20000,
  maxHttpBufferSize: 1e6,
  // Parley's chat keeps dropped sessions for two minutes (--recovery-window); the in-memory
  // adapter of Socket.IO does the same here. The tutorial scenarios do not use it.
  ...(chatMode ? { connectionStateRecovery: { maxDisconnectionDuration: 2 * 60 * 1000, skipMiddlewares: true } } : {}),
});

// The last argument is an acknowledgement callback when the client sent an ack id.
function ackOf(args) {
  const last = args[args.length - 1];
  return typeof last === 'function' ? last : null;
}

function roomOf(data) {
  return data && typeof data.room === 'string' ? data.room : null;
}

function tutorial(socket) {
  socket.on('join', (data, ...rest) => {
    const room = roomOf(data);
    const ack = ackOf([data, ...rest]);
    if (room !== null) {
      socket.join(room);
    }
    if (ack) ack(room !== null ? { room } : { error: 'room required' });
  });

  socket.on('leave', (data, ...rest) => {
    const room = roomOf(data);
    const ack = ackOf([data, ...rest]);
    if (room !== null) {
      socket.leave(room);
    }
    if (ack) ack(room !== null ? { room } : { error: 'room required' });
  });

  socket.on('message', (data, ...rest) => {
    const room = roomOf(data);
    const ack = ackOf([data, ...rest]);
    if (room !== null) {
      io.to(room).emit('message', data);
    }
    if (ack) ack(room !== null ? { ok: true } : { error: 'room required' });
  });

  socket.on('dm', (data, ...rest) => {
    const to = data && typeof data.to === 'string' ? data.to : null;
    const ack = ackOf([data, ...rest]);
    if (to !== null) {
      io.to(to).emit('dm', data);
    }
    if (ack) ack(to !== null ? { ok: true } : { error: 'to required' });
  });

  socket.on('stats', (...args) => {
    const ack = ackOf(args);
    if (!ack) return;
    if (typeof global.gc === 'function') {
      global.gc();
    }
    const mem = process.memoryUsage();
    ack({
      heapUsed: mem.heapUsed,
      // Buffers live outside the V8 heap (external includes arrayBuffers).
      external: mem.external,
      rss: mem.rss,
      connections: io.engine.clientsCount,
      gc: typeof global.gc === 'function',
    });
  });
}

// The Redis adapter as its README sets it up: a publishing client and a duplicate that subscribes.
async function redisAdapter(url, key) {
  const { createClient } = require('redis');
  const { createAdapter } = require('@socket.io/redis-adapter');
  const pubClient = createClient({ url });
  const subClient = pubClient.duplicate();
  pubClient.on('error', (err) => console.error('redis:', err.message));
  subClient.on('error', (err) => console.error('redis:', err.message));
  await Promise.all([pubClient.connect(), subClient.connect()]);
  io.adapter(createAdapter(pubClient, subClient, { key }));
  return () => Promise.all([pubClient.quit(), subClient.quit()]);
}

// What to close on shutdown, newest first.
const closers = [];

async function main() {
  if (chatMode) {
    const chat = require('./chat');
    if (redisUrl) {
      // Before the namespace exists, so that /chat gets the Redis adapter.
      closers.unshift(await redisAdapter(redisUrl, redisKey));
    }
    const store = dbUrl ? await chat.postgresStore(dbUrl) : chat.memoryStore();
    closers.unshift(() => store.close());
    chat.serve(io.of('/chat'), store);
  } else {
    io.on('connection', tutorial);
  }
  httpServer.listen(port, '127.0.0.1', () => {
    console.log(`peer listening on 127.0.0.1:${port} (socket.io ${require('socket.io/package.json').version}, ` +
      (chatMode ? `chat, ${dbUrl ? 'PostgreSQL' : 'in memory'}${redisUrl ? `, Redis adapter (key ${redisKey})` : ''})` :
        `gc ${typeof global.gc === 'function' ? 'exposed' : 'not exposed'})`));
  });
}

const started = main().catch((err) => {
  console.error('peer could not start:', err);
  process.exit(1);
});

function shutdown() {
  io.close();
  httpServer.close(() => started
    .then(() => closers.reduce((done, close) => done.then(close), Promise.resolve()))
    .catch((err) => console.error('peer did not close cleanly:', err.message))
    .finally(() => process.exit(0)));
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
