// Shared by the scenario clients that NodeClientIT runs against a real SocketIoServer.
//
// Every scenario is `node <script> <server url> [key=value ...]`. It writes one JSON object per
// line to stdout ({"type": ..., ...}), reads commands from stdin one per line when it needs the
// test to do something first, and exits 0 when the scenario ran to its end. Anything else (an
// error, a refused connection, a wait that takes too long) ends it with exit code 1 and a
// message on stderr. Every wait is bounded.
import { createInterface } from "node:readline";

export { io } from "socket.io-client";

/** How long one step of a scenario may take. */
export const STEP_MS = 5_000;

/** How long a whole scenario may take before it gives up. */
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
  process.stdout.write(JSON.stringify({ type, ...plain(fields) }) + "\n");
}

/**
 * A JSON-friendly copy of a value: binary values become {"$binary": hex, "$kind": type} so the
 * test can tell what the client received, functions (ack callbacks) become {"$function": true}.
 */
export function plain(value) {
  if (Buffer.isBuffer(value)) {
    return { $binary: value.toString("hex"), $kind: "Buffer" };
  }
  if (value instanceof ArrayBuffer) {
    return { $binary: Buffer.from(value).toString("hex"), $kind: "ArrayBuffer" };
  }
  if (ArrayBuffer.isView(value)) {
    const bytes = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    return { $binary: bytes.toString("hex"), $kind: value.constructor.name };
  }
  if (Array.isArray(value)) {
    return value.map(plain);
  }
  if (typeof value === "function") {
    return { $function: true };
  }
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  }
  return value;
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

/** The arguments of the next `event` of `emitter`, within `ms`. */
export function next(emitter, event, ms = STEP_MS) {
  return within(ms, `'${event}'`, new Promise((resolve) => emitter.once(event, (...args) => resolve(args))));
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

/** The error of a connection the server is expected to refuse. */
export function refused(socket, ms = STEP_MS) {
  return within(ms, `refusal of ${socket.nsp}`, new Promise((resolve, reject) => {
    socket.once("connect", () => reject(new Error(`${socket.nsp} was accepted, expected a refusal`)));
    socket.once("connect_error", resolve);
  }));
}

/** Sends an event and resolves with every argument of its acknowledgement. */
export function ackOf(socket, event, ...args) {
  return within(STEP_MS, `the acknowledgement of '${event}'`,
    new Promise((resolve) => socket.emit(event, ...args, (...reply) => resolve(reply))));
}

/** Collects the events a socket receives, and lets a scenario wait for one of them. */
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

  /** Resolves once the recorder holds an event for which `test` is true. */
  until(what, test, ms = STEP_MS) {
    return within(ms, what, new Promise((resolve) => {
      const check = () => {
        if (this.events.some(test)) {
          this.waiters = this.waiters.filter((w) => w !== check);
          resolve();
        }
      };
      this.waiters.push(check);
      check();
    }));
  }

  /** Resolves once an event named `event` has arrived. */
  untilEvent(event, ms = STEP_MS) {
    return this.until(`event '${event}'`, (e) => e.event === event, ms);
  }

  /** The events recorded so far, JSON-friendly. */
  list() {
    return plain(this.events);
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
      const check = () => {
        const index = this.lines.indexOf(command);
        if (index >= 0) {
          this.lines.splice(index, 1);
          this.waiters = this.waiters.filter((w) => w !== check);
          resolve();
        }
      };
      this.waiters.push(check);
      check();
    }));
  }
}
