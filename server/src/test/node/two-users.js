// Two users chat in `general`. ada sends `count` messages one after another; as soon as each
// acknowledgement arrives, bob asks for the room's newest history, which must already hold the
// message (the ack comes only once it is stored). Prints "sent" per message with its ack and what
// bob's history held right then, and "result" with the messages bob received.
import { chat, ok, out, parseArgs, request, roomId, run } from "./lib.js";

run(async () => {
  const { url, params } = parseArgs(["count"]);
  const ada = await chat(url, "ada");
  const bob = await chat(url, "bob");
  const general = roomId(ada.session.rooms, "general");
  out("sessions", { ada: ada.session, bob: bob.session });

  for (let i = 0; i < Number(params.count); i++) {
    const clientMsgId = `two-users-${i}`;
    const ack = await request(ada.socket, "message:send",
      { roomId: general, text: `hello <b>bob</b> #${i}`, clientMsgId });
    const history = await ok(bob.socket, "history", { roomId: general, limit: 5 });
    out("sent", { ack, historyIds: history.messages.map((m) => m.id) });
  }
  const received = await bob.recorder.texts(general, Number(params.count));
  out("result", { general, received });
  ada.socket.disconnect();
  bob.socket.disconnect();
});
