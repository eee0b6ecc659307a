// The XSS corpus (xss-corpus.json) through the real web app and a tutorial page: every payload
// sets window.__xss if it ever runs. Pages run with their Content-Security-Policy bypassed, so that
// only the way text is put on screen stands between a payload and the flag.
// - Ada posts every payload, and a 4,000-character line, in a room of her own; Bob sees each as
//   the exact text sent, live and again from history after a reload.
// - Ada creates rooms whose topics hold the corpus; Bob sees them as text in the room list and
//   in the room's header.
// - Markup is refused as a guest name and as a room name, and the refusal is shown as text.
// - A tutorial page written with textContent/innerText (tutorial-public/text-only.html) posts the
//   corpus, joins under markup names and types: another such page shows every line as text, and
//   so does the web app in #general.
// Nowhere does the flag get set, a dialog open, or an element come out of a payload.
import { readFileSync } from 'node:fs';
import { findApp, joinAs, openConversation, send, waitForChat } from './app.mjs';
import { fail, main, nonce, waitUntil } from './lib.mjs';

const corpus = JSON.parse(readFileSync(new URL('./xss-corpus.json', import.meta.url), 'utf8'));
const { unit, length } = corpus.longLine;
const longLine = unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
const texts = [...corpus.payloads, ...corpus.shortPayloads, longLine];

/** The corpus packed into topics of at most 200 characters (topics are short). */
function topicsOf(payloads) {
  const topics = [];
  for (const p of payloads) {
    const last = topics[topics.length - 1];
    if (last && last.length + 3 + p.length <= 200) topics[topics.length - 1] = `${last} | ${p}`;
    else topics.push(p);
  }
  return topics;
}

/** Fails if a payload ran in the page or made an element where only text belongs. */
async function checkNothingRan(page, who, textSelectors) {
  const { flag, withChildren } = await page.evaluate((selectors) => {
    const made = [];
    for (const el of document.querySelectorAll(selectors.join(', '))) {
      if (el.childElementCount > 0) made.push(`${el.className}: ${el.innerHTML.slice(0, 80)}`);
    }
    return { flag: window.__xss, withChildren: made };
  }, textSelectors);
  if (flag !== undefined) fail(`a payload ran in ${who}'s page (window.__xss = ${flag})`);
  if (withChildren.length) fail(`${who}'s page made elements out of text: ${withChildren.slice(0, 3).join(' / ')}`);
}

/** Waits until every text in `wanted` is shown, exactly, by an element matching `selector`. */
async function waitForTexts(page, who, selector, wanted, ms = 20_000) {
  const missing = () =>
    page.evaluate(
      ([sel, all]) => {
        const shown = new Set([...document.querySelectorAll(sel)].map((e) => e.textContent));
        return all.filter((t) => !shown.has(t));
      },
      [selector, wanted],
    );
  await waitUntil(`${who} to show the corpus as text`, async () => (await missing()).length === 0, ms).catch(async () =>
    fail(`${who} does not show, as sent: ${JSON.stringify((await missing()).slice(0, 3).map((t) => t.slice(0, 80)))}`),
  );
}

const MESSAGE_TEXT = '.messages .msg[data-state="sent"] .msg-text';
const APP_TEXT = ['.msg-text', '.msg-author', '.room-topic', '.browse-info .muted', '.room-link-name', '.field-error'];

