// `gatehouse bridge` end to end: a real SDK client over stdio (as Claude Desktop runs it) → the
// compiled bridge process → a real engine with server-everything behind it. The bridge finds the
// engine through the data directory, registers, waits for the consent given through the engine's
// trusted API, relays calls, refreshes (once, even with two bridges sharing a token file) and says
// clearly when it is refused or Gatehouse is not running.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client as ModernClient } from '@modelcontextprotocol/client';
import { StdioClientTransport as ModernStdio } from '@modelcontextprotocol/client/stdio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, type EngineFixture } from '../support/engine-fixture.js';
import type { BridgeRecord } from '../../main/bridge/token-file.js';
import { gatehouse } from '../support/cli-fixture.js';
import {
  bridgeEnv,
  CLI,
  pendingConsent,
  rawExchange,
  startBridge,
  waitFor,
} from '../support/bridge-fixture.js';
import { EVERYTHING } from '../support/real-servers.js';
import { engineParts } from '../../main/core/engine/engine-parts.js';

/** What the user reads when Gatehouse is not running (bridge-error.ts), as the user reads it. */
const NOT_RUNNING_MESSAGE =
  'Gatehouse is not running. Open the Gatehouse app (or run `gatehouse serve`), then restart this server in Claude.';

let fixture: EngineFixture;

beforeAll(async () => {
  // Real time: a token expires by the engine's clock, and oidc-provider wrote its expiry from the real one.
  fixture = await startEngine({ realTime: true });
  await fixture.engine.call('connectors.add', {
    name: 'everything',
    settings: { kind: 'stdio', command: process.execPath, args: [EVERYTHING, 'stdio'] },
  });
  await waitFor('server-everything tools', async () => {
    const tools = await fixture.engine.call('tools.list', { connector: 'everything' });
    return tools.length > 0 || undefined;
  });
}, 60_000);

afterAll(async () => {
  await fixture?.stop();
});

const tokenFile = (name: string): string => join(fixture.dataDir, 'bridge', `${name}.json`);
const readRecord = (name: string): BridgeRecord =>
  JSON.parse(readFileSync(tokenFile(name), 'utf8')) as BridgeRecord;

async function auditOf(type: string, clientId?: string) {
  return fixture.engine.call('audit.list', { type, ...(clientId ? { clientId } : {}), limit: 1000 });
}

async function echo(bridge: ReturnType<typeof startBridge>, message: string): Promise<unknown> {
  const result = await bridge.client.callTool({ name: 'everything__echo', arguments: { message } });
  return result.content;
}

/** Sets a 60-second access token lifetime for one authorization, then back to an hour. */
async function withShortTokens<T>(work: () => Promise<T>): Promise<T> {
  await fixture.engine.call('settings.set', { accessTokenTtlSeconds: 60 });
  try {
    return await work();
  } finally {
    await fixture.engine.call('settings.set', { accessTokenTtlSeconds: 3600 });
  }
}

