// kill -9 at any moment loses no committed grant or revocation: the real `gatehouse serve` process
// is killed while clients are being granted and revoked, restarted on the same data directory, and
// every answer it had given is checked against what it remembers.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EngineClient } from '../../../main/cli/command-context/engine-client.js';
import { freePort } from '../../support/conformance-suite.js';
import { killHard, startServe } from '../../support/serve-process.js';
import {
  initializeMessage,
  mcpPost,
  obtainTokens,
  refresh,
  type EngineLike,
  type Tokens,
} from '../../support/raw-oauth.js';

const children: ChildProcess[] = [];
const dirs: string[] = [];

afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function serve(dataDir: string, port: number): Promise<{ child: ChildProcess; engine: EngineLike }> {
  const { child } = await startServe(dataDir, port, children);
  const client = EngineClient.connect(dataDir);
  const issuer = `http://127.0.0.1:${port}`;
  return {
    child,
    engine: { issuer, mcpUrl: `${issuer}/mcp`, call: client.call.bind(client) as EngineLike['call'] },
  };
}

describe('crash safety', () => {
  it('keeps every grant and revocation the engine had confirmed when it is killed with SIGKILL', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-crash-'));
    dirs.push(dataDir);
    const port = await freePort();
    const first = await serve(dataDir, port);

    const granted: Tokens[] = [];
    const revoked: Tokens[] = [];
    let killed = false;
    let inFlightRevoke: string | undefined;
    // Work as fast as possible, and pull the plug at an arbitrary moment in the middle of it.
    const work = (async () => {
      for (let i = 0; !killed; i++) {
        try {
          const tokens = await obtainTokens(first.engine, { access: i % 2 ? 'write' : 'read' });
          granted.push(tokens);
          if (i % 3 === 0) {
            inFlightRevoke = tokens.clientId;
            await first.engine.call('clients.revoke', { clientId: tokens.clientId });
            revoked.push(tokens);
            inFlightRevoke = undefined;
          }
        } catch {
          return; // the engine died mid-call: only answers received before count
        }
      }
    })();
    await new Promise((r) => setTimeout(r, 1500 + Math.random() * 1000));
    killed = true;
    await killHard(first.child);
    await work;
    expect(granted.length).toBeGreaterThan(3);

    const second = await serve(dataDir, port);
    const revokedIds = new Set(revoked.map((t) => t.clientId));
    // A revoke the engine never answered may or may not have committed; every other answer must hold.
    for (const tokens of granted.filter((t) => t.clientId !== inFlightRevoke)) {
      const mcp = await mcpPost(second.engine, tokens.accessToken, initializeMessage);
      const view = await second.engine.call('clients.get', { clientId: tokens.clientId });
      if (revokedIds.has(tokens.clientId)) {
        expect(mcp.status).toBe(401);
        expect(view.grants).toEqual([]);
        expect((await refresh(second.engine, tokens.clientId, tokens.refreshToken)).status).toBe(400);
      } else {
        expect(mcp.status).toBe(200);
        expect(view.grants).toHaveLength(1);
        const renewed = await refresh(second.engine, tokens.clientId, tokens.refreshToken);
        expect(renewed.status).toBe(200);
      }
    }
  }, 60_000);
});
