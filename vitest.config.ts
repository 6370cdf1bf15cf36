// Vitest runs the TypeScript sources directly; the global setup also compiles the project once,
// because some tests spawn the real `gatehouse` process. Forked workers, because the engine uses
// node:sqlite and child processes, which behave best in a real process; two of them, because the
// CI machine has two cores. The renderer's jsdom tests (test/renderer/) are a second project
// (renderer/vitest.config.ts).
import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    watch: false,
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'engine',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, 'test/renderer/**', 'test/support/renderer/**'],
          environment: 'node',
          pool: 'forks',
          testTimeout: 30_000,
          hookTimeout: 60_000,
          globalSetup: ['test/support/build-once.ts'],
          setupFiles: ['test/support/quiet-sqlite-warning.ts'],
        },
      },
      'renderer/vitest.config.ts',
    ],
  },
});