describe('gatehouse bridge', () => {
  it('connects through consent given in Gatehouse, relays tool calls, and keeps its tokens private', async () => {
    const bridge = startBridge({ dataDir: fixture.dataDir });
    try {
      const consent = await pendingConsent(fixture.engine, 'Claude Desktop (via gatehouse bridge)');
      await waitFor(
        'the match code on stderr',
        () => bridge.stderr().includes(consent.matchCode) || undefined,
      );
      expect(bridge.stderr()).toContain(
        `gatehouse bridge: Approve "Claude Desktop (via gatehouse bridge)" in Gatehouse — match code ${consent.matchCode}\n`,
      );
      expect(consent.redirectHost).toBe('127.0.0.1');
      // No browser shows this code: the window says it is in the MCP client's log instead.
      expect(consent.viaBridge).toBe(true);
      await fixture.engine.call('consents.approve', { id: consent.id, access: 'read' });
      await bridge.connected;

      expect(bridge.client.getServerVersion()?.name).toBe('gatehouse');
      const tools = await bridge.client.listTools();
      expect(tools.tools.map((tool) => tool.name)).toContain('everything__echo');
      expect(await echo(bridge, 'through the bridge')).toEqual([
        { type: 'text', text: 'Echo: through the bridge' },
      ]);

      const record = readRecord('claude-desktop');
      expect(record.client?.client_name).toBe('Claude Desktop (via gatehouse bridge)');
      expect(record.mcpUrl).toBe(fixture.engine.mcpUrl);
      expect(record.tokens?.refresh_token).toBeTruthy();
      if (process.platform !== 'win32') {
        expect(statSync(tokenFile('claude-desktop')).mode & 0o777).toBe(0o600);
        expect(statSync(join(fixture.dataDir, 'bridge')).mode & 0o777).toBe(0o700);
      }
      expect(bridge.stderr()).not.toContain(record.tokens!.access_token);
      expect(bridge.stderr()).not.toContain(record.tokens!.refresh_token!);
      const clients = await fixture.engine.call('clients.list');
      expect(clients.find((client) => client.clientId === record.client?.client_id)?.kind).toBe('dcr');
    } finally {
      await bridge.close();
    }

    // Started again (Claude restarts its servers), it uses the stored tokens: no new consent.
    const again = startBridge({ dataDir: fixture.dataDir });
    try {
      await again.connected;
      expect(await echo(again, 'again')).toEqual([{ type: 'text', text: 'Echo: again' }]);
      expect(await fixture.engine.call('consents.list')).toEqual([]);
      expect(again.stderr()).not.toContain('Approve');
    } finally {
      await again.close();
    }
  });

  it('refreshes ahead of expiry when it starts with a token about to expire', async () => {
    const first = startBridge({ dataDir: fixture.dataDir, name: 'Early Bird' });
    const consent = await pendingConsent(fixture.engine, 'Early Bird (via gatehouse bridge)');
    await fixture.engine.call('consents.approve', { id: consent.id, access: 'read' });
    await first.connected;
    await first.close();
    const before = readRecord('early-bird');
    const clientId = before.client!.client_id;
    // The stored token has ten seconds left of its hour: due for refresh before it is used.
    const now = Date.now();
    writeFileSync(
      tokenFile('early-bird'),
      JSON.stringify({
        ...before,
        tokens: { ...before.tokens, obtained_at: now - 3_590_000, expires_at: now + 10_000 },
      }),
      { mode: 0o600 },
    );

    const second = startBridge({ dataDir: fixture.dataDir, name: 'Early Bird' });
    try {
      await second.connected;
      expect(await echo(second, 'fresh')).toEqual([{ type: 'text', text: 'Echo: fresh' }]);
      const after = readRecord('early-bird');
      expect(after.tokens!.access_token).not.toBe(before.tokens!.access_token);
      expect(after.tokens!.refresh_token).not.toBe(before.tokens!.refresh_token);
      expect(await auditOf('token.refreshed', clientId)).toHaveLength(1);
      expect(await fixture.engine.call('consents.list')).toEqual([]);
    } finally {
      await second.close();
    }
  });

  it('refreshes on 401 once for two bridges sharing a token file, without refresh-token reuse', async () => {
    const [one, two] = await withShortTokens(async () => {
      const bridges = [
        startBridge({ dataDir: fixture.dataDir, name: 'Twin' }),
        startBridge({ dataDir: fixture.dataDir, name: 'Twin' }),
      ] as const;
      const consent = await pendingConsent(fixture.engine, 'Twin (via gatehouse bridge)');
      // The second bridge waits for the first one's consent instead of asking the user twice.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect((await fixture.engine.call('consents.list')).map((pending) => pending.id)).toEqual([consent.id]);
      await fixture.engine.call('consents.approve', { id: consent.id, access: 'read' });
      await Promise.all(bridges.map((bridge) => bridge.connected));
      return bridges;
    });
    const clientId = readRecord('twin').client!.client_id;
    expect(await auditOf('client.registered', clientId)).toHaveLength(1);
    const issued = readRecord('twin').tokens!;
    expect(issued.expires_at! - issued.obtained_at).toBe(60_000);
    try {
      // Past the 60-second token's end for the engine: both bridges' next requests get 401 at once.
      fixture.clock.advance(61_000);
      const answers = await Promise.all([echo(one, 'one'), echo(two, 'two')]);
      expect(answers).toEqual([[{ type: 'text', text: 'Echo: one' }], [{ type: 'text', text: 'Echo: two' }]]);
      expect(await auditOf('token.refreshed', clientId)).toHaveLength(1);
      expect(await auditOf('token.refresh_reuse')).toEqual([]);
      const refreshed = readRecord('twin').tokens!;
      expect(refreshed.refresh_token).not.toBe(issued.refresh_token);
      expect(await echo(one, 'still')).toEqual([{ type: 'text', text: 'Echo: still' }]);
    } finally {
      fixture.clock.advance(-61_000);
      await Promise.all([one.close(), two.close()]);
    }
  });

  it('asks for consent again after the user revokes it, and reopens the closed session unseen', async () => {
    const bridge = startBridge({ dataDir: fixture.dataDir, name: 'Revoked' });
    try {
      const first = await pendingConsent(fixture.engine, 'Revoked (via gatehouse bridge)');
      await fixture.engine.call('consents.approve', { id: first.id, access: 'read' });
      await bridge.connected;
      const clientId = readRecord('revoked').client!.client_id;

      // Gatehouse ends the session (idle, restart): the bridge opens a new one with Claude's initialize.
      await engineParts(fixture.engine).mcp.closeSessions();
      expect(await echo(bridge, 'new session')).toEqual([{ type: 'text', text: 'Echo: new session' }]);

      // Revoked: the next call gets 401, the refresh token is dead, so the user is asked again.
      await fixture.engine.call('clients.revoke', { clientId });
      const call = echo(bridge, 'after revoke');
      const second = await pendingConsent(fixture.engine, 'Revoked (via gatehouse bridge)');
      expect(second.id).not.toBe(first.id);
      await fixture.engine.call('consents.approve', { id: second.id, access: 'read' });
      expect(await call).toEqual([{ type: 'text', text: 'Echo: after revoke' }]);
      expect(bridge.stderr()).toContain(
        "gatehouse bridge: Gatehouse no longer accepts this bridge's authorization (invalid_grant); asking again.\n",
      );
      expect(bridge.stderr()).toContain(`match code ${second.matchCode}`);
    } finally {
      await bridge.close();
    }
  });

  it("shows Claude Desktop connected through the entry's --client, and not after a revoke", async () => {
    const desktop = async () =>
      (await fixture.engine.call('setup.clients', {})).find((view) => view.client === 'claude-desktop')!;
    // Other bridges (without --client) have connected before: their names prove nothing.
    expect(await desktop()).toMatchObject({ connected: false, registeredClients: [] });
    const bridge = startBridge({ dataDir: fixture.dataDir, name: 'Marked', client: 'claude-desktop' });
    try {
      const consent = await pendingConsent(fixture.engine, 'Marked (via gatehouse bridge)');
      await fixture.engine.call('consents.approve', { id: consent.id, access: 'read' });
      await bridge.connected;
      const clientId = readRecord('marked').client!.client_id;
      expect(await desktop()).toMatchObject({
        connected: true,
        registeredClients: [{ clientId, name: 'Marked (via gatehouse bridge)', live: true }],
      });
      expect((await fixture.engine.call('clients.get', { clientId })).setupClient).toBe('claude-desktop');

      await fixture.engine.call('clients.revoke', { clientId });
      expect(await desktop()).toMatchObject({ connected: false, registeredClients: [] });
    } finally {
      await bridge.close();
    }
  });

  it('refuses a --client that is not an app Gatehouse sets up', async () => {
    const result = await gatehouse(['bridge', '--client', 'notepad']);
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(result.stderr).toContain(
      'gatehouse: --client must be one of claude-desktop, claude-code, vscode, cursor (got "notepad").',
    );
  });

  it('answers with the refusal when the user denies the request in Gatehouse', async () => {
    const bridge = startBridge({ dataDir: fixture.dataDir, name: 'Denied' });
    try {
      const consent = await pendingConsent(fixture.engine, 'Denied (via gatehouse bridge)');
      await fixture.engine.call('consents.deny', { id: consent.id });
      const message =
        'Gatehouse did not grant access: The user denied this request in Gatehouse. Restart this server in Claude to ask again.';
      await expect(bridge.connected).rejects.toThrow(`MCP error -32000: ${message}`);
      expect(bridge.stderr()).toContain(`gatehouse bridge: ${message}\n`);
    } finally {
      await bridge.close();
    }
  });

  it('answers with the timeout when nobody answers in Gatehouse', async () => {
    const quick = await startEngine({ consentTimeoutMs: 300 });
    const bridge = startBridge({ dataDir: quick.dataDir, name: 'Unanswered' });
    try {
      const message =
        'Gatehouse did not grant access: No answer was given in Gatehouse within 1 second. Restart this server in Claude to ask again.';
      await expect(bridge.connected).rejects.toThrow(`MCP error -32000: ${message}`);
      expect(bridge.stderr()).toMatch(/match code [A-Z0-9]{3}-[A-Z0-9]{3}\n/);
    } finally {
      await bridge.close();
      await quick.stop();
    }
  });

  it('refuses a --url that is not a URL', async () => {
    expect(await gatehouse(['bridge', '--url', 'localhost:7777'])).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'gatehouse: --url must be Gatehouse\'s MCP URL, like http://127.0.0.1:7777/mcp (got "localhost:7777").\nRun `gatehouse help` for usage.\n',
    });
  });
});

