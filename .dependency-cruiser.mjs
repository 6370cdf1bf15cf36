// dependency-cruiser (run by `npm run lint`): the import graph's rules, checked on every change.
// - No cycles, type-only imports included: a handler's dependencies read from its signature.
// - Electron only in the thin shell (main/desktop/) and the preload; the core runs in plain Node.
// - The renderer never reaches Node-only code: what it imports from main/core must not import Node.
import { builtinModules } from 'node:module';

const nodeBuiltIn = `^(node:)?(${builtinModules.map((name) => name.replace(/[/]/g, '\\/')).join('|')})$`;

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'An import cycle (type-only ones too): give the shared part its own module.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'engine-parts-only-for-tests',
      comment:
        "The Engine's parts are private: engine.ts registers them, tests read them (engine-parts.ts); code in main/ gets the Engine or the narrow context it names.",
      severity: 'error',
      from: { pathNot: '^main/core/engine/engine[.]ts$' },
      to: { path: '^main/core/engine/engine-parts[.]ts$' },
    },
    {
      name: 'electron-only-in-the-shell',
      comment: 'Only main/desktop/ and preload/ may import electron; the engine runs headless.',
      severity: 'error',
      from: { pathNot: '^(main/desktop|preload)/' },
      to: { path: '^electron$|node_modules/electron/' },
    },
    {
      name: 'renderer-without-node',
      comment: 'The renderer runs in a browser: nothing it imports may reach a Node built-in.',
      severity: 'error',
      from: { path: '^renderer/src/' },
      to: { path: nodeBuiltIn, reachable: true },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|test-results)/' },
  },
};
