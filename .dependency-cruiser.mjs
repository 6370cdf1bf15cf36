// dependency-cruiser (run by `npm run lint`): the import graph's rules, checked on every change.
// - No cycles, type-only imports included: a handler's dependencies read from its signature.
// - Electron only in the thin shell (main/desktop/) and the preload; the core runs in plain Node.
// - The renderer never reaches Node-only code: what it imports from main/core must not import Node.
// - One direction between main/'s folders: each imports only folders on a lower layer (below).
// - The renderer and the preload reach the engine's code only through the contract (main/core/api/)
//   and a few pure modules of words they share with it.
import { builtinModules } from 'node:module';

const nodeBuiltIn = `^(node:)?(${builtinModules.map((name) => name.replace(/[/]/g, '\\/')).join('|')})$`;

// The layers of main/, bottom to top (docs/architecture.md, "Layers"). A folder imports only folders
// on lower layers, type-only imports included; folders on the same layer do not import each other.
// A new upward import fails `npm run lint`: move the shared part down, or give the lower folder a
// hook it is handed (store/oidc-store.ts's token-index hooks), rather than reorder these lines.
const layers = [
  ['core/api/'], // the contract: zod schemas and types every layer speaks, and the renderer's door
  ['core/*.ts'], // the base: words (text.ts), errors, effects, visible text, protected resources…
  ['core/secrets/'], // what counts as a secret: its places, shapes and variables, one list for every use
  ['core/policy/'], // rules, first sight, redaction: pure decisions
  ['core/store/'], // SQLite stores and the vault files
  ['core/audit/'], // the audit log, on the database
  ['core/consent/', 'core/http/', 'core/client-setup/', 'core/log/'], // pages, HTTP primitives, client configs, logs
  ['core/auth/'], // the authorization server (oidc-provider) and the token index
  ['core/sdk/'], // the seam to the MCP SDK's internals: every private member and copied constant
  ['core/connectors/'], // upstream MCP servers: processes, HTTP, upstream OAuth, sandbox
  ['core/catalog/', 'core/mcp/'], // the MCP Registry; the MCP endpoint and its sessions
  ['core/gateway/'], // one MCP server in front of every connector: routing, checks, approvals
  ['core/operations/'], // the contract's handlers and their dispatch
  ['core/engine/'], // wiring, the routing table, the trusted HTTP API, headless effects
  ['bridge/'], // the stdio bridge for Claude Desktop
  ['cli/output/', 'cli/command-context/'], // tables and progress; what a command is handed
  ['cli/commands/'], // one file per `gatehouse` command
  ['cli/*.ts'], // the entry point and the dispatcher
  ['desktop/'], // the Electron shell, on top
];
const folderPath = (folder) =>
  folder.endsWith('*.ts') ? `^main/${folder.slice(0, -4)}[^/]+$` : `^main/${folder}`;
const layerOrder = layers
  .flatMap((layer, index) =>
    layer.map((folder) => ({
      name: `layer-order: main/${folder} imports only the layers below it`,
      comment: `main/${folder} may import only ${layers.slice(0, index).flat().join(', ') || 'itself'} (.dependency-cruiser.mjs, layers).`,
      severity: 'error',
      from: { path: folderPath(folder) },
      to: {
        path: layers
          .slice(index)
          .flat()
          .filter((other) => other !== folder)
          .map(folderPath),
      },
    })),
  )
  .filter((rule) => rule.to.path.length > 0);

// Inside main/core/connectors/, the subsystems that run a local server (processes/, then sandbox/ on
// them) import nothing of the runtime that drives a connection (runtime/) or of upstream OAuth
// (oauth/): what they need is handed to them.
const connectorSubsystems = [
  ['processes', []],
  ['sandbox', ['processes']],
].map(([folder, below]) => ({
  name: `connector-subsystems: connectors/${folder}/ imports ${below.length ? `only ${below.join(', ')}/` : 'no other subsystem'}`,
  comment: `main/core/connectors/${folder}/ may import of connectors/ only ${[folder, ...below].map((f) => `${f}/`).join(' and ')} (.dependency-cruiser.mjs).`,
  severity: 'error',
  from: { path: `^main/core/connectors/${folder}/` },
  to: {
    path: '^main/core/connectors/',
    pathNot: [folder, ...below].map((f) => `^main/core/connectors/${f}/`),
  },
}));

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
        "The Engine's parts are private: compose-engine.ts makes them, engine.ts registers them, tests read them (engine-parts.ts); code in main/ gets the Engine or the narrow context it names.",
      severity: 'error',
      from: { pathNot: '^main/core/engine/(engine|compose-engine)[.]ts$' },
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
    {
      name: 'renderer-through-the-contract',
      comment:
        'The renderer and the preload import from main/ only the contract (main/core/api/) and the pure modules of words they share with the engine.',
      severity: 'error',
      from: { path: '^(renderer/src|preload)/' },
      to: {
        path: '^main/',
        pathNot:
          '^main/core/(api/|text[.]ts$|visible-text[.]ts$|word-diff[.]ts$|audit/(audit-export|repeated-events)[.]ts$|catalog/answer-check[.]ts$)',
      },
    },
    {
      name: 'every-folder-on-a-layer',
      comment:
        'A folder of main/ that is on no layer: add it to the layers list in .dependency-cruiser.mjs, where what it imports and what imports it allow.',
      severity: 'error',
      from: { path: '^main/', pathNot: layers.flat().map(folderPath) },
      to: { path: '^main/' },
    },
    ...layerOrder,
    ...connectorSubsystems,
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|test-results)/' },
  },
};
