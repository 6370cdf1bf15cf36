// Renderer tests (test/renderer/, support in test/support/renderer/): React components and stores in
// jsdom, against a FakeGatehouse. A project of the root vitest config, so `npx vitest run` runs these
// beside the engine's node tests; its root is the repository's, where the tests live. Without
// isolation: a worker builds jsdom once and runs file after file in it (building it per file cost
// more than the tests). That holds because each test renders with stores of its own (createAppStores)
// and the setup file unmounts what it rendered and resets the route.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineProject } from 'vitest/config';
import { rendererAlias } from '../vite.config.js';

export default defineProject({
  plugins: [react()],
  resolve: { alias: rendererAlias },
  test: {
    name: 'renderer',
    root: fileURLToPath(new URL('..', import.meta.url)),
    include: ['test/renderer/**/*.test.{ts,tsx}'],
    environment: 'jsdom',
    isolate: false,
    // As the root config's: vitest runs projects of one group order only on equal worker counts.
    maxWorkers: 3,
    setupFiles: ['test/support/renderer/setup.ts'],
  },
});
