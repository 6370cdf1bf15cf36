#!/usr/bin/env node
// The `gatehouse` command: a thin launcher for the compiled CLI in dist/.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = new URL('../dist/main/cli/gatehouse.js', import.meta.url);
const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  console.error(`gatehouse: Node 22 or newer is required (this is ${process.version})`);
  process.exit(1);
}
if (!existsSync(fileURLToPath(cli))) {
  console.error(
    `gatehouse: not built yet: run \`npm run build\` in ${fileURLToPath(new URL('..', import.meta.url))}`,
  );
  process.exit(1);
}
await import(cli.href);