describe('gatehouse bridge with a 2026-07-28 stdio client', () => {
  it('authorizes through consent and serves a pinned client in the modern era, no initialize, no session', async () => {
    const client = new ModernClient(
      { name: 'modern-host-under-test', version: '1.0.0' },
      { versionNegotiation: { mode: { pin: '2026-07-28' } } },
    );
    const transport = new ModernStdio({
      command: process.execPath,
      args: [CLI, 'bridge', '--data-dir', fixture.dataDir, '--name', 'Modern Host'],
      env: bridgeEnv(),
      stderr: 'pipe',
    });
    const connected = client.connect(transport);
    connected.catch(() => undefined);
    try {
      const consent = await pendingConsent(fixture.engine, 'Modern Host (via gatehouse bridge)');
      await fixture.engine.call('consents.approve', { id: consent.id, access: 'read' });
      await connected;
      expect(client.getProtocolEra()).toBe('modern');
      expect(client.getNegotiatedProtocolVersion()).toBe('2026-07-28');
      expect(client.getDiscoverResult()?.supportedVersions).toContain('2026-07-28');

      const tools = await client.listTools();
      expect(tools.tools.map((tool) => tool.name)).toContain('everything__echo');
      const result = await client.callTool({ name: 'everything__echo', arguments: { message: 'modern' } });
      expect(result.content).toEqual([{ type: 'text', text: 'Echo: modern' }]);

      // The engine saw the call from the bridge's client (audited a turn after the answer), over no
      // 2025-era session.
      const record = readRecord('modern-host');
      await expect
        .poll(async () => (await auditOf('tool.call', record.client?.client_id)).map((entry) => entry.tool))
        .toContain('echo');
      const view = (await fixture.engine.call('clients.list')).find(
        (entry) => entry.clientId === record.client?.client_id,
      );
      expect(view?.openSessions).toBe(0);
    } finally {
      await client.close();
    }
  });
});

describe('gatehouse bridge without Gatehouse', () => {
  const initialize = {
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'claude', version: '1' } },
  };
  const toolsList = { jsonrpc: '2.0', id: 2, method: 'tools/list' };
  const refusal = (id: number) => ({
    jsonrpc: '2.0',
    id,
    error: { code: -32000, message: NOT_RUNNING_MESSAGE },
  });

  it('answers initialize and tools/list with "Gatehouse is not running" when there is no engine record', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-bridge-'));
    try {
      const { answers, stderr, code } = await rawExchange(
        [CLI, 'bridge', '--data-dir', dataDir],
        [initialize, { jsonrpc: '2.0', method: 'notifications/initialized' }, toolsList],
        2,
      );
      expect(answers).toEqual([refusal(1), refusal(2)]);
      expect(stderr).toBe(`gatehouse bridge: ${NOT_RUNNING_MESSAGE}\n`);
      expect(code).toBe(0);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('answers the same when nothing listens at --url', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-bridge-'));
    try {
      const { answers } = await rawExchange(
        [CLI, 'bridge', '--data-dir', dataDir, '--url', 'http://127.0.0.1:9/mcp'],
        [initialize, toolsList],
        2,
      );
      expect(answers).toEqual([refusal(1), refusal(2)]);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
