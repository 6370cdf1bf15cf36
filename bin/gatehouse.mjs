#!/usr/bin/env node
// The `gatehouse` command: a thin launcher for the compiled CLI in dist/. On a machine whose own node
// is older than 22 it re-runs itself under the Node 22 that `npm start` provisioned into .tools/
// (provisioning it first through scripts/node22.sh, as `npm start` does, when there is none yet).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const requiredMajor = 22;
const root = fileURLToPath(new URL('..', import.meta.url));
const cli = new URL('../dist/main/cli/gatehouse.js', import.meta.url);
const major = Number(process.versions.node.split('.')[0]);

if (major < requiredMajor) {
  const node = provisionedNode() ?? provisionNode();
  if (!node) {
    console.error(
      `gatehouse: Node ${requiredMajor} or newer is required (this is ${process.version}): ` +
        `run \`npm start\` once in ${root} (it fetches Node ${requiredMajor} into .tools/), or install Node ${requiredMajor}`,
    );
    process.exit(1);
  }
  process.exitCode = await runUnder(node);
} else {
  if (!existsSync(fileURLToPath(cli))) {
    console.error(`gatehouse: not built yet: run \`npm run build\` in ${root}`);
    process.exit(1);
  }
  await import(cli.href);
}

/** The newest Node 22+ that scripts/node22.sh left in .tools/ (node-<version>/node_modules/node-<os>-<arch>/bin). */
function provisionedNode() {
  const os = { linux: 'linux', darwin: 'darwin' }[process.platform];
  const arch = { x64: 'x64', arm64: 'arm64' }[process.arch];
  const tools = path.join(root, '.tools');
  if (!os || !arch || !existsSync(tools)) return null;
  const versions = readdirSync(tools)
    .map((name) => /^node-(\d+)\.(\d+)\.(\d+)$/.exec(name))
    .filter((match) => match && Number(match[1]) >= requiredMajor)
    .sort((a, b) => b[1] - a[1] || b[2] - a[2] || b[3] - a[3]);
  for (const match of versions) {
    const node = path.join(tools, match[0], 'node_modules', `node-${os}-${arch}`, 'bin', 'node');
    if (existsSync(node)) return node;
  }
  return null;
}

/** What `npm start` does on this machine: scripts/node22.sh prints the bin directory it provisioned. */
function provisionNode() {
  if (process.platform === 'win32') return null;
  const run = spawnSync('bash', [path.join(root, 'scripts', 'node22.sh')], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  const node = run.status === 0 ? path.join(run.stdout.trim(), 'node') : '';
  return node && existsSync(node) ? node : null;
}

/** Runs this launcher again under `node` with the same arguments and terminal; resolves to its exit code. */
function runUnder(node) {
  return new Promise((resolve) => {
    const child = spawn(node, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
      stdio: 'inherit',
    });
    // Ctrl-C reaches the child through the terminal's process group, so this process only waits (passing
    // SIGINT on would make it a second one, which forces the engine down). SIGTERM and SIGHUP, usually
    // sent to this process alone, are passed on.
    process.on('SIGINT', () => {});
    for (const signal of ['SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
    child.on('error', (error) => {
      console.error(`gatehouse: could not run ${node}: ${error.message}`);
      resolve(1);
    });
    child.on('exit', (code, signal) =>
      resolve(code ?? 128 + (signal === 'SIGINT' ? 2 : signal === 'SIGHUP' ? 1 : 15)),
    );
  });
}