main(import.meta.url, { timeoutMs: 170_000 }, async ({ base, newPage }) => {
  const app = await findApp(base);
  const tag = nonce();
  const pageA = await newPage('ada', { bypassCSP: true });
  const pageB = await newPage('bob', { bypassCSP: true });
  let dialogs = 0;
  const countDialogs = (p) => p.on('dialog', (d) => (dialogs++, d.dismiss().catch(() => {})));
  countDialogs(pageA);
  countDialogs(pageB);

  // Markup is no guest name: refused, and the refusal is text.
  await pageA.goto(app);
  await pageA.getByRole('button', { name: 'Continue as guest' }).click({ timeout: 15_000 });
  const nameInput = pageA.getByLabel('Your name');
  await nameInput.waitFor({ timeout: 15_000 });
  await nameInput.fill(corpus.shortPayloads[1]);
  await pageA.getByRole('button', { name: 'Join the chat' }).click();
  await pageA.locator('.field-error').waitFor({ timeout: 10_000 }).catch(() => fail('a markup name was not refused'));
  await checkNothingRan(pageA, 'Ada (name picker)', APP_TEXT);
  await joinAs(pageA, app, `Ada ${tag}`);
  await joinAs(pageB, app, `Bob ${tag}`);

  // Topics: one room per 200 characters of corpus; the first room also gets the messages.
  const topics = topicsOf([...corpus.payloads, ...corpus.shortPayloads]);
  const rooms = topics.map((_, i) => `xss-${tag}-${i}`);
  for (let i = 0; i < topics.length; i++) {
    await pageA.getByRole('button', { name: 'Browse or create rooms' }).click();
    const dialog = pageA.getByRole('dialog', { name: 'Rooms' });
    await dialog.getByLabel('Name').fill(i === 0 ? corpus.shortPayloads[0] : rooms[i]);
    await dialog.getByLabel('Topic (optional)').fill(topics[i]);
    await dialog.getByRole('button', { name: 'Create room' }).click();
    if (i === 0) {
      // Markup is no room name either.
      await dialog.locator('.field-error').waitFor({ timeout: 10_000 }).catch(() => fail('a markup room name was not refused'));
      await checkNothingRan(pageA, 'Ada (room form)', APP_TEXT);
      await dialog.getByLabel('Name').fill(rooms[0]);
      await dialog.getByRole('button', { name: 'Create room' }).click();
    }
    await pageA
      .getByRole('textbox', { name: `Message #${rooms[i]}` })
      .waitFor({ timeout: 10_000 })
      .catch(() => fail(`creating ${rooms[i]} did not open it`));
  }

  await pageB.getByRole('button', { name: 'Browse or create rooms' }).click();
  const browse = pageB.getByRole('dialog', { name: 'Rooms' });
  await waitForTexts(pageB, "Bob's room list", '.browse-info .muted', topics.map((t) => `1 member · ${t}`));
  await checkNothingRan(pageB, 'Bob (room list)', APP_TEXT);
  await browse.getByRole('button', { name: `Join #${rooms[0]}` }).click();
  await pageB.getByRole('textbox', { name: `Message #${rooms[0]}` }).waitFor({ timeout: 10_000 });
  const header = await pageB.locator('.room-topic').first().textContent();
  if (header !== topics[0]) fail(`Bob's header shows the topic as ${JSON.stringify(header)}, not as set`);

  await openConversation(pageA, rooms[0]);
  await pageA.getByRole('textbox', { name: `Message #${rooms[0]}` }).waitFor({ timeout: 10_000 });
  for (const text of texts) await send(pageA, text);
  await waitForTexts(pageA, 'Ada', MESSAGE_TEXT, texts, 30_000);
  await waitForTexts(pageB, 'Bob', MESSAGE_TEXT, texts);
  await checkNothingRan(pageA, 'Ada', APP_TEXT);
  await checkNothingRan(pageB, 'Bob', APP_TEXT);

  // From history this time.
  await pageB.reload();
  await waitForChat(pageB, `Bob ${tag}`);
  await openConversation(pageB, rooms[0]);
  await waitForTexts(pageB, 'Bob after a reload', MESSAGE_TEXT, texts);
  await checkNothingRan(pageB, 'Bob after a reload', APP_TEXT);

  // The tutorial's way: pages of the user's own that put the server's strings on screen as text.
  const tutorialUrl = `${base}/text-only.html`;
  const pageW = await newPage('tutorial-writer', { bypassCSP: true });
  const pageR = await newPage('tutorial-reader', { bypassCSP: true });
  countDialogs(pageW);
  countDialogs(pageR);
  const res = await pageR.goto(`${tutorialUrl}?name=${encodeURIComponent(`Reader_${tag}`)}`);
  if (!res?.ok()) fail(`${tutorialUrl} answered HTTP ${res?.status()}: start the server with --public-dir web/e2e/tutorial-public`);
  await waitUntil('the reader page to connect', () => pageR.evaluate('socket.connected'), 10_000);
  for (const name of corpus.shortPayloads) {
    await pageW.goto(`${tutorialUrl}?name=${encodeURIComponent(name)}`);
    await waitForTexts(pageR, 'the tutorial reader', '#lines li.join', [`${name} joined the chat`]);
    await waitUntil(`the user list to show ${name}`, async () => (await pageR.locator('#users').textContent()).includes(name));
  }
  await pageW.locator('#input').pressSequentially('x');
  await waitUntil('the typing line', async () => (await pageR.locator('#typing').textContent()).endsWith(' is typing...'));
  const typingLine = await pageR.locator('#typing').textContent();
  const lastName = corpus.shortPayloads[corpus.shortPayloads.length - 1];
  if (typingLine !== `${lastName} is typing...`) fail(`the reader shows typing as ${JSON.stringify(typingLine)}`);

  await openConversation(pageA, 'general');
  const tutorialTexts = corpus.payloads.map((p) => `${p} ${tag}`);
  for (const text of tutorialTexts) {
    await pageW.locator('#input').fill(text);
    await pageW.locator('#send').click();
  }
  // "name: text", where the name is the one stored for the writer (markup names are stored as "guest").
  await waitUntil(
    'the tutorial reader to show every line',
    () =>
      pageR.evaluate((all) => {
        const shown = [...document.querySelectorAll('#lines li.message')].map((li) => li.textContent);
        return all.every((t) => shown.some((s) => s.endsWith(`: ${t}`) && /^[\p{L}\p{N}_. -]+$/u.test(s.slice(0, -t.length - 2))));
      }, tutorialTexts),
    20_000,
  ).catch(() => fail('the tutorial reader does not show every line the writer sent as "name: text"'));
  await waitForTexts(pageA, 'Ada in #general', MESSAGE_TEXT, tutorialTexts);
  for (const [who, page] of [['the tutorial writer', pageW], ['the tutorial reader', pageR]]) {
    await checkNothingRan(page, who, ['#lines li', '#users', '#typing']);
  }
  await checkNothingRan(pageA, 'Ada in #general', APP_TEXT);
  if (dialogs > 0) fail(`${dialogs} dialog(s) opened`);
});
