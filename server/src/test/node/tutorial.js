// The tutorial namespace `/` and /chat together. Pages connect the tutorial's way (io(url), the
// default transports: polling, then the upgrade to WebSocket) and use its events: join, message,
// typing, privateMessage, loadMessages, userList. ada is on /chat in `general`. Each step waits
// for what it must cause; a marker in `general` closes the checks that something did NOT arrive.
// Prints "result" with what every client received.
import { STEP_MS, Recorder, chat, connected, io, out, parseArgs, roomId, run, send, within } from "./lib.js";

function page(url) {
  const socket = io(url, { forceNew: true, reconnection: false });
  return { socket, recorder: new Recorder(socket) };
}

/** The first `event` with exactly `value` as its argument, from index `from` on. */
function waitFor(client, event, value, from = 0) {
  return client.recorder.until(`'${event}' ${JSON.stringify(value)}`,
    (e) => e.event === event && JSON.stringify(e.args[0]) === JSON.stringify(value), STEP_MS, from);
}

function userListWith(client, names, from = 0) {
  return client.recorder.until(`a userList of ${names}`, (e) => e.event === "userList"
    && e.args[0].length === names.length && names.every((n) => e.args[0].includes(n)), STEP_MS, from);
}

run(async () => {
  const { url } = parseArgs();
  const ada = await chat(url, "ada");
  const general = roomId(ada.session.rooms, "general");
  await send(ada.socket, general, "before the pages");

  const tom = page(url);
  await connected(tom.socket);
  const tomLoad = (await tom.recorder.next("loadMessages"))[0];
  tom.socket.emit("join", "tom");
  await waitFor(tom, "join", "tom");
  await userListWith(tom, ["tom"]);

  const amy = page(url);
  await connected(amy.socket);
  await amy.recorder.next("loadMessages");
  amy.socket.emit("join", "amy");
  await waitFor(tom, "join", "amy");
  await userListWith(tom, ["tom", "amy"]);

  tom.socket.emit("message", "hi from the tutorial");
  await waitFor(tom, "message", "tom: hi from the tutorial");
  await waitFor(amy, "message", "tom: hi from the tutorial");
  const fromTom = await ada.recorder.message("tom's message on /chat", (m) => m.text === "hi from the tutorial");

  await send(ada.socket, general, "hello pages");
  await waitFor(tom, "message", "ada: hello pages");
  await waitFor(amy, "message", "ada: hello pages");

  tom.socket.emit("typing");
  await waitFor(amy, "typing", "tom is typing...");
  tom.socket.emit("privateMessage", { to: "amy", message: "psst" });
  await waitFor(amy, "message", "(Private) tom: psst");

  const anonymous = page(url);
  await connected(anonymous.socket);
  await anonymous.recorder.next("loadMessages");
  anonymous.socket.emit("message", "who am I");
  const fromAnonymous = await ada.recorder.message("the anonymous page's message", (m) => m.text === "who am I");

  const marker = await send(ada.socket, general, "marker");
  await waitFor(tom, "message", "ada: marker");
  await waitFor(amy, "message", "ada: marker");
  await waitFor(anonymous, "message", "ada: marker");
  await ada.recorder.message("the marker", (m) => m.id === marker.id);

  const beforeLeave = tom.recorder.events.length;
  amy.socket.disconnect();
  const listAfterLeave = await tom.recorder.until("a userList without amy", (e) => e.event === "userList"
    && !e.args[0].includes("amy"), STEP_MS, beforeLeave);

  const late = page(url);
  await connected(late.socket);
  const lateLoad = (await late.recorder.next("loadMessages"))[0];

  if (tom.socket.io.engine.transport.name !== "websocket") {
    const upgraded = new Promise((resolve) => tom.socket.io.engine.once("upgrade", resolve));
    await within(STEP_MS, "the upgrade to WebSocket", upgraded);
  }
  out("result", {
    tomLoad, lateLoad, fromTom, fromAnonymous,
    tomTransport: tom.socket.io.engine.transport.name,
    userListAfterLeave: listAfterLeave.args[0],
    tom: tom.recorder.events, amy: amy.recorder.events, anonymous: anonymous.recorder.events,
    ada: ada.recorder.messages().map((m) => ({ user: m.user.name, text: m.text, kind: m.kind })),
  });
  for (const c of [tom, anonymous, late, ada]) {
    c.socket.disconnect();
  }
});
