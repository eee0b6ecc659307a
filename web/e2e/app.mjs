// How the scenarios drive the Parley web app: by the labels and roles a person's screen reader
// would use, so the tests also check that those exist.
import { fail, waitUntil } from './lib.mjs';

/**
 * Where the web app is: PARLEY_APP_URL if set, else the server's root, else /app/ (when the
 * server runs with --public-dir, the user's own index.html takes the root).
 */
export async function findApp(base) {
  if (process.env.PARLEY_APP_URL) return process.env.PARLEY_APP_URL;
  for (const url of [`${base}/`, `${base}/app/`]) {
    let res;
    try {
      res = await fetch(url, { signal: AbortSignal.timeout(5000) });
    } catch (e) {
      return fail(`no server answers at ${url} (${e.cause?.code ?? e.cause?.message ?? e.message})`);
    }
    if (res.ok && (await res.text()).includes('id="app"')) return url;
  }
  return fail(`neither ${base}/ nor ${base}/app/ serves the Parley web app; set PARLEY_APP_URL to where it is`);
}

/** Opens the app, chooses to continue as a guest named `name` and waits until general is open and connected. */
export async function joinAs(page, url, name) {
  await page.goto(url);
  await page
    .getByRole('button', { name: 'Continue as guest' })
    .click({ timeout: 15_000 })
    .catch(() => fail(`the welcome screen at ${url} offers no "Continue as guest"`));
  const nameInput = page.getByLabel('Your name');
  await nameInput.waitFor().catch(() => fail(`the guest's name field did not show at ${url}`));
  await nameInput.fill(name);
  await page.getByRole('button', { name: 'Join the chat' }).click();
  await waitForChat(page, name);
}

/** Opens the app and signs in from the welcome screen, pressing Enter in the password field. */
export async function signIn(page, url, username, password) {
  await page.goto(url);
  const usernameInput = page.getByLabel('Username');
  await usernameInput.waitFor({ timeout: 15_000 }).catch(() => fail(`the sign-in form did not show at ${url}`));
  await usernameInput.fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByLabel('Password', { exact: true }).press('Enter');
}

/** Opens the account menu at the foot of the sidebar and chooses `item`. */
export async function accountMenu(page, item) {
  await page.getByRole('button', { name: /account menu/ }).click();
  await page.getByRole('menuitem', { name: item }).click();
}

/** Waits until the chat shows `name` signed in with general open and the connection up. */
export async function waitForChat(page, name) {
  const composer = page.getByRole('textbox', { name: 'Message #general' });
  try {
    await composer.waitFor({ timeout: 15_000 });
    await page.locator('.sidebar-me .me-name', { hasText: name }).waitFor({ timeout: 15_000 });
  } catch {
    const said = await visibleText(page, '.connection-banner, .field-error, .form-error, .welcome-notice, .notices');
    fail(`${name} did not get into #general${said ? `; the page says: ${said}` : ''}`);
  }
  await waitUntil(`${name}'s connection`, async () => !(await page.locator('.connection-banner.shown').count()), 15_000);
}

/** The text of every element matching `selector`, joined with " / ". */
export async function visibleText(page, selector) {
  const texts = await page.locator(selector).allInnerTexts().catch(() => []);
  return texts.map((t) => t.trim()).filter(Boolean).join(' / ');
}

/** Types `text` in the open room's composer and presses Enter. */
export async function send(page, text) {
  const composer = page.locator('textarea.composer-input');
  await composer.fill(text);
  await composer.press('Enter');
}

/** The message rows of the open room whose text is exactly `text`. */
export function messageRows(page, text) {
  return page.locator('.messages .msg').filter({ has: page.locator('.msg-text').getByText(text, { exact: true }) });
}

/** Waits until the open room shows a message with exactly `text`, acknowledged by the server. */
export async function waitForMessage(page, who, text, ms = 10_000) {
  await messageRows(page, text)
    .and(page.locator('[data-state="sent"]'))
    .first()
    .waitFor({ timeout: ms })
    .catch(() => fail(`${who} did not see the message "${text}" within ${ms / 1000} s`));
}

/** The author shown for the message with exactly `text` (grouped rows inherit the one above). */
export async function authorOf(page, text) {
  return page.evaluate((t) => {
    const rows = [...document.querySelectorAll('.messages .msg')];
    const i = rows.findIndex((r) => r.querySelector('.msg-text')?.textContent === t);
    for (let j = i; j >= 0; j--) {
      const author = rows[j].querySelector('.msg-author');
      if (author) return author.textContent;
    }
    return null;
  }, text);
}

/** Opens a room or DM from the sidebar by its title. */
export async function openConversation(page, title) {
  await page.locator('nav.sidebar .room-link', { has: page.locator('.room-link-name', { hasText: title }) }).first().click();
}
