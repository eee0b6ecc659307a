// Connection-state recovery. The client connects over WebSocket, joins `room` and waits for
// `before` events. Then its transport drops: closing the Engine.IO connection underneath the
// Manager is what a network failure looks like to socket.io-client ("forced close" from the
// engine, not a call to socket.disconnect()), so the Manager reconnects by itself and the socket
// sends its pid and last offset in the CONNECT packet. That CONNECT waits until the test writes
// "go" on stdin (the auth callback holds it), so the test can emit while the client is away.
// Prints "connected", one "event" per event, "dropped", "disconnect", "reconnected", and "done"
// with every event received after the drop, up to and including "end".
import { Commands, Recorder, STEP_MS, connected, io, out, parseArgs, plain, run } from "./lib.js";

run(async () => {
  const { url, params } = parseArgs(["room", "before"]);
  const before = Number(params.before);
  const commands = new Commands();
  let connects = 0;
  const socket = io(url, {
    transports: ["websocket"],
    forceNew: true,
    reconnectionDelay: 20,
    reconnectionDelayMax: 50,
    auth: (send) => {
      connects++;
      if (connects === 1) {
        send({ user: "alice" });
      } else {
        commands.expect("go", 2 * STEP_MS).then(() => send({ user: "alice" }), (e) => {
          process.stderr.write(`scenario failed: ${e.stack}\n`);
          process.exit(1);
        });
      }
    },
  });
  const recorder = new Recorder(socket);
  let phase = "before";
  socket.onAny((event, ...args) => out("event", { phase, event, args: plain(args) }));
  socket.on("disconnect", (reason) => out("disconnect", { reason }));

  await connected(socket);
  const firstId = socket.id;
  out("connected", { id: socket.id, recovered: socket.recovered });
  await socket.timeout(STEP_MS).emitWithAck("join", params.room);
  await recorder.until(`${before} events`, () => recorder.events.length >= before);

  const seenBefore = recorder.events.length;
  phase = "after";
  socket.io.engine.close();
  out("dropped", { lastId: firstId, active: socket.active });

  await connected(socket, 3 * STEP_MS);
  out("reconnected", { id: socket.id, recovered: socket.recovered });
  await recorder.untilEvent("end");
  out("done", {
    before: recorder.list().slice(0, seenBefore),
    after: recorder.list().slice(seenBefore),
  });
  socket.disconnect();
});
