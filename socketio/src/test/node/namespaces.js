// Namespaces: "/admin" admits a client whose auth carries the right token and refuses one with a
// wrong token (the connect_error must carry the server's message and data); an unknown namespace
// is refused; a dynamic namespace ("/team-<n>") is created on demand; "/" and "/admin" share one
// connection when opened through one Manager. Prints one line per case.
import { STEP_MS, connected, io, out, parseArgs, refused, run } from "./lib.js";

const options = { transports: ["websocket"], forceNew: true, reconnection: false };

run(async () => {
  const { url, params } = parseArgs(["token"]);

  const admitted = io(`${url}/admin`, { ...options, auth: { token: params.token } });
  await connected(admitted);
  const whoami = await admitted.timeout(STEP_MS).emitWithAck("whoami");
  out("admitted", { id: admitted.id, whoami });

  const denied = io(`${url}/admin`, { ...options, auth: { token: "wrong" } });
  const denial = await refused(denied);
  out("denied", { message: denial.message, data: denial.data, active: denied.active });

  const unknown = io(`${url}/nowhere`, options);
  const unknownError = await refused(unknown);
  out("unknown", { message: unknownError.message, data: unknownError.data });

  const team = io(`${url}/team-42`, options);
  await connected(team);
  out("dynamic", { id: team.id, whoami: await team.timeout(STEP_MS).emitWithAck("whoami") });

  const main = io(url, options);
  const admin = main.io.socket("/admin", { auth: { token: params.token } });
  admin.connect();
  await connected(main);
  await connected(admin);
  out("multiplexed", {
    mainId: main.id,
    adminId: admin.id,
    sameConnection: main.io === admin.io && main.io.engine.id === admin.io.engine.id,
    whoami: await admin.timeout(STEP_MS).emitWithAck("whoami"),
  });

  for (const socket of [admitted, denied, unknown, team, main, admin]) {
    socket.disconnect();
  }
});
