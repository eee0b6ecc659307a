// A page written the tutorial's way (e2e/tutorial-public/index.html, served by the server with
// --public-dir) and the Parley web app chat with each other in general, both ways.
// The tutorial page is at PARLEY_TUTORIAL_URL (default <base>/, where --public-dir puts it); the
// web app wherever findApp() finds it (the tutorial page takes "/", so /app/ or PARLEY_APP_URL).
import { authorOf, findApp, joinAs, waitForMessage } from './app.mjs';
import { fail, main, nonce, waitUntil } from './lib.mjs';

main(import.meta.url, {}, async ({ base, newPage }) => {
  const tag = nonce();
  const tutor = `Tutor_${tag}`;
  const web = `Web_${tag}`;
  const tutorialUrl = process.env.PARLEY_TUTORIAL_URL ?? `${base}/`;
  const app = await findApp(base);

  const pageT = await newPage('tutorial');
  pageT.on('dialog', (d) => (d.type() === 'prompt' ? d.accept(tutor) : d.dismiss()));
  const pageW = await newPage('webapp');
  await joinAs(pageW, app, web);

  const res = await pageT.goto(tutorialUrl);
  if (!res?.ok()) fail(`the tutorial page at ${tutorialUrl} answered HTTP ${res?.status()}`);
  if (!(await pageT.locator('#form #input').count())) {
    fail(`${tutorialUrl} is not the tutorial page: start the server with --public-dir web/e2e/tutorial-public`);
  }
  await waitUntil('the tutorial page to connect', () => pageT.evaluate('typeof socket !== "undefined" && socket.connected'), 10_000);
  await pageT
    .locator('#users', { hasText: tutor })
    .waitFor({ timeout: 10_000 })
    .catch(async () => fail(`the tutorial page's user list never listed ${tutor} ("${await pageT.locator('#users').innerText()}")`));

  // Tutorial → web app.
  const fromTutorial = `hello from the tutorial page ${tag}`;
  await pageT.locator('#input').fill(fromTutorial);
  await pageT.locator('#send').click();
  await waitForMessage(pageW, 'the web app', fromTutorial);
  const author = await authorOf(pageW, fromTutorial);
  if (author !== tutor) fail(`the web app shows the tutorial's message as written by ${author}, not ${tutor}`);

  // Web app → tutorial, as "name: text".
  const fromWeb = `hello from the Parley app ${tag}`;
  const composer = pageW.locator('textarea.composer-input');
  await composer.fill(fromWeb);
  await composer.press('Enter');
  const line = `${web}: ${fromWeb}`;
  await pageT
    .locator('#messages li')
    .getByText(line, { exact: true })
    .waitFor({ timeout: 10_000 })
    .catch(async () => {
      const last = (await pageT.locator('#messages li').allInnerTexts()).slice(-3);
      fail(`the tutorial page did not show "${line}"; its last lines: ${JSON.stringify(last)}`);
    });
});
