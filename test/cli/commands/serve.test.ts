// `gatehouse serve` run in-process: it starts the engine with the preferences file in the data
// directory, prints where it listens, stops cleanly, and refuses a taken port or a second engine
// with one sentence and exit code 1.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ENGINE_FILE } from '../../../main/core/engine/engine-record.js';
import { gatehouseVersion } from '../../../main/core/package-version.js';
import { gatehouse, tempDirs } from '../../support/cli-fixture.js';

const dirs = tempDirs();
afterAll(() => dirs.removeAll());

const usageHint = 'Run `gatehouse help` for usage.\n';

async function listen(server: Server, port = 0): Promise<number> {
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

const close = (server: Server): Promise<void> => new Promise((resolve) => server.close(() => resolve()));

/** A port that was free a moment ago (the OS's ephemeral range, so above 1024). */
async function freePort(): Promise<number> {
  const server = createServer();
  const port = await listen(server);
  await close(server);
  return port;
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('gatehouse serve', () => {
  it('runs the engine until told to stop, keeping preferences in the data directory', async () => {
    const dataDir = dirs.make();
    const port = await freePort();
    let stop!: (signal: string) => void;
    const stopped = new Promise<string>((resolve) => (stop = resolve));
    const serving = gatehouse(['serve', '--port', String(port), '--data-dir', dataDir], {
      untilStopped: () => stopped,
    });

    await until(() => existsSync(join(dataDir, ENGINE_FILE)), 'the engine record');
    const status = await gatehouse(['status', '--json', '--data-dir', dataDir]);
    expect(JSON.parse(status.stdout)).toMatchObject({
      version: gatehouseVersion(),
      mcpUrl: `http://127.0.0.1:${port}/mcp`,
      dataDir,
    });
    expect((await gatehouse(['settings', 'set', 'accessCeiling', 'off', '--data-dir', dataDir])).code).toBe(
      0,
    );
    expect(JSON.parse(readFileSync(join(dataDir, 'preferences.json'), 'utf8'))).toMatchObject({
      accessCeiling: 'off',
    });

    stop('SIGTERM');
    const result = await serving;
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    // The UI line depends on whether this tree has a built renderer; either way it says what to do.
    // Its stdout is a pipe here, so the one-time link is not printed (a server could read a log of it).
    expect(lines[3]).toMatch(
      /^(Open Gatehouse in your browser with the one-time link `gatehouse ui` prints \(not printed here: this output is not a terminal\)\.|No browser UI in this build \(run `npm run build` to include it\); use the gatehouse command line\.)$/,
    );
    expect(result.stdout).not.toContain('/ui/login');
    expect([...lines.slice(0, 3), ...lines.slice(4)].join('\n')).toBe(
      [
        `Gatehouse ${gatehouseVersion()} is running.`,
        `MCP endpoint: http://127.0.0.1:${port}/mcp`,
        `Authorization server: http://127.0.0.1:${port}`,
        `Data: ${dataDir}`,
        'Stop with Ctrl+C.',
        '',
      ].join('\n'),
    );
    expect(result.stderr).not.toMatch(/Error|\n\s+at /);
    expect(existsSync(join(dataDir, ENGINE_FILE))).toBe(false);
    expect((await gatehouse(['status', '--data-dir', dataDir])).code).toBe(1);
  });

  it('refuses a port that is taken, naming it, with exit code 1 and no stack trace', async () => {
    const occupier = createServer();
    const port = await listen(occupier);
    try {
      const result = await gatehouse(['serve', '--port', String(port), '--data-dir', dirs.make()], {
        untilStopped: () => Promise.reject(new Error('serve must not get as far as waiting')),
      });
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toBe(
        `gatehouse: Port ${port} on 127.0.0.1 is already in use (another Gatehouse, or another program). ` +
          'Gatehouse does not move to another port because your clients are configured for this one: stop the other ' +
          'program, or choose a port with --port N (or Settings → Port) and update your clients.\n',
      );
    } finally {
      await close(occupier);
    }
  });

  it('refuses a second engine on the same data directory', async () => {
    const dataDir = dirs.make();
    // Another live process owns this data directory's engine record.
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' });
    try {
      writeFileSync(
        join(dataDir, ENGINE_FILE),
        JSON.stringify({ pid: other.pid, port: 42999, version: '0.1.0', startedAt: 0 }),
      );
      expect(await gatehouse(['serve', '--port', String(await freePort()), '--data-dir', dataDir])).toEqual({
        code: 1,
        stdout: '',
        stderr: `gatehouse: Gatehouse is already running for ${dataDir} (pid ${other.pid}, port 42999). Stop it first, or use another data directory.\n`,
      });
    } finally {
      other.kill();
    }
  });

  it('checks --port', async () => {
    for (const port of ['80', '70000', 'http', '42830.5']) {
      expect(await gatehouse(['serve', '--port', port, '--data-dir', dirs.make()]), port).toEqual({
        code: 2,
        stdout: '',
        stderr: `gatehouse: --port is a whole number from 1024 to 65535 (got "${port}").\n${usageHint}`,
      });
    }
  });
});
