// Connection-state recovery when the user's rooms changed while the connection was down. bob's
// first tab is in `general` and `side`; its transport drops (see recovery.js). Meanwhile ada opens
// a DM with bob and writes in it, and bob, from a second tab, leaves `side`. After the first tab
// recovers it must get the DM's new messages and no more of `side`'s. Prints "reconnected" and
// "result" with what the first tab received after the drop and what `sync` gives for the DM.
import {
  STEP_MS, Recorder, brief, chat, connected, fail, io, ok, out, parseArgs, roomId, run, send, within,
} from "./lib.js";

run(async () => {
  const { url } = parseArgs();
  const ada = await chat(url, "ada");
  const general = roomId(ada.session.rooms, "general");
  const side = (await ok(ada.socket, "room:create", { name: "side" })).room.id;

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
  await ok(bob, "room:join", { roomId: side });
  const before = await send(ada.socket, side, "side before the drop");
  await recorder.message("the last message before the drop", (m) => m.id === before.id);

  const seenBefore = recorder.events.length;
  const presenceBefore = ada.recorder.events.length;
  bob.io.engine.close();
  await ada.recorder.until("bob to go offline at ada", (e) => e.event === "presence"
    && e.args[0].user.name === "bob" && e.args[0].user.online === false, STEP_MS, presenceBefore);

  const dm = (await ok(ada.socket, "dm:open", { name: "bob" })).room.id;
  const whileAway = await send(ada.socket, dm, "while you were away");
  const secondTab = await chat(url, "bob", { guestKey: session.guestKey });
  await ok(secondTab.socket, "room:leave", { roomId: side });
  secondTab.socket.disconnect();

  release();
  await connected(bob, 3 * STEP_MS);
  out("reconnected", { recovered: bob.recovered });

  const dmAfter = await send(ada.socket, dm, "after the return");
  const sideAfter = await send(ada.socket, side, "side after the return");
  const marker = await send(ada.socket, general, "marker");
  await recorder.message("the marker", (m) => m.id === marker.id, STEP_MS, seenBefore);
  const dmAtAda = await ada.recorder.message("the DM message at ada", (m) => m.id === dmAfter.id);
  const refreshed = await recorder.until("a room event for the DM with its new messages",
    (e) => e.event === "room" && e.args[0].id === dm && e.args[0].lastSeq >= whileAway.seq, STEP_MS, seenBefore);
  const sync = await ok(bob, "sync", { rooms: { [dm]: 0 } });

  out("result", {
    general, side, dm, whileAway, dmAfter: brief(dmAtAda), sideAfter, marker,
    room: refreshed.args[0],
    messages: recorder.events.slice(seenBefore).filter((e) => e.event === "message").map((e) => brief(e.args[0])),
    synced: sync.rooms[dm].messages.map(brief),
  });
  bob.disconnect();
  ada.socket.disconnect();
});
