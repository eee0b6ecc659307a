// Runs every scenario against one server, one after the other, and sums up.
// usage: node e2e/run-all.mjs <base URL> [scenario ...]
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ALL = [
  'app-loads',
  'realtime-chat',
  'history-reload',
  'typing-indicator',
  'direct-message',
  'private-room',
  'xss',
  'tutorial-interop',
  'accounts',
  'account-settings',
  'xss-corpus',
];
const [base, ...chosen] = process.argv.slice(2);
if (!base) {
  console.error(`usage: node e2e/run-all.mjs <base URL of a running Parley server> [${ALL.join(' | ')} ...]`);
  process.exit(2);
}
const here = dirname(fileURLToPath(import.meta.url));
let passed = 0;
let failed = 0;
for (const name of chosen.length ? chosen : ALL) {
  const r = spawnSync(process.execPath, [join(here, `${name}.mjs`), base], { stdio: 'inherit', timeout: 180_000 });
  if (r.status === 0) passed++;
  else {
    failed++;
    if (r.status === null) console.log(`FAIL ${name}: killed after 180 s (${r.signal ?? r.error?.message})`);
  }
}
console.log(`e2e: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
