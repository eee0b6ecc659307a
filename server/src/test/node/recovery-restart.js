// Connection-state recovery across a server restart. bob is in `general` and in a DM with ada;
// he has received one message. The test then stops the server (gracefully or with SIGKILL) and
// starts it again on the same port and data folder (or sends bob to another node of a cluster),
// and writes "restarted". bob's Manager keeps
// reconnecting by itself meanwhile; its auth callback holds his CONNECT (which carries his pid
// and last offset) until ada, connected again, has sent messages to both rooms and to a room bob
// is not in. Then bob comes back, ada sends one more message and bob one of his own.
// Prints "ready", "reconnected" and "result" with what bob received after the restart.
import {
  STEP_MS, Commands, Recorder, brief, chat, connected, fail, io, ok, out, parseArgs, roomId, run, send,
  within,
} from "./lib.js";

run(async () => {
  const { url, params } = parseArgs(["missed"]);
  const missedPerRoom = Number(params.missed);
  const commands = new Commands();
  const first = await chat(url, "ada");
  const general = roomId(first.session.rooms, "general");

  let release;
  const released = new Promise((resolve) => { release = resolve; });
  let connects = 0;
  let guestKey;
  const bob = io(`${url}/chat`, {
    transports: ["websocket"],
    forceNew: true,
    reconnectionDelay: 50,
    reconnectionDelayMax: 100,
    auth: (cb) => {
      connects++;
      if (connects === 1) {
        cb({ name: "bob" });
      } else {
        within(4 * STEP_MS, "the scenario to let bob reconnect", released)
          .then(() => cb({ name: "bob", guestKey }), (e) => fail(e));
      }
    },
  });
  const recorder = new Recorder(bob);
  const disconnects = [];
  bob.on("disconnect", (reason) => disconnects.push(reason));
  await connected(bob);
  const session = (await recorder.next("session"))[0];
  guestKey = session.guestKey;
  const firstId = bob.id;
  const dm = (await ok(first.socket, "dm:open", { name: "bob" })).room.id;
  await recorder.until("the DM at bob", (e) => e.event === "room" && e.args[0].id === dm);
  const before = await send(first.socket, general, "before the restart");
  await recorder.message("the last message before the restart", (m) => m.id === before.id);
  const seenBefore = recorder.events.length;
  out("ready", { firstId });

  await commands.expect("restarted", 4 * STEP_MS);
  if (bob.connected) {
    await within(STEP_MS, "bob's connection to drop", new Promise((resolve) => bob.once("disconnect", resolve)));
  }
  // A new connection for ada, as her own tab would make.
  const ada = await chat(url, "ada", { guestKey: first.session.guestKey });
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

  const afterRestart = recorder.events.slice(seenBefore);
  out("result", {
    general, dm, side, session, disconnects, missed, after, own,
    messages: afterRestart.filter((e) => e.event === "message").map((e) => brief(e.args[0])),
    events: afterRestart.map((e) => e.event),
  });
  bob.disconnect();
  ada.socket.disconnect();
  first.socket.disconnect();
});
