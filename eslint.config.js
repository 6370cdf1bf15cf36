// Lint rules for the whole tree. The rules specific to Gatehouse: only the desktop shell
// (main/desktop/) and the preload script may import `electron` (everything else is plain-Node core);
// only the renderer may use the `@core/` alias (Vite resolves it, Node would not); every export of
// main/ carries a doc comment; and the renderer keeps React's rules of hooks.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { exportedDocComments } from './scripts/eslint/exported-doc-comments.mjs';

const electronImports = {
  paths: [
    {
      name: 'electron',
      message: 'Only main/desktop/ and preload/ may import electron: keep the core plain Node.',
    },
  ],
  patterns: [{ group: ['electron/*'], message: 'Only main/desktop/ and preload/ may import electron.' }],
};
const coreAliasImport = {
  group: ['@core', '@core/*'],
  message:
    'The @core/ alias is for the renderer (Vite, vitest); Node runs this file and does not know it: import main/core by relative path.',
};

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'release/',
      '.tools/',
      'test-results/',
      // A held-out corpus's generators, kept as its record: run once elsewhere, never part of the build.
      'test/fixtures/*/held-out/gen/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // Node's globals everywhere but the renderer (which adds the browser's below).
    languageOptions: { globals: globals.node },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
      'no-restricted-imports': [
        'error',
        { paths: electronImports.paths, patterns: [...electronImports.patterns, coreAliasImport] },
      ],
    },
  },
  {
    // Every export of the engine and of its shells (CLI, desktop, bridge) says what it is for
    // (scripts/eslint/exported-doc-comments.mjs).
    files: ['main/**/*.ts'],
    plugins: { gatehouse: { rules: { 'exported-doc-comments': exportedDocComments } } },
    rules: { 'gatehouse/exported-doc-comments': 'error' },
  },
  {
    // The MCP SDK's private and protected members (`_`-prefixed; `_meta` is the protocol's own) are
    // reached only in main/core/sdk/, the seam that names and pins each (docs/sdk-seam.md).
    files: ['main/**/*.ts'],
    ignores: ['main/core/sdk/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'MemberExpression[computed=false][property.name=/^_(?!meta$)/]',
          message: 'A `_` member is an SDK internal: reach it through main/core/sdk/ (docs/sdk-seam.md).',
        },
        {
          selector: 'MemberExpression[computed=true][property.value=/^_(?!meta$)/]',
          message: 'A `_` member is an SDK internal: reach it through main/core/sdk/ (docs/sdk-seam.md).',
        },
      ],
    },
  },
  {
    files: ['main/desktop/**', 'preload/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [coreAliasImport] }] },
  },
  {
    // The renderer runs in a browser page (Electron's or a real browser's): DOM globals, no Node.
    files: ['renderer/src/**', 'test/renderer/**', 'test/support/renderer/**'],
    // React's rules of hooks (the plugin's recommended set: hooks order, effect dependencies, no
    // state set synchronously in an effect, no ref read or written during render).
    languageOptions: { globals: globals.browser },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.flat.recommended.rules,
      'no-restricted-imports': ['error', electronImports],
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'The renderer has no Node: talk to the engine through GatehouseApi.' },
        { name: 'Buffer', message: 'The renderer has no Node: use Uint8Array / TextEncoder.' },
      ],
    },
  },
);
