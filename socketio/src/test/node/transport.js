// One client over one transport: `mode=polling` (long-polling only), `mode=websocket`
// (WebSocket only) or `mode=upgrade` (starts on polling, upgrades to WebSocket).
// Prints "connected" with the transport the connection was opened on (an upgrade may already be
// done by the time the namespace is joined), then "result" with the transport it ended on, the
// server's welcome and the acknowledgements of a few echoes sent after any upgrade.
import { Recorder, STEP_MS, connected, io, next, out, parseArgs, run } from "./lib.js";

const MODES = {
  polling: { transports: ["polling"] },
  websocket: { transports: ["websocket"] },
  upgrade: { transports: ["polling", "websocket"], upgrade: true },
};

run(async () => {
  const { url, params } = parseArgs(["mode"]);
  const transportOptions = MODES[params.mode];
  if (!transportOptions) {
    throw new Error(`unknown mode ${params.mode}`);
  }
  const socket = io(url, { ...transportOptions, forceNew: true, reconnection: false });
  const recorder = new Recorder(socket);
  let openedOn;
  socket.io.once("open", () => {
    openedOn = socket.io.engine.transport.name;
  });
  await connected(socket);
  const engine = socket.io.engine;
  out("connected", { id: socket.id, transport: openedOn });

  if (params.mode === "upgrade" && engine.transport.name !== "websocket") {
    await next(engine, "upgrade", STEP_MS);
  }
  await recorder.untilEvent("welcome");

  const echoes = [];
  for (let i = 0; i < 5; i++) {
    echoes.push(await socket.timeout(STEP_MS).emitWithAck("echo", { i, text: `message ${i}` }));
  }
  out("result", { transport: engine.transport.name, events: recorder.list(), echoes });
  socket.disconnect();
});
