// effects.ts's promise, site by site: the engine's signing key id, MCP session ids, its own token
// introspection, a multi-round call's state, the sandbox's temp folders, the unsealable client secret
// and the connector ledger draw on the injected random, fetch and clock — a real randomUUID(),
// randomBytes(), global fetch or Date.now() there would make these fail.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServerContext } from '@modelcontextprotocol/server';
import { afterAll, describe, expect, it } from 'vitest';
import { randomUuid, type Fetch, type Random } from '../../main/core/effects.js';
import { TokenIndex } from '../../main/core/auth/token-index.js';
import { createCallStateCodec } from '../../main/core/gateway/call-state.js';
import { sandboxProfile, type SandboxPlace } from '../../main/core/connectors/sandbox/sandbox-profile.js';
import { TreeLedger } from '../../main/core/connectors/processes/tree-ledger.js';
import { openDatabase } from '../../main/core/store/database.js';
import { OidcStore } from '../../main/core/store/oidc-store.js';
import { silentLogger, startEngine } from '../support/engine-fixture.js';
import { initializeMessage, mcpPost, obtainTokens } from '../support/raw-oauth.js';
import { memoryVault } from '../support/memory-stores.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
const scratch = () => {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-effects-'));
  dirs.push(dir);
  return dir;
};

/** Strong randomness that remembers every draw, so a value can be traced to the injected random. */
function recordingRandom(): Random & { draws: Buffer[] } {
  const draws: Buffer[] = [];
  return {
    draws,
    bytes(length) {
      const drawn = randomBytes(length);
      draws.push(Buffer.from(drawn));
      return drawn;
    },
  };
}

/** The same bytes on every draw: two parts given it agree on what they drew. */
const fixedRandom = (byte: number): Random => ({ bytes: (length) => Buffer.alloc(length, byte) });

/** The UUIDs the draws of 16 bytes make. */
const uuidsOf = (random: { draws: Buffer[] }) =>
  random.draws.filter((draw) => draw.length === 16).map((draw) => randomUuid({ bytes: () => draw }));

describe('randomUuid', () => {
  it('makes a version 4 UUID of 16 drawn bytes', () => {
    expect(randomUuid(fixedRandom(0xff))).toBe('ffffffff-ffff-4fff-bfff-ffffffffffff');
    expect(randomUuid(fixedRandom(0x00))).toBe('00000000-0000-4000-8000-000000000000');
  });

  it('leaves the drawn bytes as they were', () => {
    const drawn = Buffer.alloc(16, 0xff);
    randomUuid({ bytes: () => drawn });
    expect(drawn).toEqual(Buffer.alloc(16, 0xff));
  });
});

describe("the engine's effects", () => {
  it('draws its signing key id and MCP session ids from the injected random', async () => {
    const random = recordingRandom();
    const fixture = await startEngine({ effects: { random } as never });
    try {
      const { engine } = fixture;
      const jwks = (await (await fetch(`${engine.issuer}/jwks`)).json()) as { keys: Array<{ kid: string }> };
      expect(jwks.keys).toHaveLength(1);
      expect(uuidsOf(random)).toContain(jwks.keys[0]!.kid);
      const tokens = await obtainTokens(engine, { access: 'read' });
      const opened = await mcpPost(engine, tokens.accessToken, initializeMessage);
      expect(opened.status).toBe(200);
      expect(uuidsOf(random)).toContain(opened.sessionId);
    } finally {
      await fixture.stop();
    }
  });

  it('asks its own introspection endpoint through the injected fetch', async () => {
    const asked: string[] = [];
    const recording: Fetch = (input, init) => {
      asked.push(String(input instanceof Request ? input.url : input));
      return globalThis.fetch(input, init);
    };
    const fixture = await startEngine({ effects: { fetch: recording } as never });
    try {
      const { engine } = fixture;
      const tokens = await obtainTokens(engine, { access: 'read' });
      asked.length = 0;
      expect((await engine.call('tokens.introspect', { token: tokens.accessToken })).active).toBe(true);
      expect(asked).toEqual([`${engine.issuer}/token/introspection`]);
    } finally {
      await fixture.stop();
    }
  });
});

describe('a multi-round call state', () => {
  const ctx = {
    mcpReq: { method: 'tools/call' },
    http: { authInfo: { clientId: 'client-1' } },
  } as never as ServerContext;
  const state = { connector: 'files', target: 'write', args: 'digest' };

  it('is sealed with a key drawn from the injected random', async () => {
    const minted = await createCallStateCodec({ random: fixedRandom(7) }).mint(state, ctx);
    // Another codec drawing the same key opens it (its use id is unknown there: a replay).
    await expect(createCallStateCodec({ random: fixedRandom(7) }).verify(minted, ctx)).rejects.toThrow(
      'replayed: this requestState was already used',
    );
    // A codec with another key does not even open the seal (the SDK's codec: its MAC fails).
    await expect(createCallStateCodec({ random: fixedRandom(8) }).verify(minted, ctx)).rejects.toThrow(
      /^mac$/,
    );
  });

  it('tells its states apart by ids drawn from the injected random', async () => {
    const random = recordingRandom();
    const codec = createCallStateCodec({ random });
    await codec.mint(state, ctx);
    expect(random.draws.map((draw) => draw.length)).toEqual([32, 16]);
    await codec.mint(state, ctx);
    expect(random.draws.map((draw) => draw.length)).toEqual([32, 16, 16]);
  });
});

describe("a sandboxed server's own folders", () => {
  it('are named with the injected random', () => {
    const root = scratch();
    const place: SandboxPlace = {
      platform: 'linux',
      home: join(root, 'home'),
      dataDir: join(root, 'data'),
      scratchRoot: join(root, 'scratch'),
      tempRoot: join(root, 'temp'),
    };
    const settings = { kind: 'stdio', command: 'node', args: [], env: {} } as never;
    const profile = sandboxProfile('files', settings, place, {
      cwd: root,
      resolved: process.execPath,
      args: [],
      pathValue: '',
      random: fixedRandom(0xab),
    });
    expect(profile.tempDir).toBe(join(root, 'temp', 'files-abababababab'));
  });
});

describe('a client secret that cannot be unsealed', () => {
  it('becomes one drawn from the injected random', () => {
    const db = openDatabase(join(scratch(), 'store.db'));
    try {
      const store = (vault: ReturnType<typeof memoryVault>) =>
        new OidcStore({
          db,
          clock: { now: () => Date.now() },
          random: fixedRandom(0x01),
          tokens: new TokenIndex(),
          hooks: { isGrantActive: () => true },
          vault,
          logger: silentLogger(),
        });
      store(memoryVault()).upsert(
        'Client',
        'c1',
        { client_id: 'c1', client_secret: 'the-secret' },
        undefined,
      );
      expect(store(memoryVault()).find('Client', 'c1')?.client_secret).toBe(
        Buffer.alloc(32, 0x01).toString('base64url'),
      );
    } finally {
      db.close();
    }
  });
});

describe.skipIf(process.platform !== 'linux')('the connector ledger', () => {
  it('dates a running tree by the injected clock', async () => {
    const ledger = new TreeLedger(join(scratch(), 'connector-processes'), { now: () => 1_234_567 });
    ledger.record(process.pid);
    await ledger.settled();
    try {
      const record = JSON.parse(readFileSync(join(ledger.directory, `${process.pid}.json`), 'utf8')) as {
        startedAt: number;
      };
      expect(record.startedAt).toBe(1_234_567);
    } finally {
      ledger.forget(process.pid);
    }
  });
});
