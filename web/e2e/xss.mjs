// Markup in a message is shown as text: no element is created and no script runs, for the sender
// and for the receiver.
import { findApp, joinAs, messageRows, send, waitForMessage } from './app.mjs';
import { fail, main, nonce } from './lib.mjs';

main(import.meta.url, {}, async ({ base, newPage }) => {
  const app = await findApp(base);
  const tag = nonce();
  const payload = `<img src=x onerror="window.__xss=1"> <script>window.__xss=2</script> ${tag}`;
  const pageA = await newPage('ada');
  const pageB = await newPage('bob');
  let dialogs = 0;
  for (const p of [pageA, pageB]) p.on('dialog', (d) => (dialogs++, d.dismiss()));
  await joinAs(pageA, app, `Ada ${tag}`);
  await joinAs(pageB, app, `Bob ${tag}`);

  await send(pageA, payload);
  for (const [who, page] of [['Ada', pageA], ['Bob', pageB]]) {
    await waitForMessage(page, who, payload);
    const shown = await messageRows(page, payload).locator('.msg-text').first().textContent();
    if (shown !== payload) fail(`${who} sees ${JSON.stringify(shown)} instead of the text as sent`);
    const images = await page.locator('.messages img, .messages script').count();
    if (images > 0) fail(`${who}'s message list has ${images} <img>/<script> elements made from message text`);
    const ran = await page.evaluate(() => window.__xss);
    if (ran !== undefined) fail(`a script from the message ran in ${who}'s page (window.__xss = ${ran})`);
  }
  if (dialogs > 0) fail(`${dialogs} dialog(s) opened while showing the message`);
});
