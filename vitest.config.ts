// Vitest runs the TypeScript sources directly; the global setup also compiles the project once,
// because some tests spawn the real `gatehouse` process. Forked workers, because the engine uses
// node:sqlite and child processes, which behave best in a real process; two of them, because the
// CI machine has two cores.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    watch: false,
    globalSetup: ['test/support/build-once.ts'],
    setupFiles: ['test/support/quiet-sqlite-warning.ts'],
  },
});
