// The token-file lock under load: sixteen bridge processes that share one token file are all told at
// the same moment that their access token was refused, three rounds in a row, against a real engine
// that treats any second use of a refresh token as theft (no grace). Each round must cost exactly one
// refresh — every process ends with the same new token, none presents a spent refresh token — and the
// file must hold the newest tokens afterwards (no lost update): the next round refreshes from them.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BridgeAuthorization } from '../../main/bridge/bridge-authorization.js';
import { clientNameFor } from '../../main/bridge/bridge-name.js';
import { TokenFile, type BridgeRecord } from '../../main/bridge/token-file.js';
import { startEngine, type EngineFixture } from '../support/engine-fixture.js';
import { mcpPost, initializeMessage } from '../support/raw-oauth.js';
import { pendingConsent } from '../support/bridge-fixture.js';

const PROCESSES = 16;
const ROUNDS = 3;
const NAME = 'Stress';

let fixture: EngineFixture;
beforeAll(async () => {
  // Real time: sixteen bridge processes on the real clock renew against this engine.
  fixture = await startEngine({ refreshReuseGraceMs: 0, realTime: true });
});
afterAll(async () => fixture?.stop());

const dist = (file: string) =>
  pathToFileURL(join(import.meta.dirname, '..', '..', 'dist', 'main', 'bridge', file)).href;

/**
 * One bridge process: waits for `startAt`, then renews the token it was refused (the one every process
 * held when the round began, even if it starts late). Prints the token it ends with.
 */
const WORKER = `
  const { BridgeAuthorization } = await import(process.env.AUTH_MODULE);
  const { TokenFile } = await import(process.env.TOKEN_MODULE);
  const file = new TokenFile(process.env.DATA_DIR, process.env.BRIDGE_NAME);
  const authorization = new BridgeAuthorization({
    mcpUrl: new URL(process.env.MCP_URL),
    clientName: process.env.CLIENT_NAME,
    tokenFile: file,
    fetch: globalThis.fetch,
    log: (line) => process.stderr.write(line + '\\n'),
    version: 'stress',
    consentWaitMs: 2_000,
  });
  const refused = process.env.REFUSED_TOKEN;
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(process.env.START_AT) - Date.now())));
  process.stdout.write(await authorization.renewAfterRejection(refused));
`;

function worker(
  refused: string,
  startAt: number,
): Promise<{ code: number | null; token: string; stderr: string }> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', WORKER], {
    env: {
      ...process.env,
      AUTH_MODULE: dist('bridge-authorization.js'),
      TOKEN_MODULE: dist('token-file.js'),
      DATA_DIR: fixture.dataDir,
      BRIDGE_NAME: NAME,
      CLIENT_NAME: clientNameFor(NAME),
      MCP_URL: fixture.engine.mcpUrl,
      START_AT: String(startAt),
      REFUSED_TOKEN: refused,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let token = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (token += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  // 'close', not 'exit': a process may exit before its output has been read.
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, token, stderr })));
}

it(`refreshes once per round for ${PROCESSES} processes sharing a token file, with no spent token reused`, async () => {
  const { engine, dataDir } = fixture;
  const tokenFile = new TokenFile(dataDir, NAME);
  const first = new BridgeAuthorization({
    mcpUrl: new URL(engine.mcpUrl),
    clientName: clientNameFor(NAME),
    tokenFile,
    fetch: globalThis.fetch,
    log: () => undefined,
    version: 'stress',
  });
  const initial = first.accessToken();
  const consent = await pendingConsent(engine, clientNameFor(NAME));
  await engine.call('consents.approve', { id: consent.id, access: 'read' });
  let previous = (await initial)!;
  const clientId = tokenFile.read()!.client!.client_id;

  for (let round = 1; round <= ROUNDS; round++) {
    const before = tokenFile.read()!.tokens!;
    // Started at once, released together a moment later: the renewals race for the lock.
    const startAt = Date.now() + 1_500;
    const results = await Promise.all(
      Array.from({ length: PROCESSES }, () => worker(before.access_token, startAt)),
    );
    for (const result of results) expect([result.code, result.stderr]).toEqual([0, '']);
    const tokens = new Set(results.map((result) => result.token));
    expect(tokens.size).toBe(1);
    const [renewed] = [...tokens];
    expect(renewed).not.toBe(previous);

    const after = JSON.parse(readFileSync(tokenFile.path, 'utf8')) as BridgeRecord;
    expect(after.tokens!.access_token).toBe(renewed);
    expect(after.tokens!.refresh_token).not.toBe(before.refresh_token);
    expect(await engine.call('audit.list', { type: 'token.refreshed', clientId, limit: 100 })).toHaveLength(
      round,
    );
    previous = renewed!;
  }

  expect(await engine.call('audit.list', { type: 'token.refresh_reuse', limit: 100 })).toEqual([]);
  expect(await engine.call('audit.list', { type: 'grant.revoked', limit: 100 })).toEqual([]);
  // The last token works: the grant was never revoked for reuse.
  const { status } = await mcpPost(engine, previous, initializeMessage);
  expect(status).toBe(200);
}, 120_000);
