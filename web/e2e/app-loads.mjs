// The built app loads with no script errors and shows the welcome screen, at desktop and phone
// sizes, light and dark. Needs only a static server (vite preview or Parley), no chat server.
// The page is served with a strict Content-Security-Policy added here (no inline script or
// style), so anything the policy would block shows up as a failure.
// Writes target/e2e/app-loads-<size>-<scheme>.png either way.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { findApp } from './app.mjs';
import { SHOT_DIR, fail, main } from './lib.mjs';

const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/**
 * On load the app asks GET /api/v1/auth/me who is signed in. "Nobody" is the API's 401, and a
 * static server (vite preview) has no API at all; Chromium logs either as a failed resource, and
 * the app shows the sign-in form. That one request may fail; every other console error counts.
 */
function signedOutCheck(message) {
  return message.text().startsWith('Failed to load resource') && /\/api\/v1\/auth\/me$/.test(message.location().url ?? '');
}

const SIZES = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 390, height: 844 },
};

main(import.meta.url, { needsSocketIo: false }, async ({ base, newPage, pageErrors }) => {
  const url = await findApp(base);
  mkdirSync(SHOT_DIR, { recursive: true });
  for (const [size, viewport] of Object.entries(SIZES)) {
    for (const colorScheme of ['light', 'dark']) {
      const label = `${size}-${colorScheme}`;
      const page = await newPage(label, { viewport, colorScheme });
      const csp = [];
      page.on('console', (m) => m.type() === 'error' && !signedOutCheck(m) && csp.push(m.text()));
      await page.route(url, async (route) => {
        const response = await route.fetch();
        await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': CSP } });
      });
      await page.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
      });
      await page.goto(url);
      await page.getByLabel('Username').waitFor().catch(() => fail(`${label}: the sign-in form did not show`));
      const inline = await page.evaluate(() => [...document.scripts].filter((s) => !s.src && s.textContent.trim()).length);
      if (inline > 0) fail(`${label}: the page has ${inline} inline script(s); the CSP forbids them`);
      const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      const dark = bg.match(/\d+/g).slice(0, 3).reduce((a, b) => a + Number(b), 0) < 300;
      if (dark !== (colorScheme === 'dark')) fail(`${label}: the page background ${bg} does not follow the ${colorScheme} scheme`);
      if (pageErrors(page).length) fail(`${label}: script errors: ${pageErrors(page).join(' | ')}`);
      if (csp.length) fail(`${label}: console errors: ${csp.join(' | ')}`);
      await page.screenshot({ path: join(SHOT_DIR, `app-loads-${label}.png`) });
    }
  }
});
