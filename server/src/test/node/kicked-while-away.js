// A member removed from a private room while their connection was down gets what they missed
// elsewhere when the connection is recovered, but nothing of that room. bob is in `general` and in
// ada's private room `vault`. His transport drops (as in recovery.js: the engine closes under the
// Manager, which reconnects by itself, offering connection-state recovery); the auth callback
// holds the reconnection until ada has removed bob from `vault` and written there and in
// `general`. Then bob comes back, and ada sends a marker to `general`: once bob has it, anything
// of `vault` would have reached him too. Prints "reconnected" and "result" with every event bob
// received after the drop.
import { STEP_MS, Recorder, chat, connected, fail, io, ok, out, parseArgs, roomId, run, send, within } from "./lib.js";

run(async () => {
  const { url } = parseArgs();
  const ada = await chat(url, "ada");
  const general = roomId(ada.session.rooms, "general");
  const vault = (await ok(ada.socket, "room:create", { name: "vault", private: true })).room.id;

  let release;
  const released = new Promise((resolve) => { release = resolve; });
  let connects = 0;
  const bob = io(`${url}/chat`, {
    transports: ["websocket"],
    forceNew: true,
    reconnectionDelay: 20,
    reconnectionDelayMax: 50,
    auth: (cb) => {
      connects++;
      if (connects === 1) {
        cb({ name: "bob" });
      } else {
        within(3 * STEP_MS, "the scenario to let bob reconnect", released)
          .then(() => cb({ name: "bob" }), (e) => fail(e));
      }
    },
  });
  const recorder = new Recorder(bob);
  await connected(bob);
  const session = (await recorder.next("session"))[0];
  await ok(ada.socket, "room:invite", { roomId: vault, userId: session.user.id });
  await recorder.until("vault at bob", (e) => e.event === "room" && e.args[0].id === vault);
  const before = await send(ada.socket, vault, "before the drop");
  await recorder.message("the last vault message before the drop", (m) => m.id === before.id);

  const seenBefore = recorder.events.length;
  const presenceBefore = ada.recorder.events.length;
  bob.io.engine.close();
  await ada.recorder.until("bob to go offline at ada", (e) => e.event === "presence"
    && e.args[0].user.name === "bob" && e.args[0].user.online === false, STEP_MS, presenceBefore);

  await ok(ada.socket, "room:kick", { roomId: vault, userId: session.user.id });
  await send(ada.socket, vault, "secret after the kick");
  const missed = await send(ada.socket, general, "general while bob was away");
  release();
  await connected(bob, 3 * STEP_MS);
  out("reconnected", { recovered: bob.recovered, connects });

  const marker = await send(ada.socket, general, "marker");
  await recorder.message("the marker at bob", (m) => m.id === marker.id, STEP_MS, seenBefore);
  const sync = await ok(bob, "sync", { rooms: { [general]: 0, [vault]: 0 } });

  out("result", {
    vault, general, missed, marker,
    events: recorder.events.slice(seenBefore),
    sync: Object.keys(sync.rooms),
  });
  bob.disconnect();
  ada.socket.disconnect();
});
