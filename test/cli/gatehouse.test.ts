// The built `gatehouse` entry (dist/main/cli/gatehouse.js) run as users run it, in its own process:
// exit codes, no SQLite ExperimentalWarning on stderr, and a clean stop on Ctrl+C or SIGTERM. Also
// the warning filter the entry installs, on a stand-in for `process`.
import { execFile, spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Engine } from '../../main/core/engine/engine.js';
import { ENGINE_FILE } from '../../main/core/engine/engine-record.js';
import { installWarningFilter } from '../../main/core/sqlite-warning.js';
import { startEngine, tempDirs } from '../support/cli-fixture.js';

const run = promisify(execFile);
const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const entry = join(repoRoot, 'dist', 'main', 'cli', 'gatehouse.js');
const dirs = tempDirs();
let engine: Engine;
let dataDir: string;

/** Runs the built CLI to completion: its exit code and output. */
async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [entry, ...args], {
      cwd: repoRoot,
      timeout: 20_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

// The global setup (test/support/build-once.ts) has compiled dist/ as `npm run build` does.
beforeAll(async () => {
  dataDir = dirs.make();
  engine = await startEngine(dataDir);
}, 180_000);

afterAll(async () => {
  await engine?.stop();
  dirs.removeAll();
});

describe('the built gatehouse command', () => {
  it('reports status from a running engine without the SQLite ExperimentalWarning', async () => {
    const { code, stdout, stderr } = await cli('status', '--data-dir', dataDir);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Gatehouse 0\.0\.0-test is running \(pid \d+, started just now\)\.\n/);
    expect(stdout).toContain(engine.mcpUrl);
  });

  it('exits 1 with one sentence when no engine runs, and 2 for a bad flag', async () => {
    const empty = dirs.make();
    expect(await cli('status', '--data-dir', empty)).toEqual({
      code: 1,
      stdout: '',
      stderr: `gatehouse: Gatehouse is not running (no engine record in ${empty}). Start it with \`gatehouse serve\` or open the Gatehouse app.\n`,
    });
    expect(await cli('status', '--verbose', '--data-dir', empty)).toEqual({
      code: 2,
      stdout: '',
      stderr: 'gatehouse: The status command has no option --verbose.\nRun `gatehouse help` for usage.\n',
    });
  });

  it('ends normally (exit 0, nothing on stderr) when its reader closes standard output', async () => {
    // `gatehouse status | true`: the pipe's reader is gone before the first write, which fails with
    // EPIPE. Node's default is a stack trace and exit 1.
    const child = spawn(process.execPath, [entry, 'status', '--data-dir', dataDir], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    const code = await new Promise<number | null>((resolve) => child.once('close', (exit) => resolve(exit)));
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`serves until ${signal}, then stops the engine and exits 0`, async () => {
      const serveDir = dirs.make();
      const port = await freePort();
      const child = spawn(
        process.execPath,
        [entry, 'serve', '--port', String(port), '--data-dir', serveDir],
        {
          cwd: repoRoot,
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
      child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      await until(() => stdout.includes('Stop with Ctrl+C.\n') || child.exitCode !== null, 'serve to start');
      expect(stdout).toContain(`MCP endpoint: http://127.0.0.1:${port}/mcp\n`);
      expect((await cli('status', '--data-dir', serveDir)).code).toBe(0);

      child.kill(signal);
      expect(await exited).toBe(0);
      expect(stderr).not.toContain('ExperimentalWarning');
      expect(existsSync(join(serveDir, ENGINE_FILE))).toBe(false);
    });
  }

  it("serves with only serve's own command module loaded, and another command loads its own when run", async () => {
    // A long-running engine keeps what it loaded (the idle-memory target): the other commands' modules,
    // what conf used to bring (ajv), the SDK's client package, which only a running connector needs,
    // and undici, which only a proxied or streaming outbound request needs, stay out of it; so does
    // first sight (its lexicon, word trie and model), which only a listing with something new to
    // judge needs: of it, only its loader. A load hook lists what the process loads.
    const hook = [
      "import { registerHooks } from 'node:module';",
      'registerHooks({ load(url, context, next) {',
      '  if (/\\/cli\\/commands\\/|\\/core\\/policy\\/first-sight|\\/node_modules\\/(ajv|conf|undici|@modelcontextprotocol\\/client)\\//.test(url)) process.stderr.write(`loaded ${url}\\n`);',
      '  return next(url, context);',
      '} });',
    ].join('\n');
    const traced = ['--import', `data:text/javascript,${encodeURIComponent(hook)}`];
    const serveDir = dirs.make();
    const port = await freePort();
    const child = spawn(
      process.execPath,
      [...traced, entry, 'serve', '--port', String(port), '--data-dir', serveDir],
      {
        cwd: repoRoot,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await until(() => stdout.includes('Stop with Ctrl+C.\n') || child.exitCode !== null, 'serve to start');
    // The first use of a command the serving process never loaded, against that engine.
    const status = await run(process.execPath, [...traced, entry, 'status', '--data-dir', serveDir], {
      cwd: repoRoot,
    });
    expect(status.stdout).toMatch(/^Gatehouse [\d.]+ is running \(pid \d+, started just now\)\.\n/);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const loaded = (text: string) =>
      [
        ...text.matchAll(
          /^loaded \S*?\/(?:(cli\/commands\/[\w-]+\.js)|node_modules\/((?:@[\w-]+\/)?[\w-]+)\/)/gm,
        ),
      ].map((match) => match[1] ?? match[2]);
    expect(loaded(stderr)).toEqual(['cli/commands/serve.js']);
    expect(loaded(status.stderr)).toEqual(['cli/commands/status.js']);
    const firstSight = (text: string) =>
      [...text.matchAll(/^loaded \S*\/core\/policy\/(first-sight[\w-]*\.js(?:on)?)$/gm)].map(
        (match) => match[1],
      );
    // The loader and the stamp of what first sight judged clean: none of the scanner, lexicon or model.
    expect(firstSight(stderr).sort()).toEqual(['first-sight-loader.js', 'first-sight-stamp.js']);
    expect(firstSight(status.stderr)).toEqual([]);
  });
});

describe('the warning filter', () => {
  /** A stand-in for `process` with a stand-in for Node's own warning printer. */
  function fakeProcess(): { target: EventEmitter; printed: string[] } {
    const target = new EventEmitter();
    const printed: string[] = [];
    target.on('warning', (warning: Error) => printed.push(`${warning.name}: ${warning.message}`));
    return { target, printed };
  }

  const warning = (name: string, message: string): Error => Object.assign(new Error(message), { name });

  it('drops only the SQLite ExperimentalWarning; Node still prints every other warning', () => {
    const { target, printed } = fakeProcess();
    installWarningFilter(target);
    target.emit(
      'warning',
      warning('ExperimentalWarning', 'SQLite is an experimental feature and might change at any time'),
    );
    target.emit('warning', warning('ExperimentalWarning', 'VM Modules is an experimental feature'));
    target.emit('warning', warning('DeprecationWarning', 'The punycode module is deprecated.'));
    expect(printed).toEqual([
      'ExperimentalWarning: VM Modules is an experimental feature',
      'DeprecationWarning: The punycode module is deprecated.',
    ]);
    expect(target.listenerCount('warning')).toBe(1);
  });

  it("keeps Node's own printing of other warnings in a real process, and --no-warnings", async () => {
    const filter = pathToFileURL(join(repoRoot, 'dist', 'main', 'core', 'sqlite-warning.js')).href;
    const script =
      `const { installWarningFilter } = await import(${JSON.stringify(filter)});` +
      `installWarningFilter(); await import('node:sqlite');` +
      `process.emitWarning('probe warning', { type: 'DeprecationWarning', code: 'DEP_PROBE' });`;
    const node = (...flags: string[]) =>
      run(process.execPath, [...flags, '--input-type=module', '-e', script], { cwd: repoRoot });
    const shown = await node();
    expect(shown.stderr).toMatch(/^\(node:\d+\) \[DEP_PROBE\] DeprecationWarning: probe warning\n/);
    expect(shown.stderr).not.toContain('SQLite');
    expect((await node('--no-warnings')).stderr).toBe('');
  });
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
