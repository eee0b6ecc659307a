// Copies the official browser bundle of socket.io-client (the version in package-lock.json) to
// target/classes/socketio-client/, so the server can serve /socket.io/socket.io.js the way a
// Node.js Socket.IO server does. Every file of the package's dist/ goes: the plain, minified,
// ESM and msgpack bundles and their source maps.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const web = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkgDir = join(web, 'node_modules', 'socket.io-client');
const dist = join(pkgDir, 'dist');
const out = join(web, 'target', 'classes', 'socketio-client');

if (!existsSync(join(dist, 'socket.io.js'))) {
  console.error(`socket.io-client is not installed (no ${dist}/socket.io.js): run npm ci in web/ first`);
  process.exit(1);
}
const version = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')).version;
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const files = readdirSync(dist).filter((f) => f.endsWith('.js') || f.endsWith('.map'));
for (const f of files) copyFileSync(join(dist, f), join(out, f));
// The packaged version, readable without parsing a bundle.
writeFileSync(join(out, 'VERSION'), `${version}\n`);
console.log(`socket.io-client ${version}: copied ${files.length} files to ${out}`);
