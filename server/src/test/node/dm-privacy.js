// A direct message reaches only its two members. ada opens a DM with bob and sends in it; then
// ada sends in `general`, a marker: once eve has that, anything of the DM would have reached her
// before it. eve then tries to read, write, join and list the DM. Prints "result" with every event
// eve received and the answers to her attempts.
import { brief, chat, ok, out, parseArgs, request, roomId, run, send } from "./lib.js";

run(async () => {
  const { url } = parseArgs();
  const ada = await chat(url, "ada");
  const bob = await chat(url, "bob");
  const eve = await chat(url, "eve");
  const general = roomId(ada.session.rooms, "general");

  const opened = await ok(ada.socket, "dm:open", { name: "bob" });
  const dm = opened.room.id;
  const bobsRoom = (await bob.recorder.next("room"))[0];
  const dmAck = await send(ada.socket, dm, "just between us");
  const bobGot = await bob.recorder.message("the DM at bob", (m) => m.id === dmAck.id);
  const bobReply = await send(bob.socket, dm, "sure");
  const adaGot = await ada.recorder.message("bob's reply at ada", (m) => m.id === bobReply.id);

  const marker = await send(ada.socket, general, "hello all");
  await eve.recorder.message("the marker at eve", (m) => m.id === marker.id);

  const attempts = {
    history: await request(eve.socket, "history", { roomId: dm }),
    send: await request(eve.socket, "message:send", { roomId: dm, text: "let me in", clientMsgId: "eve-1" }),
    sync: await request(eve.socket, "sync", { rooms: { [dm]: 0 } }),
    join: await request(eve.socket, "room:join", { roomId: dm }),
    members: await request(eve.socket, "room:members", { roomId: dm }),
    read: await request(eve.socket, "read", { roomId: dm, seq: 1 }),
    list: await request(eve.socket, "rooms:list", {}),
  };
  // Still nothing: the same marker trick once more, after her attempts.
  const marker2 = await send(ada.socket, general, "hello again");
  await eve.recorder.message("the second marker at eve", (m) => m.id === marker2.id);
  const dmHistory = await ok(bob.socket, "history", { roomId: dm });

  out("result", {
    dm, opened: opened.room, bobsRoom, dmAck, bobGot, adaGot: brief(adaGot), marker,
    eveEvents: eve.recorder.events, attempts,
    dmHistory: dmHistory.messages.map(brief),
  });
  for (const c of [ada, bob, eve]) {
    c.socket.disconnect();
  }
});
