// Shared plumbing for the browser scenarios: argument and server checks, Debian's Chromium through
// playwright-core, one bounded run, a PASS/FAIL line, screenshots of every page on failure.
import { mkdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// Playwright's launch() gives every run a fresh temporary --user-data-dir of its own.
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
export const SHOT_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'target', 'e2e');

/** A failure whose message is the whole story (no stack trace needed). */
export class ScenarioError extends Error {}

export function fail(message) {
  throw new ScenarioError(message);
}

/** A short random tag so repeated runs against one server never see each other's messages. */
export function nonce() {
  return Math.random().toString(36).slice(2, 8);
}

function usage(script) {
  console.error(`usage: node e2e/${script}.mjs <base URL of a running Parley server>, e.g. http://127.0.0.1:3000`);
  process.exit(2);
}

function parseBase(script) {
  const raw = process.argv[2];
  if (!raw) usage(script);
  let url;
  try {
    url = new URL(raw);
  } catch {
    usage(script);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') usage(script);
  return url.href.replace(/\/+$/, '');
}

async function get(url, timeoutMs = 5000) {
  try {
    return await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' });
  } catch (e) {
    const cause = e.cause?.code ?? e.cause?.message ?? e.message;
    fail(`no server answers at ${url} (${cause}). Start Parley (for example java -jar server/target/parley.jar --port 3000) and pass its URL.`);
  }
}

/** Fails unless a Socket.IO server answers the Engine.IO v4 handshake at `base`. */
export async function requireSocketIo(base) {
  const url = `${base}/socket.io/?EIO=4&transport=polling`;
  const res = await get(url);
  const body = await res.text();
  if (res.status !== 200 || !body.startsWith('0{')) {
    fail(`${base} answered the Socket.IO handshake with HTTP ${res.status} "${body.slice(0, 80)}": is it a Parley server?`);
  }
}

/**
 * Runs one scenario: `body(ctx)` gets `ctx.base`, `ctx.newPage(label, options)` (each page in its
 * own browser context, so its own storage and its own user; `options.bypassCSP` ignores the pages'
 * Content-Security-Policy) and must finish within `timeoutMs`.
 * Prints "PASS name (n s)" or "FAIL name: why" and exits 0 or 1.
 */
export async function runScenario(script, { needsSocketIo = true, timeoutMs = 90_000 } = {}, body) {
  const name = basename(script, '.mjs');
  const base = parseBase(name);
  const started = Date.now();
  const pages = [];
  let browser;
  let timer;
  try {
    if (needsSocketIo) await requireSocketIo(base);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true }).catch((e) =>
      fail(`could not start Chromium at ${CHROMIUM} (${e.message.split('\n')[0]}); install it with apt-get install -y chromium`),
    );
    const ctx = {
      base,
      async newPage(label, { viewport = { width: 1280, height: 800 }, colorScheme = 'light', bypassCSP = false } = {}) {
        const context = await browser.newContext({ viewport, colorScheme, bypassCSP });
        context.setDefaultTimeout(10_000);
        const page = await context.newPage();
        const errors = [];
        page.on('pageerror', (e) => errors.push(e.message));
        pages.push({ label, page, errors });
        return page;
      },
      pageErrors(page) {
        return pages.find((p) => p.page === page)?.errors ?? [];
      },
    };
    await Promise.race([
      body(ctx),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new ScenarioError(`timed out after ${timeoutMs / 1000} s`)), timeoutMs);
      }),
    ]);
    if (process.env.PARLEY_E2E_SCREENSHOTS === 'always') await screenshots(name, pages);
    console.log(`PASS ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    return 0;
  } catch (e) {
    const why = e instanceof ScenarioError ? e.message : (e?.stack ?? String(e));
    const shots = await screenshots(name, pages);
    console.log(`FAIL ${name}: ${why}`);
    if (shots.length) console.log(`  screenshots: ${shots.join(', ')}`);
    for (const p of pages) if (p.errors.length) console.log(`  page errors in ${p.label}: ${p.errors.join(' | ')}`);
    return 1;
  } finally {
    clearTimeout(timer);
    await browser?.close().catch(() => {});
  }
}

async function screenshots(name, pages) {
  if (pages.length === 0) return [];
  mkdirSync(SHOT_DIR, { recursive: true });
  const written = [];
  for (const { label, page } of pages) {
    const file = join(SHOT_DIR, `${name}-${label}.png`);
    try {
      await page.screenshot({ path: file, timeout: 5000 });
      written.push(file);
    } catch {
      // a page that crashed or closed has nothing to show
    }
  }
  return written;
}

/** Waits for `predicate()` (sync or async) to be truthy, polling; fails with `what` after `ms`. */
export async function waitUntil(what, predicate, ms = 10_000, everyMs = 100) {
  const end = Date.now() + ms;
  for (;;) {
    if (await predicate()) return;
    if (Date.now() > end) fail(`timed out after ${ms / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export function main(script, options, body) {
  runScenario(script, options, body).then((code) => process.exit(code));
}
