// Catch-up without recovery: bob disconnects for good (socket.disconnect(), nothing to recover),
// ada sends `missed` messages to `general` and a few to their DM, then bob connects anew with his
// name and guestKey and asks `sync` for both rooms from the last seq he saw, paging on with
// `history` `after` where `hasMore`. ada sends one more message, which bob must get live.
// Prints "result" with the acks, bob's new session, the sync answer, the pages and what bob's new
// connection received live.
import { brief, chat, historyAfter, ok, out, parseArgs, roomId, run, send } from "./lib.js";

run(async () => {
  const { url, params } = parseArgs(["missed"]);
  const ada = await chat(url, "ada");
  const bob = await chat(url, "bob");
  const general = roomId(ada.session.rooms, "general");
  const dm = (await ok(ada.socket, "dm:open", { name: "bob" })).room.id;
  const lastSeen = {};
  for (const roomId of [general, dm]) {
    const ack = await send(ada.socket, roomId, "seen by bob");
    lastSeen[roomId] = (await bob.recorder.message("the message before leaving", (m) => m.id === ack.id)).seq;
  }
  bob.socket.disconnect();

  const missed = { [general]: [], [dm]: [] };
  for (let i = 0; i < Number(params.missed); i++) {
    missed[general].push(await send(ada.socket, general, `missed ${i}`));
    if (i < 3) {
      missed[dm].push(await send(ada.socket, dm, `missed in the DM ${i}`));
    }
  }

  const back = await chat(url, "bob", { guestKey: bob.session.guestKey });
  const sync = await ok(back.socket, "sync", { rooms: lastSeen });
  const rest = {};
  for (const [roomId, page] of Object.entries(sync.rooms)) {
    const last = page.messages.length ? page.messages[page.messages.length - 1].seq : lastSeen[roomId];
    rest[roomId] = page.hasMore ? (await historyAfter(back.socket, roomId, last)).map(brief) : [];
  }
  const after = await send(ada.socket, general, "welcome back");
  await back.recorder.message("the new message", (m) => m.id === after.id);

  out("result", {
    general, dm, lastSeen, missed, after,
    firstSession: bob.session, session: back.session, recovered: back.socket.recovered,
    sync: Object.fromEntries(Object.entries(sync.rooms).map(([roomId, page]) =>
      [roomId, { hasMore: page.hasMore, messages: page.messages.map(brief) }])),
    rest,
    live: back.recorder.messages().map(brief),
  });
  ada.socket.disconnect();
  back.socket.disconnect();
});
