// Ada starts a DM with Bob from the member list; Bob gets it with an unread badge; Cy, in the same
// #general, never receives it: not on screen and not on the wire.
import { findApp, joinAs, openConversation, send, waitForMessage } from './app.mjs';
import { fail, main, nonce } from './lib.mjs';

main(import.meta.url, {}, async ({ base, newPage }) => {
  const app = await findApp(base);
  const tag = nonce();
  const ada = `Ada ${tag}`;
  const bob = `Bob ${tag}`;
  const cy = `Cy ${tag}`;
  const pageA = await newPage('ada');
  const pageB = await newPage('bob');
  const pageC = await newPage('cy');

  // Everything Cy's browser receives from the server, over either transport.
  const wire = [];
  pageC.on('websocket', (ws) => ws.on('framereceived', (f) => wire.push(String(f.payload))));
  pageC.on('response', (r) => {
    if (r.url().includes('/socket.io/')) r.text().then((t) => wire.push(t), () => {});
  });

  await joinAs(pageB, app, bob);
  await joinAs(pageC, app, cy);
  await joinAs(pageA, app, ada);

  const members = pageA.getByRole('complementary', { name: 'Members of #general' });
  if (!(await members.isVisible())) await pageA.getByRole('button', { name: 'Members' }).click();
  await members
    .getByRole('button', { name: `Message ${bob}` })
    .click({ timeout: 10_000 })
    .catch(() => fail(`Ada's member list of #general has no "Message ${bob}" button`));
  await pageA
    .locator('.room-title', { hasText: bob })
    .waitFor({ timeout: 10_000 })
    .catch(() => fail('opening the DM did not show the conversation with Bob'));

  const secret = `just between us ${tag}`;
  await send(pageA, secret);
  await waitForMessage(pageA, ada, secret);

  const dmLink = pageB.locator('nav.sidebar .room-link', { has: pageB.locator('.room-link-name', { hasText: ada }) });
  await dmLink.waitFor({ timeout: 10_000 }).catch(() => fail(`Bob's sidebar shows no DM from ${ada}`));
  const badge = await dmLink.locator('.badge').innerText().catch(() => '');
  if (!badge.startsWith('1')) fail(`Bob's DM from Ada shows unread badge "${badge}", expected 1`);
  await openConversation(pageB, ada);
  await waitForMessage(pageB, bob, secret);

  // A marker in #general, sent after the DM: once Cy has it, the DM would have reached Cy too.
  const marker = `after the DM ${tag}`;
  await openConversation(pageA, 'general');
  await send(pageA, marker);
  await waitForMessage(pageC, cy, marker);
  if ((await pageC.getByText(secret).count()) > 0) fail('Cy sees the DM between Ada and Bob');
  if ((await pageC.locator('nav.sidebar .room-link-name', { hasText: ada }).count()) > 0) fail('Cy has a DM with Ada in the sidebar');
  if (wire.some((w) => w.includes(secret))) fail("the DM's text reached Cy's browser over the wire");
  if (!wire.some((w) => w.includes(marker))) fail("Cy's wire capture saw nothing (the check would prove nothing)");
});
