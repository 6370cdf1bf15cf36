// Lint rules for the whole tree. The rules specific to Gatehouse: only the desktop shell
// (main/desktop/) and the preload script may import `electron` (everything else is plain-Node core);
// only the renderer may use the `@core/` alias (Vite resolves it, Node would not); and every export of
// main/core carries a doc comment.
import js from '@eslint/js';
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
  { ignores: ['node_modules/', 'dist/', 'release/', '.tools/', 'test-results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        Buffer: 'readonly',
        fetch: 'readonly',
        AbortController: 'readonly',
        AbortSignal: 'readonly',
        TextEncoder: 'readonly',
        TextDecoder: 'readonly',
        structuredClone: 'readonly',
        queueMicrotask: 'readonly',
        setImmediate: 'readonly',
        Response: 'readonly',
        Request: 'readonly',
        Headers: 'readonly',
      },
    },
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
    // Every export of the engine says what it is for (scripts/eslint/exported-doc-comments.mjs).
    files: ['main/core/**/*.ts'],
    plugins: { gatehouse: { rules: { 'exported-doc-comments': exportedDocComments } } },
    rules: { 'gatehouse/exported-doc-comments': 'error' },
  },
  {
    files: ['main/desktop/**', 'preload/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [coreAliasImport] }] },
  },
  {
    // The renderer runs in a browser page (Electron's or a real browser's): DOM globals, no Node.
    files: ['renderer/src/**', 'test/renderer/**', 'test/support/renderer/**'],
    languageOptions: {
      globals: {
        window: 'readonly',
        document: 'readonly',
        navigator: 'readonly',
        location: 'readonly',
        EventSource: 'readonly',
        MessageEvent: 'readonly',
        Event: 'readonly',
        KeyboardEvent: 'readonly',
        HTMLElement: 'readonly',
        HTMLInputElement: 'readonly',
        HTMLTextAreaElement: 'readonly',
        Blob: 'readonly',
        requestAnimationFrame: 'readonly',
      },
    },
    rules: {
      'no-restricted-imports': ['error', electronImports],
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'The renderer has no Node: talk to the engine through GatehouseApi.' },
        { name: 'Buffer', message: 'The renderer has no Node: use Uint8Array / TextEncoder.' },
      ],
    },
  },
);
