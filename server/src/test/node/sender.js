// One of several concurrent senders. Connects as `name`, prints "ready", waits for "go" on stdin,
// then sends `count` messages to `general` with up to `window` of them waiting for their
// acknowledgement at once. Prints "acks" with each message's clientMsgId, id and seq.
import { Commands, STEP_MS, chat, out, parseArgs, roomId, run, send } from "./lib.js";

run(async () => {
  const { url, params } = parseArgs(["name", "count", "window"]);
  const commands = new Commands();
  const me = await chat(url, params.name);
  const general = roomId(me.session.rooms, "general");
  out("ready", { user: me.session.user });
  await commands.expect("go", 3 * STEP_MS);

  const count = Number(params.count);
  const acks = new Array(count);
  let nextIndex = 0;
  const worker = async () => {
    while (nextIndex < count) {
      const i = nextIndex++;
      const clientMsgId = `${params.name}-${i}`;
      const ack = await send(me.socket, general, `${params.name} says ${i}`, clientMsgId);
      acks[i] = { clientMsgId, id: ack.id, seq: ack.seq };
    }
  };
  await Promise.all(Array.from({ length: Number(params.window) }, worker));
  out("acks", { acks });
  me.socket.disconnect();
});
