// Shared by the scenario clients that NodeChatIT runs against a real Parley node.
//
// Every scenario is `node <script> <server url> [key=value ...]`. It writes one JSON object per
// line to stdout ({"type": ..., ...}) for the test to check, reads commands from stdin (one per
// line) when it has to wait for the test, and exits 0 when it ran to its end. Anything else (an
// error, a refused connection, a wait that takes too long) ends it with exit code 1 and a message
// on stderr. Every wait is bounded.
import { createInterface } from "node:readline";
import { io } from "socket.io-client";

export { io };

/** How long one step of a scenario may take. */
export const STEP_MS = 5_000;

/** How long a whole scenario may take before it gives up; the test waits a little longer. */
const SCENARIO_MS = 25_000;

/** The server URL and the key=value parameters; fails when a required key is missing. */
export function parseArgs(required = []) {
  const [url, ...rest] = process.argv.slice(2);
  if (!url) {
    fail(new Error("usage: node <script> <server url> [key=value ...]"));
  }
  const params = {};
  for (const arg of rest) {
    const eq = arg.indexOf("=");
    if (eq <= 0) {
      fail(new Error(`parameter is not key=value: ${arg}`));
    }
    params[arg.slice(0, eq)] = arg.slice(eq + 1);
  }
  for (const key of required) {
    if (!(key in params)) {
      fail(new Error(`missing parameter ${key}=...`));
    }
  }
  return { url, params };
}

/** Writes one result line. Pipes are synchronous on Linux, so nothing is lost on exit. */
export function out(type, fields = {}) {
  process.stdout.write(JSON.stringify({ type, ...fields }) + "\n");
}

/** Ends the scenario as failed. */
export function fail(error) {
  process.stderr.write(`scenario failed: ${error && error.stack ? error.stack : error}\n`);
  process.exit(1);
}

/** Runs a scenario: exit 0 when `main` resolves, 1 when it rejects or takes too long. */
export function run(main) {
  const watchdog = setTimeout(
    () => fail(new Error(`scenario did not finish within ${SCENARIO_MS} ms`)), SCENARIO_MS);
  process.on("unhandledRejection", fail);
  process.on("uncaughtException", fail);
  main().then(() => {
    clearTimeout(watchdog);
    process.exit(0);
  }, fail);
}

/** `promise`, or a rejection naming `what` after `ms`. */
export function within(ms, what, promise) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Throws with `message` unless `condition` holds: a scenario's own precondition. */
export function check(condition, message) {
  if (!condition) {
    throw new Error(message);
  }
}

/** Resolves once `socket` is connected; rejects with the server's reason if it is refused. */
export function connected(socket, ms = STEP_MS) {
  return within(ms, `connection to ${socket.nsp}`, new Promise((resolve, reject) => {
    if (socket.connected) {
      resolve();
      return;
    }
    const onConnect = () => {
      socket.off("connect_error", onError);
      resolve();
    };
    const onError = (err) => {
      socket.off("connect", onConnect);
      reject(new Error(`cannot connect to ${socket.nsp}: ${err.message}`));
    };
    socket.once("connect", onConnect);
    socket.once("connect_error", onError);
  }));
}

/**
 * A guest on /chat over WebSocket, with its Recorder, once its `session` event has arrived.
 * `options` go to io() (for example `reconnection: true` and its delays).
 */
export async function chat(url, name, { guestKey, ...options } = {}) {
  const socket = io(`${url}/chat`, {
    transports: ["websocket"],
    forceNew: true,
    reconnection: false,
    auth: guestKey ? { name, guestKey } : { name },
    ...options,
  });
  const recorder = new Recorder(socket);
  await connected(socket);
  const session = await recorder.next("session");
  return { socket, recorder, session: session[0] };
}

/** The id of the room named `name` in a session's or a list's rooms. */
export function roomId(rooms, name) {
  const room = rooms.find((r) => r.name === name);
  check(room, `no room ${name} in ${JSON.stringify(rooms)}`);
  return room.id;
}

