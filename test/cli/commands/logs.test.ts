// The log file of a real `gatehouse serve` and `gatehouse logs`: what the engine logs lands in
// <data dir>/logs/gatehouse.log without a single secret (tokens, client secrets, the API secret, a
// connector's environment value even when the server prints it), `logs --lines N` shows the end of
// it, `logs --follow` prints lines as they are written until Ctrl+C, and a missing log is explained.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineClient } from '../../../main/cli/command-context/engine-client.js';
import { API_SECRET_FILE } from '../../../main/core/engine/engine-record.js';
import { logFilePath } from '../../../main/core/log/log-file.js';
import { freePort } from '../../support/conformance-suite.js';
import { obtainTokens, type EngineLike } from '../../support/raw-oauth.js';
import { CLI, killHard, startServe } from '../../support/serve-process.js';
import { gatehouse } from '../../support/cli-fixture.js';

const ENV_SECRET = 'swordf1'; // short: only the log's own redaction knows it is a secret
const children: ChildProcess[] = [];
let dataDir: string;
let engine: EngineLike;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-logs-'));
  const port = await freePort();
  await startServe(dataDir, port, children);
  const client = EngineClient.connect(dataDir);
  const issuer = `http://127.0.0.1:${port}`;
  engine = { issuer, mcpUrl: `${issuer}/mcp`, call: client.call.bind(client) as EngineLike['call'] };
}, 60_000);

afterAll(async () => {
  await Promise.all(children.map((child) => killHard(child)));
  rmSync(dataDir, { recursive: true, force: true });
});

const logText = () => readFileSync(logFilePath(dataDir), 'utf8');

describe('the log file', () => {
  it('holds what the engine logged, and no secret', async () => {
    // A "server" that prints its secret environment value on stdout, which the engine logs as garbage.
    // It never answers initialize, so adding it only resolves at the start-up timeout: not awaited.
    void engine
      .call('connectors.add', {
        name: 'leaky',
        enabled: true,
        settings: {
          kind: 'stdio',
          command: process.execPath,
          args: ['-e', 'console.log(`banner ${process.env.API_KEY}`); setInterval(() => {}, 1000)'],
          env: { API_KEY: ENV_SECRET },
        },
      })
      .catch(() => undefined);
    const tokens = await obtainTokens(engine);
    const confidential = await engine.call('clients.register', {
      name: 'Confidential',
      redirectUris: ['https://app.example.com/cb'],
      confidential: true,
    });
    await expect.poll(logText, { timeout: 15_000 }).toContain('not an MCP message');

    const text = logText();
    expect(text).toContain('connector process started');
    expect(text).toContain('banner [redacted]');
    const apiSecret = readFileSync(join(dataDir, API_SECRET_FILE), 'utf8').trim();
    for (const secret of [
      ENV_SECRET,
      tokens.accessToken,
      tokens.refreshToken,
      confidential.clientSecret!,
      apiSecret,
    ])
      expect(text).not.toContain(secret);
  });
});

describe('gatehouse logs', () => {
  it('prints the last lines of the log', async () => {
    const { code, stdout } = await gatehouse(['logs', '--lines', '2', '--data-dir', dataDir]);
    expect(code).toBe(0);
    expect(stdout).toBe(`${logText().trimEnd().split('\n').slice(-2).join('\n')}\n`);
  });

  it('follows the log until Ctrl+C', async () => {
    const follower = spawn(
      process.execPath,
      [CLI, 'logs', '--lines', '0', '--follow', '--data-dir', dataDir],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    children.push(follower);
    let stdout = '';
    let stderr = '';
    follower.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    follower.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    await expect.poll(() => stderr, { timeout: 10_000 }).toContain('Ctrl+C to stop');
    void engine
      .call('connectors.add', {
        name: 'followed',
        enabled: true,
        settings: { kind: 'stdio', command: process.execPath, args: ['-e', 'setInterval(() => {}, 1000)'] },
      })
      .catch(() => undefined);
    await expect
      .poll(() => stdout, { timeout: 10_000 })
      .toMatch(/connector process started \{"connector":"followed"/);
    follower.kill('SIGINT');
    expect(await new Promise((resolve) => follower.once('exit', resolve))).toBe(0);
  });

  it('says where the log would be when there is none yet, and refuses a bad --lines', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'gatehouse-nolog-'));
    try {
      const missing = await gatehouse(['logs', '--data-dir', empty]);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain(
        `There is no log yet: ${logFilePath(empty)} does not exist. Gatehouse writes it once the app or \`gatehouse serve\` has started with this data directory.`,
      );
      const bad = await gatehouse(['logs', '--lines', 'many', '--data-dir', empty]);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('--lines is a whole number from 0 to 100000 (got "many").');
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
