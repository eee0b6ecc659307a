// Rooms with several clients in one process, each on its own connection. Client i joins the room
// given by `rooms=red,red,red,blue,blue` (one entry per client). Then client 0 says something to
// its room, client 3 shouts to everyone, client 4 speaks to everyone outside "blue", and client 0
// asks the server to finish, which sends "end" to all. Prints "client" per client with the
// events it received, up to and including "end".
import { Recorder, STEP_MS, connected, io, out, parseArgs, run } from "./lib.js";

run(async () => {
  const { url, params } = parseArgs(["rooms", "transport"]);
  const rooms = params.rooms.split(",");
  const clients = rooms.map((room) => {
    const socket = io(url, { transports: [params.transport], forceNew: true, reconnection: false });
    return { room, socket, recorder: new Recorder(socket) };
  });
  await Promise.all(clients.map((c) => connected(c.socket)));
  for (const c of clients) {
    await c.socket.timeout(STEP_MS).emitWithAck("join", c.room);
  }
  out("joined", { ids: clients.map((c) => c.socket.id) });

  await clients[0].socket.timeout(STEP_MS).emitWithAck("say", "hello room");
  await clients[3].socket.timeout(STEP_MS).emitWithAck("shout", "hello all");
  await clients[4].socket.timeout(STEP_MS).emitWithAck("outside", "blue", "hello non-blue");
  await clients[0].socket.timeout(STEP_MS).emitWithAck("finish");
  await Promise.all(clients.map((c) => c.recorder.untilEvent("end")));

  clients.forEach((c, index) => {
    out("client", { index, id: c.socket.id, room: c.room, events: c.recorder.list() });
  });
  clients.forEach((c) => c.socket.disconnect());
});