/**
 * Sends a request and resolves with its acknowledgement (docs/protocol.md: one object). `args`
 * are sent as they are, so a scenario can also send a wrong number or type of arguments.
 */
export function request(socket, event, ...args) {
  return within(STEP_MS, `the acknowledgement of '${event}'`,
    new Promise((resolve) => socket.emit(event, ...args, (reply) => resolve(reply))));
}

/** Like request(), but requires `ok: true`. */
export async function ok(socket, event, body) {
  const reply = await request(socket, event, body);
  check(reply && reply.ok === true, `${event} ${JSON.stringify(body)} was refused: ${JSON.stringify(reply)}`);
  return reply;
}

/** Sends a chat message and resolves with its acknowledgement, which must be `ok`. */
export function send(socket, roomId, text, clientMsgId = crypto.randomUUID()) {
  return ok(socket, "message:send", { roomId, text, clientMsgId });
}

/** Every message of a room after `after`, paging with `history`. */
export async function historyAfter(socket, roomId, after = 0) {
  const messages = [];
  for (;;) {
    const page = await ok(socket, "history", { roomId, after, limit: 100 });
    messages.push(...page.messages);
    if (!page.hasMore) {
      return messages;
    }
    after = page.messages[page.messages.length - 1].seq;
  }
}

/** What the test needs of a chat message. */
export function brief(m) {
  return { id: m.id, roomId: m.roomId, seq: m.seq, kind: m.kind, text: m.text, user: m.user && m.user.name };
}

/**
 * Collects the events a socket receives and lets a scenario wait for them. With connection-state
 * recovery on, the server appends the event's offset as a last string argument; `args` keeps it.
 */
export class Recorder {
  constructor(socket) {
    this.events = [];
    this.waiters = [];
    socket.onAny((event, ...args) => {
      this.events.push({ event, args });
      for (const waiter of [...this.waiters]) {
        waiter();
      }
    });
  }

  /** Resolves with the first recorded event from index `from` on for which `test` is true. */
  until(what, test, ms = STEP_MS, from = 0) {
    return within(ms, what, new Promise((resolve) => {
      const look = () => {
        const found = this.events.slice(from).find(test);
        if (found) {
          this.waiters = this.waiters.filter((w) => w !== look);
          resolve(found);
        }
      };
      this.waiters.push(look);
      look();
    }));
  }

  /** The arguments of the first `event` recorded, waiting for it if need be. */
  async next(event, ms = STEP_MS) {
    return (await this.until(`event '${event}'`, (e) => e.event === event, ms)).args;
  }

  /** The `message` events (first argument) recorded from index `from` on. */
  messages(from = 0) {
    return this.events.slice(from).filter((e) => e.event === "message").map((e) => e.args[0]);
  }

  /** Resolves with the first message from index `from` on for which `test` is true. */
  async message(what, test, ms = STEP_MS, from = 0) {
    return (await this.until(what, (e) => e.event === "message" && test(e.args[0]), ms, from)).args[0];
  }

  /** Resolves with the text messages of `roomId` once there are `count` of them. */
  async texts(roomId, count, ms = STEP_MS) {
    const texts = () => this.messages().filter((m) => m.kind === "text" && m.roomId === roomId);
    await this.until(`${count} text messages in room ${roomId}`, () => texts().length >= count, ms);
    return texts();
  }
}

/** Commands the test writes to stdin, one per line. */
export class Commands {
  constructor() {
    this.lines = [];
    this.waiters = [];
    createInterface({ input: process.stdin }).on("line", (line) => {
      this.lines.push(line.trim());
      for (const waiter of [...this.waiters]) {
        waiter();
      }
    });
  }

  /** Resolves when the test has written `command`, within `ms`. */
  expect(command, ms = STEP_MS) {
    return within(ms, `command '${command}' on stdin`, new Promise((resolve) => {
      const look = () => {
        const index = this.lines.indexOf(command);
        if (index >= 0) {
          this.lines.splice(index, 1);
          this.waiters = this.waiters.filter((w) => w !== look);
          resolve();
        }
      };
      this.waiters.push(look);
      look();
    }));
  }
}
