// While Ada types, Bob sees "Ada … is typing…"; it goes away when she sends.
import { findApp, joinAs, waitForMessage } from './app.mjs';
import { fail, main, nonce } from './lib.mjs';

main(import.meta.url, {}, async ({ base, newPage }) => {
  const app = await findApp(base);
  const tag = nonce();
  const ada = `Ada ${tag}`;
  const bob = `Bob ${tag}`;
  const pageA = await newPage('ada');
  const pageB = await newPage('bob');
  await joinAs(pageA, app, ada);
  await joinAs(pageB, app, bob);

  const typingLine = pageB.locator('.typing-line');
  const composer = pageA.locator('textarea.composer-input');
  await composer.click();
  await composer.pressSequentially('I am writing something', { delay: 40 });
  await typingLine
    .getByText(`${ada} is typing…`)
    .waitFor({ timeout: 8000 })
    .catch(async () => fail(`Bob's typing line says "${await typingLine.innerText()}", not "${ada} is typing…"`));

  const text = `typed and sent ${tag}`;
  await composer.fill(text);
  await composer.press('Enter');
  await waitForMessage(pageB, bob, text);
  await typingLine
    .getByText(`${ada} is typing…`)
    .waitFor({ state: 'detached', timeout: 8000 })
    .catch(() => fail(`Bob still sees "${ada} is typing…" after her message arrived`));
  const own = await pageA.locator('.typing-line').innerText();
  if (own.includes(ada)) fail(`Ada is shown her own typing: "${own}"`);
});
