// A reconnect storm. `count` guests, all in `general`, connect to the given URL (a balancer in
// front of one node); they reconnect by themselves, quickly, with connection-state recovery. The
// test kills their node, sends new connections to another and writes "moved": every client comes
// back at once. Prints "ready", then "result": how long until all were back, how many recovered
// their session, and how many got the message one of them sent after the storm.
import { STEP_MS, Commands, io, out, parseArgs, roomId, run, send, within } from "./lib.js";

/** Resolves once `condition()` holds, looking every 20 ms; rejects naming `what` after `ms`. */
function until(condition, ms, what) {
  return within(ms, what, new Promise((resolve) => {
    const look = () => (condition() ? resolve() : setTimeout(look, 20));
    look();
  }));
}

run(async () => {
  const { url, params } = parseArgs(["count"]);
  const count = Number(params.count);
  const commands = new Commands();
  const clients = [];
  for (let i = 0; i < count; i++) {
    const c = { name: `storm-${i}`, guestKey: null, session: null, connects: 0, messages: [] };
    c.socket = io(`${url}/chat`, {
      transports: ["websocket"],
      forceNew: true,
      reconnectionDelay: 100,
      reconnectionDelayMax: 1000,
      auth: (cb) => cb(c.guestKey ? { name: c.name, guestKey: c.guestKey } : { name: c.name }),
    });
    c.socket.on("session", (s) => {
      c.session = s;
      c.guestKey = s.guestKey;
    });
    c.socket.on("connect", () => c.connects++);
    c.socket.on("message", (m) => c.messages.push(m));
    clients.push(c);
  }
  await until(() => clients.every((c) => c.session), 3 * STEP_MS, "every client's session");
  const general = roomId(clients[0].session.rooms, "general");
  out("ready", { general });

  await commands.expect("moved", 4 * STEP_MS);
  const start = Date.now();
  await until(() => clients.every((c) => c.connects >= 2 && c.socket.connected), 3 * STEP_MS,
    "every client to reconnect");
  const backMs = Date.now() - start;
  const after = await send(clients[0].socket, general, "after the storm");
  await until(() => clients.every((c) => c.messages.some((m) => m.id === after.id)), 2 * STEP_MS,
    "every client to receive the message sent after the storm");
  out("result", {
    count,
    backMs,
    recovered: clients.filter((c) => c.socket.recovered).length,
    received: clients.filter((c) => c.messages.filter((m) => m.id === after.id).length === 1).length,
  });
  clients.forEach((c) => c.socket.disconnect());
});
