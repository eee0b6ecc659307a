// Runs `npm ci` unless node_modules already matches package-lock.json: npm writes
// node_modules/.package-lock.json at the end of every install, so when that file is newer than
// both package.json and package-lock.json the install is current. A clean clone always installs.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const web = join(dirname(fileURLToPath(import.meta.url)), '..');
const mtime = (f) => statSync(join(web, f)).mtimeMs;
const installed = join('node_modules', '.package-lock.json');

if (existsSync(join(web, installed)) && mtime(installed) >= Math.max(mtime('package.json'), mtime('package-lock.json'))) {
  console.log('node_modules is up to date with package-lock.json');
  process.exit(0);
}
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const result = spawnSync(npm, ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: web, stdio: 'inherit', shell: process.platform === 'win32' });
if (result.error) {
  console.error(`could not run npm: ${result.error.message}`);
  process.exit(1);
}
process.exit(result.status ?? 1);
