// Receives what concurrent senders send to `general`. Prints "ready" with the room's lastSeq at
// connection, waits for "finish" on stdin, then sends a marker message of its own and prints
// "received" with every message it got up to the marker, in the order they arrived.
import { Commands, STEP_MS, brief, chat, out, parseArgs, roomId, run, send } from "./lib.js";

run(async () => {
  const { url, params } = parseArgs(["name"]);
  const commands = new Commands();
  const me = await chat(url, params.name);
  const general = me.session.rooms.find((r) => r.name === "general");
  out("ready", { lastSeq: general.lastSeq });
  await commands.expect("finish", 4 * STEP_MS);

  const marker = await send(me.socket, roomId(me.session.rooms, "general"), "that's all");
  await me.recorder.message("my own marker", (m) => m.id === marker.id);
  out("received", { marker, messages: me.recorder.messages().map(brief) });
  me.socket.disconnect();
});
