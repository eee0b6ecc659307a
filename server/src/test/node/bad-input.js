// Bad requests on /chat: wrong types, missing fields, oversize text, unknown rooms and users. Each
// is sent with an acknowledgement callback and must be answered with an error ack; the connection
// stays up throughout (no disconnect, same socket id) and a valid message still goes through.
// Prints "reply" for each case ({name, reply}), then "result".
import { brief, chat, historyAfter, out, parseArgs, request, roomId, run, send } from "./lib.js";

run(async () => {
  const { url } = parseArgs();
  const ada = await chat(url, "ada");
  const general = roomId(ada.session.rooms, "general");
  const id = ada.socket.id;
  const disconnects = [];
  ada.socket.on("disconnect", (reason) => disconnects.push(reason));
  const msg = (fields) => ({ roomId: general, text: "hi", clientMsgId: crypto.randomUUID(), ...fields });

  const cases = {
    "send: roomId an object": ["message:send", msg({ roomId: { id: general } })],
    "send: roomId negative": ["message:send", msg({ roomId: -5 })],
    "send: roomId true": ["message:send", msg({ roomId: true })],
    "send: roomId missing": ["message:send", msg({ roomId: undefined })],
    "send: text a number": ["message:send", msg({ text: 42 })],
    "send: text an array": ["message:send", msg({ text: ["hi"] })],
    "send: text binary": ["message:send", msg({ text: Buffer.from("hi") })],
    "send: text missing": ["message:send", msg({ text: undefined })],
    "send: text only whitespace": ["message:send", msg({ text: " \n\t " })],
    "send: text 4001 characters": ["message:send", msg({ text: "x".repeat(4001) })],
    "send: text 100000 characters": ["message:send", msg({ text: "y".repeat(100_000) })],
    "send: clientMsgId missing": ["message:send", msg({ clientMsgId: undefined })],
    "send: clientMsgId a number": ["message:send", msg({ clientMsgId: 7 })],
    "send: clientMsgId 65 characters": ["message:send", msg({ clientMsgId: "c".repeat(65) })],
    "send: a string": ["message:send", "hello"],
    "send: an array": ["message:send", [msg({})]],
    "send: null": ["message:send", null],
    "send: no argument": ["message:send"],
    "send: unknown room": ["message:send", msg({ roomId: "999999" })],
    "history: unknown room": ["history", { roomId: "999999" }],
    "history: limit 1000": ["history", { roomId: general, limit: 1000 }],
    "history: limit 0": ["history", { roomId: general, limit: 0 }],
    "history: limit a string": ["history", { roomId: general, limit: "10" }],
    "history: before and after": ["history", { roomId: general, before: 5, after: 1 }],
    "history: before negative": ["history", { roomId: general, before: -1 }],
    "sync: rooms a string": ["sync", { rooms: "all" }],
    "sync: seq a string": ["sync", { rooms: { [general]: "5" } }],
    "sync: room id not a number": ["sync", { rooms: { general: 1 } }],
    "read: seq missing": ["read", { roomId: general }],
    "room:join: unknown id": ["room:join", { roomId: "999999" }],
    "room:join: unknown name": ["room:join", { name: "no such room" }],
    "room:join: neither id nor name": ["room:join", {}],
    "room:members: unknown room": ["room:members", { roomId: "999999" }],
    "room:create: name with markup": ["room:create", { name: "<script>" }],
    "room:create: name 41 characters": ["room:create", { name: "r".repeat(41) }],
    "room:create: name a number": ["room:create", { name: 12 }],
    "room:leave: general": ["room:leave", { roomId: general }],
    "room:leave: unknown room": ["room:leave", { roomId: "999999" }],
    "dm:open: unknown user": ["dm:open", { name: "nobody" }],
    "dm:open: oneself": ["dm:open", { name: "ada" }],
    "dm:open: neither id nor name": ["dm:open", {}],
  };
  const replies = {};
  for (const [name, [event, ...args]] of Object.entries(cases)) {
    replies[name] = await request(ada.socket, event, ...args);
    out("reply", { name, reply: replies[name] });
  }
  // Malformed events that take no acknowledgement, and an unknown one, are ignored.
  ada.socket.emit("typing", "nonsense");
  ada.socket.emit("typing", { roomId: { no: 1 }, typing: "yes" });
  ada.socket.emit("no such event", { roomId: general });

  const longest = await send(ada.socket, general, "z".repeat(4000));
  const last = await send(ada.socket, general, "still here");
  await ada.recorder.message("ada's own last message", (m) => m.id === last.id);
  const history = await historyAfter(ada.socket, general, 0);
  out("result", {
    replies,
    sameSocket: ada.socket.id === id,
    connected: ada.socket.connected,
    disconnects,
    longest,
    history: history.map((m) => ({ ...brief(m), length: m.text.length })),
  });
  ada.socket.disconnect();
});
