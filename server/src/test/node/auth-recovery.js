// A signed-in connection that drops cannot be recovered once its session was signed out. The
// client signs in with the session cookie the test passes, drops its transport (as a network
// failure would), and its Manager reconnects by itself presenting pid and offset; the auth
// callback holds that CONNECT until the test, having signed the session out meanwhile, writes
// "signed-out". The server recovers the socket, checks its credential again and closes it.
// Prints "dropped", then "result" with what happened after the reconnection.
import { Commands, STEP_MS, Recorder, connected, fail, io, out, parseArgs, run, within } from "./lib.js";

run(async () => {
  const { url, params } = parseArgs(["cookie"]);
  const commands = new Commands();
  let release;
  const released = new Promise((resolve) => { release = resolve; });
  let connects = 0;
  const socket = io(`${url}/chat`, {
    transports: ["websocket"],
    forceNew: true,
    reconnectionDelay: 20,
    reconnectionDelayMax: 50,
    extraHeaders: { Cookie: params.cookie },
    auth: (cb) => {
      connects++;
      if (connects === 1) {
        cb({});
      } else {
        within(3 * STEP_MS, "the test to sign the session out", released).then(() => cb({}), (e) => fail(e));
      }
    },
  });
  const recorder = new Recorder(socket);
  const disconnects = [];
  socket.on("disconnect", (reason) => disconnects.push(reason));
  await connected(socket);
  const session = (await recorder.next("session"))[0];
  socket.io.engine.close();
  out("dropped", { user: session.user.name });

  await commands.expect("signed-out", 3 * STEP_MS);
  release();
  const reconnected = await within(STEP_MS, "the reconnection", new Promise((resolve) => {
    socket.once("connect", () => resolve({ recovered: socket.recovered }));
  }));
  const signedOut = (await recorder.next("signed_out"))[0];
  await within(STEP_MS, "the server to close the recovered socket", new Promise((resolve) => {
    if (disconnects.length === 2) resolve();
    socket.once("disconnect", () => resolve());
  }));
  out("result", { reconnected, signedOut, disconnects, active: socket.active });
  socket.close();
});
