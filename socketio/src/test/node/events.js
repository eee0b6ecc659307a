// Events and acknowledgements in both directions over `transport=polling|websocket`.
// The client sends "hello" (no ack) with assorted JSON values, "sum" with emitWithAck and "pair"
// with a callback answered with two values; it answers the server's "ask" and ignores
// "unanswered", whose acknowledgement the server gives up on before it sends "bye". Prints
// "result" with what it got back.
import { Recorder, STEP_MS, ackOf, connected, io, out, parseArgs, run, within } from "./lib.js";

run(async () => {
  const { url, params } = parseArgs(["transport"]);
  const socket = io(url, { transports: [params.transport], forceNew: true, reconnection: false });
  const recorder = new Recorder(socket);
  const asked = new Promise((resolve) => {
    socket.on("ask", (question, answer) => {
      answer({ answer: String(question.question).toUpperCase(), seen: question });
      resolve(question);
    });
  });
  await connected(socket);

  socket.emit("hello", "text", 42, 3.5, true, null, { nested: { list: [1, "two", { three: 3 }] } }, ["a", 1]);
  const sum = await socket.timeout(STEP_MS).emitWithAck("sum", 1, 2, 3, 4);
  const pair = await ackOf(socket, "pair", "left", "right");
  const question = await within(STEP_MS, "the server's 'ask'", asked);
  await recorder.untilEvent("bye");

  out("result", { id: socket.id, sum, pair, question, events: recorder.list() });
  socket.disconnect();
});
