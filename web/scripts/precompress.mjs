// Writes a Brotli (.br) copy next to each compressible file of the build, so the server can
// send it to browsers that accept it without compressing at request time. Only copies that are
// smaller than the original are kept.
import { brotliCompressSync, constants } from "node:zlib";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, extname } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../target/classes/", import.meta.url));
const compressible = new Set([".html", ".js", ".mjs", ".css", ".svg", ".json", ".map", ".txt"]);
let written = 0;

function walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      walk(path);
    } else if (compressible.has(extname(name))) {
      const bytes = readFileSync(path);
      const br = brotliCompressSync(bytes, {
        params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
      });
      if (br.length < bytes.length) {
        writeFileSync(path + ".br", br);
        written++;
      }
    }
  }
}

for (const folder of ["public", "socketio-client"]) {
  walk(join(root, folder));
}
console.log(`precompress: ${written} Brotli files written`);
