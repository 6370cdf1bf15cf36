// Connectors of either era, over HTTP and stdio: each connection negotiates (server/discover, falling
// back to initialize), remembers the verdict so a reconnect costs no probe, hears list changes and
// resource updates the way its era delivers them (subscriptions/listen, or unsolicited), and a 2025-era
// stdio server that exits on the probe is started once more and spoken to in its era.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CallToolResult } from '@modelcontextprotocol/client';
import { afterEach, describe, expect, it } from 'vitest';
import { httpSettings, stdioSettings } from '../../../../main/core/api/connector-config.js';
import { createHttpUpstream } from '../../../../main/core/connectors/runtime/http-upstream.js';
import { createStdioUpstream } from '../../../../main/core/connectors/runtime/stdio-upstream.js';
import { noAuth } from '../../../../main/core/connectors/runtime/upstream-auth.js';
import type { Upstream, UpstreamEvent } from '../../../../main/core/connectors/runtime/upstream.js';
import { startEraUpstream, type EraKind } from '../../../fixtures/era-upstreams.js';
import { silentLogger } from '../../../support/engine-fixture.js';
import { FIXTURES } from '../../../support/paths.js';

const fixtures = FIXTURES;
const logs: string[] = [];
const deps = { clock: { now: () => Date.now() }, logger: silentLogger(logs) };
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const text = (result: unknown) => ((result as CallToolResult).content[0] as { text: string }).text;

function watch(upstream: Upstream): UpstreamEvent[] {
  const events: UpstreamEvent[] = [];
  upstream.on((event) => events.push(event));
  cleanups.push(() => upstream.stop());
  return events;
}

async function httpUpstream(kind: EraKind) {
  const server = await startEraUpstream(kind);
  cleanups.push(() => server.close());
  const upstream = createHttpUpstream({
    name: kind,
    settings: httpSettings.parse({ kind: 'http', url: server.url, transport: 'streamable-http' }),
    authorizer: noAuth,
    deps,
    options: { pingIntervalMs: 0 },
  });
  return { server, upstream, events: watch(upstream) };
}

describe('HTTP connectors of each era', () => {
  it.each([
    ['modern-only', '2026-07-28'],
    ['dual', '2026-07-28'],
    ['legacy-only', '2025-11-25'],
  ] as const)(
    'connects to a %s server on %s, and reconnects without probing again',
    async (kind, version) => {
      const { server, upstream } = await httpUpstream(kind);
      await upstream.start();
      expect(upstream.status()).toMatchObject({ connection: 'connected', protocolVersion: version });
      expect(upstream.era()).toBe(version === '2026-07-28' ? 'modern' : 'legacy');
      expect(text(await upstream.client()!.callTool({ name: 'echo', arguments: { text: 'hi' } }))).toBe(
        `${kind}-fixture: hi`,
      );
      const probes = () => server.requests.filter((r) => r.method === 'server/discover').length;
      const initializes = () => server.requests.filter((r) => r.method === 'initialize').length;
      expect(probes()).toBe(1);
      await upstream.start(); // a reconnect, as after a drop
      expect(upstream.status().connection).toBe('connected');
      // A 2026-07-28 server is connected from its remembered discover result (then asked again in the
      // background); a 2025-era one goes straight to initialize.
      if (version === '2025-11-25') {
        expect(probes()).toBe(1);
        expect(initializes()).toBe(2);
      } else {
        expect(initializes()).toBe(0);
        await expect.poll(probes).toBe(2);
      }
    },
  );

  it('hears list changes and resource updates from a 2026-07-28 server over subscriptions/listen', async () => {
    const { server, upstream, events } = await httpUpstream('modern-only');
    await upstream.start();
    server.addTool();
    await expect.poll(() => upstream.offering().tools.map((tool) => tool.name)).toContain('extra_1');
    expect(events.some((e) => e.type === 'offering' && e.changed.includes('tools'))).toBe(true);
    await upstream.subscribeResource('fixture://counter');
    server.bump();
    await expect
      .poll(() =>
        events.some(
          (e) =>
            e.type === 'notification' &&
            e.method === 'notifications/resources/updated' &&
            (e.params as { uri: string }).uri === 'fixture://counter',
        ),
      )
      .toBe(true);
  });

  it('hears list changes and resource updates from a 2025-era server the way it sends them', async () => {
    const { server, upstream, events } = await httpUpstream('legacy-only');
    await upstream.start();
    server.addTool();
    await expect.poll(() => upstream.offering().tools.map((tool) => tool.name)).toContain('extra_1');
    await upstream.subscribeResource('fixture://counter');
    server.bump();
    await expect
      .poll(() =>
        events.some((e) => e.type === 'notification' && e.method === 'notifications/resources/updated'),
      )
      .toBe(true);
  });
});

describe('stdio connectors of each era', () => {
  function stdioUpstream(era: string) {
    const dir = mkdtempSync(path.join(tmpdir(), 'gatehouse-era-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const log = path.join(dir, 'log');
    const upstream = createStdioUpstream({
      name: era,
      settings: stdioSettings.parse({
        kind: 'stdio',
        command: process.execPath,
        args: [path.join(fixtures, 'era-stdio-server.mjs'), era, log],
      }),
      deps,
      options: { probeTimeoutMs: 2000 },
    });
    watch(upstream);
    const lines = () => readFileSync(log, 'utf8').trim().split('\n');
    return { upstream, lines };
  }

  it.each([
    ['modern-only', '2026-07-28'],
    ['dual', '2026-07-28'],
    ['legacy', '2025-11-25'],
  ])('connects to a %s server on %s', async (era, version) => {
    const { upstream } = stdioUpstream(era);
    await upstream.start();
    expect(upstream.status()).toMatchObject({ connection: 'connected', protocolVersion: version });
    expect(text(await upstream.client()!.callTool({ name: 'echo', arguments: { text: 'hi' } }))).toBe(
      `${era}: hi`,
    );
  });

  it('starts a 2025-era server that exits on server/discover once more, and remembers its era', async () => {
    const { upstream, lines } = stdioUpstream('exit-on-probe');
    await upstream.start();
    expect(upstream.status(), `${logs.join('\n')}\n${lines().join('\n')}`).toMatchObject({
      connection: 'connected',
      protocolVersion: '2025-11-25',
    });
    const starts = () => lines().filter((line) => line.endsWith(' start')).length;
    expect(starts()).toBe(2);
    expect(lines().filter((line) => line.endsWith(' server/discover'))).toHaveLength(1);
    await upstream.start(); // a reconnect: straight to initialize, one more process
    expect(upstream.status().connection).toBe('connected');
    expect(starts()).toBe(3);
    expect(lines().filter((line) => line.endsWith(' server/discover'))).toHaveLength(1);
  });

  // Starting it again as a 2025-era server would end the same, and double the wait for the sentence.
  it('does not start a server whose code is not there a second time', async () => {
    const { upstream, lines } = stdioUpstream('missing-module');
    await upstream.start().catch(() => undefined);
    expect(upstream.status()).toMatchObject({ connection: 'error' });
    expect(upstream.status().lastError).toContain("Cannot find module '/nowhere/server.js'");
    expect(lines().filter((line) => line.endsWith(' start'))).toHaveLength(1);
  });
});
