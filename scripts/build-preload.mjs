// Builds the preload script: preload/preload.ts and what it imports → dist/preload/preload.cjs, one
// CommonJS file. A sandboxed preload can require only `electron` (and a few Node built-ins), not
// files of its own, so it is bundled rather than compiled file by file; `electron` stays a require.
// Run by `npm run build`; tests import buildPreload() to build into a folder of their own.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const PRELOAD_OUTPUT = path.join('dist', 'preload', 'preload.cjs');

/** Bundles the preload into `outFile` (default dist/preload/preload.cjs); resolves to that path. */
export async function buildPreload(outFile = path.join(root, PRELOAD_OUTPUT)) {
  await build({
    cwd: root,
    input: path.join(root, 'preload', 'preload.ts'),
    external: ['electron'],
    platform: 'browser',
    logLevel: 'warn',
    output: { file: outFile, format: 'cjs', sourcemap: false },
    write: true,
  });
  return outFile;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildPreload();
}
