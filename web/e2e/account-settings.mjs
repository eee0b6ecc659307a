// The account's settings from the account menu. Ada creates an account and also signs in on a
// phone. She turns two-factor sign-in on: the dialog shows a QR code and the key, the scenario
// computes the app's code from that key (RFC 6238, below), and ten recovery codes are shown once.
// She signs out and in again, now with a code after the password. In "Signed-in devices" she
// sees this browser marked and the phone, signs the phone out, and the phone is told so.
import { createHmac } from 'node:crypto';
import { accountMenu, findApp, signIn, visibleText, waitForChat } from './app.mjs';
import { fail, main, nonce } from './lib.mjs';

const STEP_MS = 30_000;

/** The 6-digit TOTP code of a base32 `secret` for time step `step` (HMAC-SHA-1, as authenticator apps make it). */
function totp(secret, step) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secret.replace(/[\s=]/g, '').toUpperCase()) {
    const v = alphabet.indexOf(c);
    if (v < 0) fail(`the key shown, "${secret}", is not base32`);
    bits += v.toString(2).padStart(5, '0');
  }
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

const nowStep = () => Math.floor(Date.now() / STEP_MS);

main(import.meta.url, {}, async ({ base, newPage }) => {
  const app = await findApp(base);
  const tag = nonce();
  const ada = `ada-${tag}`;
  const password = `correct horse ${tag}`;
  const page = await newPage('ada');

  await page.goto(app);
  await page
    .getByRole('button', { name: 'Create account' })
    .click({ timeout: 15_000 })
    .catch(() => fail('the welcome screen offers no "Create account"'));
  await page.getByLabel('Username').fill(ada);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByLabel('Confirm password').fill(password);
  await page.getByLabel('Confirm password').press('Enter');
  await waitForChat(page, ada);

  const phone = await newPage('ada-phone', { viewport: { width: 390, height: 844 } });
  await signIn(phone, app, ada, password);
  await phone
    .getByRole('textbox', { name: 'Message #general' })
    .waitFor({ timeout: 15_000 })
    .catch(async () => fail(`the phone did not get into #general; it says: ${await visibleText(phone, '.welcome-card')}`));

  // Two-factor sign-in on.
  await accountMenu(page, 'Two-factor sign-in');
  const totpDialog = page.getByRole('dialog', { name: 'Two-factor sign-in' });
  await totpDialog.getByText('Two-factor sign-in is off.').waitFor().catch(async () => fail(`the dialog does not say it is off: ${await visibleText(page, 'dialog')}`));
  await totpDialog.getByRole('button', { name: 'Turn on' }).click();
  await totpDialog
    .getByRole('img', { name: 'QR code for your authenticator app' })
    .waitFor()
    .catch(async () => fail(`no QR code after "Turn on"; the dialog says: ${await visibleText(page, 'dialog')}`));
  const modules = await totpDialog.locator('svg.qr-code path').getAttribute('d');
  if (!modules || modules.split('z').length < 200) fail('the QR code has (almost) no dark modules');
  const secret = (await totpDialog.locator('.secret-text').innerText()).replace(/\s/g, '');
  const enabledAt = nowStep();
  await totpDialog.getByLabel('Code from the app').fill(totp(secret, enabledAt));
  await totpDialog.getByLabel('Code from the app').press('Enter');
  await totpDialog
    .getByText('Save these recovery codes now')
    .waitFor()
    .catch(async () => fail(`the code computed from the key was not taken; the dialog says: ${await visibleText(page, 'dialog')}`));
  const codes = await totpDialog.locator('.recovery-codes li').allInnerTexts();
  if (codes.length !== 10 || !codes.every((c) => /^[a-z0-9]{5}-[a-z0-9]{5}$/.test(c.trim()))) fail(`not ten recovery codes: ${codes.join(', ')}`);
  await totpDialog.getByRole('button', { name: 'I have saved them' }).click();
  await totpDialog.waitFor({ state: 'detached' });

  // Out, and in again with a code: a later step than the one enabling used (each step counts once).
  await accountMenu(page, 'Sign out');
  await page.locator('.welcome-notice', { hasText: 'You signed out.' }).waitFor();
  await signIn(page, app, ada, password);
  const code = page.getByLabel('Code', { exact: true });
  await code.waitFor().catch(async () => fail(`no code asked for after the password; the page says: ${await visibleText(page, '.welcome-card')}`));
  await code.fill(totp(secret, Math.max(nowStep(), enabledAt + 1)));
  await code.press('Enter');
  await waitForChat(page, ada);

  // The phone's session, signed out from here.
  await accountMenu(page, 'Signed-in devices');
  const devices = page.getByRole('dialog', { name: 'Signed-in devices' });
  const rows = devices.locator('.device-list li');
  await rows.first().waitFor().catch(async () => fail(`no devices listed: ${await visibleText(page, 'dialog')}`));
  const listed = await rows.allInnerTexts();
  if (listed.length !== 2) fail(`expected this browser and the phone, the list shows: ${listed.join(' / ')}`);
  if (!listed[0].includes('This device') || listed[1].includes('This device')) fail(`the current session is not the one marked: ${listed.join(' / ')}`);
  if (!listed.every((r) => /Signed in .+\n?.*Last used .+/s.test(r))) fail(`a row lacks its dates: ${listed.join(' / ')}`);
  const signOuts = devices.getByRole('button', { name: /^Sign out / });
  if ((await signOuts.count()) !== 1) fail('"Sign out" is not offered for exactly the one other session');
  await signOuts.click();
  await devices.getByText('was signed out.').waitFor().catch(async () => fail(`revoking did not succeed: ${await visibleText(page, 'dialog')}`));
  if ((await rows.count()) !== 1) fail('the signed-out session is still listed');

  await phone
    .locator('.welcome-notice', { hasText: 'You were signed out' })
    .waitFor({ timeout: 15_000 })
    .catch(async () => fail(`the phone was not told it was signed out; it shows: ${await visibleText(phone, 'body')}`));
  const phoneMe = await phone.evaluate(() => fetch('/api/v1/auth/me').then((r) => r.status));
  if (phoneMe !== 401) fail(`the revoked phone's /api/v1/auth/me answers ${phoneMe}, not 401`);
  await devices.getByRole('button', { name: 'Done' }).click();
  const stillIn = await page.evaluate(() => fetch('/api/v1/auth/me').then((r) => r.status));
  if (stillIn !== 200) fail(`this browser is no longer signed in after signing out the other (${stillIn})`);
});
