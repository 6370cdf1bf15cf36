// Renderer tests: React components and stores in jsdom, against a fake GatehouseApi (test/fake-api.ts).
// A project of the root vitest config, so `npx vitest run` runs these beside the engine's node tests.
import react from '@vitejs/plugin-react';
import { defineProject } from 'vitest/config';
import { rendererAlias } from '../vite.config.js';

export default defineProject({
  plugins: [react()],
  resolve: { alias: rendererAlias },
  test: {
    name: 'renderer',
    root: import.meta.dirname,
    include: ['test/**/*.test.{ts,tsx}'],
    environment: 'jsdom',
    setupFiles: ['test/setup.ts'],
  },
});
