import { defineConfig } from 'vitest/config';

// The server these proxies reach during `npm run dev` / `npm run preview`.
const parleyServer = process.env.PARLEY_SERVER ?? 'http://localhost:3000';
// The accounts API keeps the page's Host, so that the server sees its POSTs as same-origin (their
// Origin is the dev server's) and the sign-in cookie is the dev server's too.
const proxy = {
  '/socket.io': { target: parleyServer, ws: true, changeOrigin: true },
  '/api': { target: parleyServer, changeOrigin: false },
};

export default defineConfig({
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    // Maven packs target/classes into the jar; the server serves public/ at "/".
    outDir: 'target/classes/public',
    emptyOutDir: true,
    assetsDir: 'assets',
    target: 'es2022',
  },
  server: { proxy },
  preview: { proxy },
  test: {
    include: ['src/**/*.test.{ts,tsx}'],
    environment: 'node',
  },
});
