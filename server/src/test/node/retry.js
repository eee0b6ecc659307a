// Idempotent sends: the same (user, clientMsgId) stores one message and gets the same ack. ada
// retries one after the other ("seq"), twice at once ("concurrent"), with other text ("changed"),
// and after reconnecting as herself ("reconnect"); bob uses one of ada's clientMsgIds for his own
// message ("other user"). A marker ends it. Prints "result" with the acks, what bob received and
// the room's history.
import { brief, chat, historyAfter, out, parseArgs, request, roomId, run, send } from "./lib.js";

run(async () => {
  const { url } = parseArgs();
  let ada = await chat(url, "ada");
  const bob = await chat(url, "bob");
  const general = roomId(ada.session.rooms, "general");
  const acks = {};

  acks.seq = [
    await request(ada.socket, "message:send", { roomId: general, text: "once", clientMsgId: "retry-1" }),
    await request(ada.socket, "message:send", { roomId: general, text: "once", clientMsgId: "retry-1" }),
  ];
  acks.changed = await request(ada.socket, "message:send",
    { roomId: general, text: "changed", clientMsgId: "retry-1" });
  acks.concurrent = await Promise.all([
    request(ada.socket, "message:send", { roomId: general, text: "twice at once", clientMsgId: "retry-2" }),
    request(ada.socket, "message:send", { roomId: general, text: "twice at once", clientMsgId: "retry-2" }),
  ]);

  const first = await request(ada.socket, "message:send",
    { roomId: general, text: "lost ack", clientMsgId: "retry-3" });
  ada.socket.disconnect();
  ada = await chat(url, "ada", { guestKey: ada.session.guestKey });
  const again = await request(ada.socket, "message:send",
    { roomId: general, text: "lost ack", clientMsgId: "retry-3" });
  acks.reconnect = [first, again];

  acks.otherUser = await request(bob.socket, "message:send",
    { roomId: general, text: "bob's own", clientMsgId: "retry-1" });

  const marker = await send(ada.socket, general, "done");
  await bob.recorder.message("the marker at bob", (m) => m.id === marker.id);
  const history = await historyAfter(bob.socket, general, 0);
  out("result", {
    acks,
    marker,
    bobReceived: bob.recorder.messages().map(brief),
    history: history.map((m) => ({ ...brief(m), clientMsgId: m.clientMsgId })),
  });
  ada.socket.disconnect();
  bob.socket.disconnect();
});
