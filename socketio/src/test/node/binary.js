// Binary in both directions over `transport=polling|websocket`: the client uploads a Buffer, a
// Uint8Array and an object holding a Buffer, the server acknowledges with binary and sends a
// "download" event with binary at several depths. Prints "result" with hex dumps of what arrived.
import { Recorder, ackOf, connected, io, out, parseArgs, plain, run } from "./lib.js";

/** 64 KiB with every byte value, enough to span several WebSocket/TCP chunks. */
function pattern() {
  const bytes = Buffer.alloc(64 * 1024);
  for (let i = 0; i < bytes.length; i++) {
    bytes[i] = (i * 7 + 3) & 0xff;
  }
  return bytes;
}

run(async () => {
  const { url, params } = parseArgs(["transport"]);
  const socket = io(url, { transports: [params.transport], forceNew: true, reconnection: false });
  const recorder = new Recorder(socket);
  await connected(socket);

  const large = pattern();
  const ack = await ackOf(socket, "upload",
    large,
    new Uint8Array([0, 1, 2, 253, 254, 255]),
    { name: "note.txt", content: Buffer.from("héllo", "utf8"), parts: [Buffer.from([7]), "text"] });
  await recorder.untilEvent("download");

  out("result", { ack: plain(ack), events: recorder.list() });
  socket.disconnect();
});
