// An account in the browser. Ada creates one (a mismatched confirmation is pointed out first) and
// is signed in; she chats with Bob, a guest; a reload keeps her signed in (the HttpOnly cookie,
// which the page cannot read); she signs out from the account menu and is back at the welcome
// screen with her connection closed (Bob sees her go offline). A wrong password is refused with
// the server's reason, the right one signs her in again. Signed in as Ada in a second browser too
// (phone-sized, dark), she changes her password in the first: the second is told why it was
// signed out, stays at the sign-in form without reconnecting, and signs in with the new password.
import { accountMenu, authorOf, findApp, joinAs, send, signIn, visibleText, waitForChat, waitForMessage } from './app.mjs';
import { fail, main, nonce, waitUntil } from './lib.mjs';

main(import.meta.url, {}, async ({ base, newPage }) => {
  const app = await findApp(base);
  const tag = nonce();
  const ada = `ada-${tag}`;
  const password = `correct horse ${tag}`;
  const newPassword = `battery staple ${tag}`;
  const bob = `Bob ${tag}`;
  const pageA = await newPage('ada');
  const pageB = await newPage('bob');

  await pageA.goto(app);
  await pageA
    .getByRole('button', { name: 'Create account' })
    .click({ timeout: 15_000 })
    .catch(() => fail('the welcome screen offers no "Create account"'));
  await pageA.getByLabel('Username').fill(ada);
  await pageA.getByLabel('Display name (optional)').fill(`Ada ${tag}`);
  await pageA.getByLabel('Password', { exact: true }).fill(password);
  const confirm = pageA.getByLabel('Confirm password');
  await confirm.fill(`${password}!`);
  await confirm.press('Enter');
  await pageA
    .getByText('The two passwords differ.')
    .waitFor()
    .catch(() => fail('a confirmation that differs from the password was not pointed out'));
  await confirm.fill(password);
  await confirm.press('Enter');
  await waitForChat(pageA, ada);

  await joinAs(pageB, app, bob);
  const hello = `hello from an account ${tag}`;
  await send(pageA, hello);
  await waitForMessage(pageB, bob, hello);
  const author = await authorOf(pageB, hello);
  if (author !== ada) fail(`Bob sees "${hello}" as written by ${author}, not ${ada}`);
  const reply = `hi ${ada}, Bob here ${tag}`;
  await send(pageB, reply);
  await waitForMessage(pageA, ada, reply);

  await pageA.reload();
  await pageA.locator('.chat, .welcome-card').first().waitFor({ timeout: 15_000 });
  if (await pageA.locator('.welcome-card').isVisible()) fail('after a reload the account was no longer signed in');
  await waitForChat(pageA, ada);
  await waitForMessage(pageA, `${ada} after reloading`, reply);
  const kept = await pageA.evaluate(() => ({ cookies: document.cookie, identity: localStorage.getItem('parley.identity') }));
  if (kept.cookies.includes('parley_session')) fail('the page can read the session cookie');
  if (kept.identity) fail(`the browser keeps a guest identity for an account: ${kept.identity}`);

  await accountMenu(pageA, 'Sign out');
  await pageA
    .locator('.welcome-notice', { hasText: 'You signed out.' })
    .waitFor()
    .catch(() => fail('signing out did not lead back to the welcome screen saying so'));
  const members = pageB.getByRole('complementary', { name: 'Members of #general' });
  await waitUntil(`Bob to see ${ada} go offline after she signed out`, async () => {
    const rows = await members.locator('.member-name', { hasText: ada }).allTextContents();
    return rows.length === 1 && rows[0].includes('offline');
  });
  const me = await pageA.evaluate(() => fetch('/api/v1/auth/me').then((r) => r.status));
  if (me !== 401) fail(`after signing out, /api/v1/auth/me answers ${me}, not 401`);

  await signIn(pageA, app, ada, 'not the password');
  await pageA
    .locator('.form-error', { hasText: 'Wrong username or password.' })
    .waitFor()
    .catch(async () => fail(`a wrong password was not refused as such; the page says: ${await visibleText(pageA, '.welcome-card')}`));
  await pageA.getByLabel('Password', { exact: true }).fill(password);
  await pageA.getByLabel('Password', { exact: true }).press('Enter');
  await waitForChat(pageA, ada);

  const phone = await newPage('ada-phone', { viewport: { width: 390, height: 844 }, colorScheme: 'dark' });
  await signIn(phone, app, ada, password);
  await phone
    .getByRole('textbox', { name: 'Message #general' })
    .waitFor({ timeout: 15_000 })
    .catch(async () => fail(`the phone did not get into #general; it says: ${await visibleText(phone, '.welcome-card, .connection-banner')}`));
  await phone.getByRole('button', { name: 'Open conversations' }).click();
  await phone
    .locator('.sidebar-me .me-name', { hasText: ada })
    .waitFor()
    .catch(() => fail(`the phone's sidebar does not show ${ada} signed in`));
  await phone.keyboard.press('Escape');
  const phoneConnections = [];
  phone.on('request', (r) => r.url().includes('/socket.io/') && phoneConnections.push(r.url()));

  await accountMenu(pageA, 'Change password');
  const dialog = pageA.getByRole('dialog', { name: 'Change password' });
  await dialog.getByLabel('Current password').fill(password);
  await dialog.getByLabel('New password', { exact: true }).fill(newPassword);
  await dialog.getByLabel('Confirm new password').fill(newPassword);
  await dialog.getByLabel('Confirm new password').press('Enter');
  await dialog
    .getByText('Your password was changed.')
    .waitFor()
    .catch(async () => fail(`changing the password did not succeed; the dialog says: ${await visibleText(pageA, 'dialog')}`));
  await dialog.getByRole('button', { name: 'Done' }).click();

  await phone
    .locator('.welcome-notice', { hasText: 'You were signed out' })
    .waitFor()
    .catch(async () => fail(`the phone was not told it was signed out; it shows: ${await visibleText(phone, 'body')}`));
  const shownName = await phone.getByLabel('Username').inputValue();
  if (shownName !== ada) fail(`the phone's sign-in form offers the username "${shownName}", not ${ada}`);
  phoneConnections.length = 0;
  // A bounded look for a reconnection: the client would try again one second after a server
  // disconnect, so two and a half seconds of silence mean it stays out.
  await phone.waitForTimeout(2500);
  if (phoneConnections.length) fail(`the signed-out phone connected again: ${phoneConnections[0]}`);
  if (await phone.getByRole('textbox', { name: 'Message #general' }).count()) fail('the signed-out phone shows the chat again');

  const after = `still signed in here ${tag}`;
  await send(pageA, after);
  await waitForMessage(pageB, bob, after);

  await phone.getByLabel('Password', { exact: true }).fill(newPassword);
  await phone.getByLabel('Password', { exact: true }).press('Enter');
  await phone
    .getByRole('textbox', { name: 'Message #general' })
    .waitFor({ timeout: 15_000 })
    .catch(() => fail('the phone could not sign in with the new password'));
});
