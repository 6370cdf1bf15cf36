// Vitest runs the TypeScript sources directly, in six projects, so each kind of test gets the pool it
// needs and the fast ones can be run alone (`npm run test:unit`, `npx vitest run --project engine`):
//
// - unit: pure code — no engine, no network, no child process, no timers, no process-wide state.
//   Listed file by file below (decided by what a file does, not its folder); one worker runs many
//   files in one module graph (threads, no isolation), so a new test file lands in `engine` until
//   someone reads it and moves it here.
// - engine: everything else under test/ that runs on Node. Forked workers (the engine uses node:sqlite
//   and child processes, which behave best in a real process), without isolation: a worker runs file
//   after file in one module graph, so the engine's imports load once per worker, not once per file.
//   A file that changes process-wide state (environment, global dispatcher, fake timers) puts it back
//   in its own after-hooks. The global setup compiles the project once, because some tests spawn the
//   real `gatehouse` process.
// - browser (Playwright driving Chromium), conformance (the MCP conformance suites) and packaging
//   (electron-builder): the slow, heavy files, apart so they can be run or skipped as a whole.
// - renderer: the renderer's jsdom tests (renderer/vitest.config.ts).
//
// Three workers on the CI machine's two cores: a third of the run waits on child processes and timers.
import { configDefaults, defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';

/** Pure units: each of these imports only code that computes (files under a temp folder at most). */
const UNIT_FILES = [
  'test/bridge/request-headers.test.ts',
  'test/bridge/sse-reader.test.ts',
  'test/core/api/input-errors.test.ts',
  'test/core/client-setup/claude-desktop-package.test.ts',
  'test/core/client-setup/client-connect.test.ts',
  'test/core/client-setup/client-locations.test.ts',
  'test/core/client-setup/client-status.test.ts',
  'test/core/client-setup/client-undo.test.ts',
  'test/core/client-setup/config-document.test.ts',
  'test/core/client-setup/server-import.test.ts',
  'test/core/client-setup/write-safety.test.ts',
  'test/core/connectors/runtime/plain-result.test.ts',
  'test/core/connectors/sandbox/sandbox-runtime-files.test.ts',
  'test/core/gateway/parked-rounds.test.ts',
  'test/core/gateway/tool-call-checks.test.ts',
  'test/core/mcp/request-era.test.ts',
  'test/core/mcp/session-event-store.test.ts',
  'test/core/policy/first-sight-corpus.test.ts',
  'test/core/policy/first-sight-decision.test.ts',
  'test/core/policy/first-sight-encodings.test.ts',
  'test/core/policy/first-sight-gate.test.ts',
  'test/core/policy/first-sight-model.test.ts',
  'test/core/policy/first-sight-padding.test.ts',
  'test/core/policy/first-sight-pairs.test.ts',
  'test/core/policy/first-sight-signals.test.ts',
  'test/core/policy/first-sight-together.test.ts',
  'test/core/policy/glob-matcher.test.ts',
  'test/core/policy/json-path.test.ts',
  'test/core/policy/linear-regex.test.ts',
  'test/core/policy/rate-limit.test.ts',
  'test/core/policy/redaction-pretest.test.ts',
  'test/core/policy/redaction.test.ts',
  'test/core/policy/resource-uris.test.ts',
  'test/core/policy/rule-evaluation.test.ts',
  'test/core/policy/rule-reach.test.ts',
  'test/core/policy/rules.test.ts',
  'test/core/policy/tool-class.test.ts',
  'test/core/policy/tool-decision.test.ts',
  'test/core/policy/tool-fingerprint.test.ts',
  'test/core/policy/tool-names.test.ts',
  'test/core/pooled-random.test.ts',
  'test/core/secrets/corpus-findings.test.ts',
  'test/core/secrets/secret-scan.test.ts',
  'test/core/secrets/shape-triggers.test.ts',
  'test/core/sqlite-warning.test.ts',
  'test/core/text-countdown.test.ts',
  'test/core/visible-text.test.ts',
  'test/core/word-diff.test.ts',
  'test/desktop/url-opener.test.ts',
  'test/scripts/eslint/exported-doc-comments.test.ts',
];
const BROWSER_FILES = ['test/browser/**/*.test.ts'];
const CONFORMANCE_FILES = ['test/conformance/**/*.test.ts'];
const PACKAGING_FILES = ['test/desktop/packaging.test.ts'];

/**
 * `npm test` (bin/run.mjs) builds before it starts vitest and says so in GATEHOUSE_BUILT; run alone,
 * the projects that spawn the built code compile it first (incremental: a no-op when nothing changed).
 */
const buildOnce = process.env.GATEHOUSE_BUILT === '1' ? [] : ['test/support/build-once.ts'];

/** A project of Node tests in forked workers (the engine's and its kin); `isolate`: a process per file. */
function forked(
  name: string,
  include: string[],
  {
    exclude = [],
    isolate = true,
    testTimeout = 30_000,
  }: { exclude?: string[]; isolate?: boolean; testTimeout?: number } = {},
): TestProjectInlineConfiguration {
  return {
    extends: true,
    test: {
      name,
      include,
      exclude: [...configDefaults.exclude, ...exclude],
      environment: 'node',
      pool: 'forks',
      isolate,
      testTimeout,
      hookTimeout: 60_000,
      globalSetup: buildOnce,
      setupFiles: ['test/support/quiet-sqlite-warning.ts'],
    },
  };
}

export default defineConfig({
  test: {
    watch: false,
    maxWorkers: 3,
    // The serve and app processes the tests start on fresh temp data directories would each compile and
    // write their compiled-code cache (compile-cache.ts) for nothing to read; the cache's own test asks for it.
    env: { NODE_DISABLE_COMPILE_CACHE: '1' },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: UNIT_FILES,
          environment: 'node',
          pool: 'threads',
          isolate: false,
          // The corpus and property tests are CPU-bound: a loaded machine needs the engine's bounds.
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      forked('engine', ['test/**/*.test.ts'], {
        exclude: [
          'test/renderer/**',
          'test/support/renderer/**',
          ...UNIT_FILES,
          ...BROWSER_FILES,
          ...CONFORMANCE_FILES,
          ...PACKAGING_FILES,
        ],
        isolate: false,
      }),
      forked('browser', BROWSER_FILES),
      // A conformance CLI run is killed after 45 s (test/support/conformance-suite.ts): the test waits longer.
      forked('conformance', CONFORMANCE_FILES, { testTimeout: 60_000 }),
      forked('packaging', PACKAGING_FILES),
      'renderer/vitest.config.ts',
    ],
  },
});
