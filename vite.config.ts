// Builds the renderer (renderer/ → dist/renderer). Relative asset paths (`base: './'`) because the
// same bundle is loaded from the packaged app's files by Electron and from /ui/ by `gatehouse serve`.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/**
 * `@core/…` is main/core/… : the Node-free part of the engine the renderer shares (the contract,
 * text.ts, the catalog's checks). Declared here for `vite build`, reused by renderer/vitest.config.ts;
 * tsc, knip and dependency-cruiser read the same mapping from the tsconfig files' `paths`.
 */
export const rendererAlias = { '@core': fileURLToPath(new URL('main/core', import.meta.url)) };

/**
 * `vite` (the dev server) injects inline scripts and styles (React Fast Refresh, CSS hot reload) and
 * talks to the page over a WebSocket, which renderer/index.html's strict CSP forbids. Relaxed for the
 * dev server only; `vite build` keeps the policy exactly as written.
 */
const devServerCsp: Plugin = {
  name: 'gatehouse-dev-server-csp',
  apply: 'serve',
  transformIndexHtml: (html) =>
    html
      .replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
      .replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
      .replace("connect-src 'self'", "connect-src 'self' ws: http://127.0.0.1:*"),
};

export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react(), devServerCsp],
  resolve: { alias: rendererAlias },
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    // Electron 45 and current browsers: no legacy transforms, no inline module-preload polyfill.
    target: 'es2023',
    modulePreload: { polyfill: false },
  },
});
