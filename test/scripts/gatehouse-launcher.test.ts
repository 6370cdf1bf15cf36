// bin/gatehouse.mjs run by a Node older than 22 (the machine's own, e.g. Debian's 20): it re-runs itself
// under the Node 22 that `npm start` provisioned into .tools/, passing arguments, terminal and exit code
// through; without one it says in one line how to get it. Run on a copy of the launcher beside a stand-in
// CLI, so the test sees exactly which Node ran it.
import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDirs } from '../support/cli-fixture.js';

const run = promisify(execFile);
const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const dirs = tempDirs();
afterAll(() => dirs.removeAll());

/** A Node older than 22 on this machine, if there is one (the launcher's case). */
function olderNode(): string | null {
  for (const candidate of ['/usr/bin/node', '/usr/local/bin/node', '/bin/node']) {
    try {
      const version = execFileSync(candidate, ['-p', 'process.versions.node'], { encoding: 'utf8' });
      if (Number(version.split('.')[0]) < 22) return candidate;
    } catch {
      // not there
    }
  }
  return null;
}
const oldNode = olderNode();

/** A copy of the launcher with a stand-in CLI; `provisioned` puts this test's Node 22 into .tools/. */
function install(provisioned: boolean): string {
  const root = dirs.make();
  mkdirSync(join(root, 'bin'));
  copyFileSync(join(repoRoot, 'bin', 'gatehouse.mjs'), join(root, 'bin', 'gatehouse.mjs'));
  mkdirSync(join(root, 'dist', 'main', 'cli'), { recursive: true });
  writeFileSync(
    join(root, 'dist', 'main', 'cli', 'gatehouse.js'),
    'console.log(JSON.stringify({ node: process.version, args: process.argv.slice(2) }));\nprocess.exitCode = 3;\n',
  );
  writeFileSync(join(root, 'package.json'), '{ "type": "module" }\n');
  if (provisioned) {
    const os = process.platform === 'darwin' ? 'darwin' : 'linux';
    const bin = join(root, '.tools', 'node-22.23.3', 'node_modules', `node-${os}-${process.arch}`, 'bin');
    mkdirSync(bin, { recursive: true });
    symlinkSync(process.execPath, join(bin, 'node'));
  }
  return root;
}

async function launch(node: string, root: string, ...args: string[]) {
  try {
    const { stdout, stderr } = await run(node, [join(root, 'bin', 'gatehouse.mjs'), ...args], {
      timeout: 20_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

describe.skipIf(!oldNode || process.platform === 'win32')('the gatehouse launcher on an older Node', () => {
  it('runs the CLI under the provisioned Node 22 with the same arguments and exit code', async () => {
    const root = install(true);
    const result = await launch(oldNode!, root, 'status', '--data-dir', '/tmp/x y');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(3);
    expect(JSON.parse(result.stdout)).toEqual({
      node: process.version,
      args: ['status', '--data-dir', '/tmp/x y'],
    });
  });

  it('`npx gatehouse` in a fresh clone prints no npm warning about the Node version', async () => {
    // The clone as it is before `npm ci`: the project's own package.json and lockfile, no node_modules.
    // npm reads the root package's engines from them and warned EBADENGINE (ten lines, when it can reach
    // the registry) before the launcher, which already says what Node it needs, got to run.
    const root = install(true);
    copyFileSync(join(repoRoot, 'package.json'), join(root, 'package.json'));
    copyFileSync(join(repoRoot, 'package-lock.json'), join(root, 'package-lock.json'));
    const npx = join(dirname(oldNode!), 'npx');
    // The stand-in CLI exits 3, so execFile rejects: what it printed is on the error.
    const { code, stdout, stderr } = (await run(npx, ['gatehouse', 'help'], {
      cwd: root,
      timeout: 60_000,
      env: { ...process.env, PATH: `${dirname(oldNode!)}:${process.env.PATH ?? ''}` },
    }).catch((error: unknown) => error)) as { code?: number; stdout: string; stderr: string };
    expect(code).toBe(3);
    expect(stderr).not.toContain('EBADENGINE');
    expect(JSON.parse(stdout)).toEqual({ node: process.version, args: ['help'] });
  }, 90_000);

  it('says in one line how to get Node 22 when none was provisioned and none can be', async () => {
    // The copy has no scripts/node22.sh, so provisioning fails as it does offline.
    const root = install(false);
    const result = await launch(oldNode!, root, 'status');
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n').at(-1)).toBe(
      `gatehouse: Node 22 or newer is required (this is v${execFileSync(oldNode!, ['-p', 'process.versions.node'], { encoding: 'utf8' }).trim()}): ` +
        `run \`npm start\` once in ${root}/ (it fetches Node 22 into .tools/), or install Node 22`,
    );
  });
});

describe('the gatehouse launcher on Node 22', () => {
  it('runs the CLI in this process', async () => {
    const result = await launch(process.execPath, install(false), 'help');
    expect(result.code).toBe(3);
    expect(JSON.parse(result.stdout)).toEqual({ node: process.version, args: ['help'] });
  });
});
