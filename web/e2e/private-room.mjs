// Ada creates a room with "Private" ticked: it shows with a lock. Cy, not invited, does not find
// it in the room list. Ada invites Bob from the member list: the room appears in Bob's sidebar
// with its lock and Ada's messages reach him. Ada removes Bob: the room leaves his sidebar and he
// is told why.
import { findApp, joinAs, openConversation, send, waitForMessage } from './app.mjs';
import { fail, main, nonce } from './lib.mjs';

main(import.meta.url, {}, async ({ base, newPage }) => {
  const app = await findApp(base);
  const tag = nonce();
  const ada = `Ada ${tag}`;
  const bob = `Bob ${tag}`;
  const cy = `Cy ${tag}`;
  const room = `plans-${tag}`;
  const pageA = await newPage('ada');
  const pageB = await newPage('bob');
  const pageC = await newPage('cy');
  await joinAs(pageB, app, bob);
  await joinAs(pageC, app, cy);
  await joinAs(pageA, app, ada);
  const sidebarLink = (page) =>
    page.locator('nav.sidebar .room-link', { has: page.locator('.room-link-name', { hasText: room }) });

  await pageA.getByRole('button', { name: 'Browse or create rooms' }).click();
  const dialog = pageA.getByRole('dialog', { name: 'Rooms' });
  await dialog.getByLabel('Name').fill(room);
  await dialog.getByRole('checkbox', { name: /Private/ }).check();
  await dialog.getByRole('button', { name: 'Create room' }).click();
  await pageA
    .getByRole('textbox', { name: `Message ${room}` })
    .waitFor({ timeout: 10_000 })
    .catch(() => fail(`creating the private room ${room} did not open it`));
  if ((await sidebarLink(pageA).locator('svg').count()) === 0) fail(`Ada's sidebar shows ${room} without a lock`);
  if (!(await sidebarLink(pageA).innerText()).includes('(private)')) fail(`Ada's sidebar does not say ${room} is private`);

  const members = pageA.getByRole('complementary', { name: `Members of ${room}` });
  if (!(await members.isVisible())) await pageA.getByRole('button', { name: 'Members' }).click();
  await members.getByLabel(`Invite to ${room} by name`).fill(bob);
  await members.getByRole('button', { name: 'Invite', exact: true }).click();
  await members
    .locator('.member-name', { hasText: bob })
    .waitFor({ timeout: 10_000 })
    .catch(() => fail(`Bob does not show in the member list of ${room} after the invitation`));

  await sidebarLink(pageB)
    .waitFor({ timeout: 10_000 })
    .catch(() => fail(`Bob's sidebar does not show ${room} after the invitation`));
  if ((await sidebarLink(pageB).locator('svg').count()) === 0) fail(`Bob's sidebar shows ${room} without a lock`);
  await openConversation(pageB, room);
  const secret = `only for the invited ${tag}`;
  await send(pageA, secret);
  await waitForMessage(pageB, bob, secret);

  await pageC.getByRole('button', { name: 'Browse or create rooms' }).click();
  const browse = pageC.getByRole('dialog', { name: 'Rooms' });
  await browse.locator('.browse-name', { hasText: 'general' }).first().waitFor({ timeout: 10_000 })
    .catch(() => fail("Cy's room list did not load"));
  if ((await browse.locator('.browse-name', { hasText: room }).count()) > 0) fail(`Cy finds the private room ${room} in the room list`);
  if ((await sidebarLink(pageC).count()) > 0) fail(`Cy has ${room} in the sidebar`);

  await members.getByRole('button', { name: `Remove ${bob} from ${room}` }).click();
  await sidebarLink(pageB)
    .waitFor({ state: 'detached', timeout: 10_000 })
    .catch(() => fail(`${room} is still in Bob's sidebar after he was removed`));
  await pageB
    .locator('.notices', { hasText: `You were removed from ${room}.` })
    .waitFor({ timeout: 10_000 })
    .catch(() => fail('Bob was not told he was removed'));
  await pageB
    .getByRole('textbox', { name: 'Message #general' })
    .waitFor({ timeout: 10_000 })
    .catch(() => fail('Bob was not taken back to #general'));
});
