// Connection-state recovery on /chat. bob is in `general` and in a DM with ada. His transport
// drops: closing the Engine.IO connection under the Manager is what a network failure looks like
// to socket.io-client (the engine closes, not socket.disconnect()), so the Manager reconnects by
// itself and sends bob's pid and last offset in the CONNECT packet. The auth callback holds that
// CONNECT until ada, who saw bob go offline, has sent messages to both rooms and to a room bob is
// not in. Then bob comes back, ada sends one more message and bob one of his own.
// Prints "dropped", "reconnected" and "result" with what bob received after the drop.
import {
  STEP_MS, Recorder, brief, chat, check, connected, fail, io, ok, out, parseArgs, roomId, run, send, within,
} from "./lib.js";

run(async () => {
  const { url, params } = parseArgs(["missed"]);
  const missedPerRoom = Number(params.missed);
  const ada = await chat(url, "ada");
  const general = roomId(ada.session.rooms, "general");

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
  const disconnects = [];
  bob.on("disconnect", (reason) => disconnects.push(reason));
  await connected(bob);
  const session = (await recorder.next("session"))[0];
  const firstId = bob.id;
  const dm = (await ok(ada.socket, "dm:open", { name: "bob" })).room.id;
  await recorder.until("the DM at bob", (e) => e.event === "room" && e.args[0].id === dm);
  const before = await send(ada.socket, general, "before the drop");
  await recorder.message("the last message before the drop", (m) => m.id === before.id);

  const seenBefore = recorder.events.length;
  const presenceBefore = ada.recorder.events.length;
  bob.io.engine.close();
  out("dropped", { active: bob.active, connected: bob.connected });
  await ada.recorder.until("bob to go offline at ada", (e) => e.event === "presence"
    && e.args[0].user.name === "bob" && e.args[0].user.online === false, STEP_MS, presenceBefore);

  const side = (await ok(ada.socket, "room:create", { name: "side room" })).room.id;
  const missed = [];
  for (let i = 0; i < missedPerRoom; i++) {
    missed.push(await send(ada.socket, general, `missed in general ${i}`));
    missed.push(await send(ada.socket, dm, `missed in the DM ${i}`));
    await send(ada.socket, side, `not for bob ${i}`);
  }
  release();
  await connected(bob, 3 * STEP_MS);
  out("reconnected", { id: bob.id, firstId, recovered: bob.recovered, connects });

  const after = await send(ada.socket, general, "after the return");
  await recorder.message("ada's message after the return", (m) => m.id === after.id, STEP_MS, seenBefore);
  const own = await send(bob, dm, "back again");
  await ada.recorder.message("bob's message at ada", (m) => m.id === own.id);
  await recorder.message("bob's own message", (m) => m.id === own.id, STEP_MS, seenBefore);
  check(bob.connected, "bob is connected");

  const afterDrop = recorder.events.slice(seenBefore);
  out("result", {
    general, dm, side, session, disconnects, missed, after, own,
    messages: afterDrop.filter((e) => e.event === "message").map((e) => brief(e.args[0])),
    events: afterDrop.map((e) => e.event),
  });
  bob.disconnect();
  ada.socket.disconnect();
});
