// Messages are still there after a reload, the browser is still the same user, and someone who
// arrives later sees them too.
import { findApp, joinAs, messageRows, send, waitForChat, waitForMessage } from './app.mjs';
import { fail, main, nonce } from './lib.mjs';

main(import.meta.url, {}, async ({ base, newPage }) => {
  const app = await findApp(base);
  const tag = nonce();
  const ada = `Ada ${tag}`;
  const page = await newPage('ada');
  await joinAs(page, app, ada);
  const texts = [1, 2, 3].map((i) => `history ${i} ${tag}`);
  for (const t of texts) {
    await send(page, t);
    await waitForMessage(page, ada, t);
  }

  await page.reload();
  await page.locator('.chat, .welcome-card').first().waitFor({ timeout: 15_000 });
  if (await page.locator('.welcome-card').isVisible()) fail('after a reload the app showed the welcome screen again');
  await waitForChat(page, ada);
  for (const t of texts) await waitForMessage(page, `${ada} after reloading`, t);
  const order = await page.locator('.messages .msg-text').allTextContents();
  const seen = order.filter((t) => texts.includes(t));
  if (seen.join('|') !== texts.join('|')) fail(`after a reload the messages read ${JSON.stringify(seen)}, not in sent order`);
  for (const t of texts) {
    const n = await messageRows(page, t).count();
    if (n !== 1) fail(`after a reload "${t}" shows ${n} times`);
  }

  const later = await newPage('cy');
  await joinAs(later, app, `Cy ${tag}`);
  for (const t of texts) await waitForMessage(later, 'a user who joined later', t);
});
