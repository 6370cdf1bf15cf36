// What the sandbox costs a local server, sandboxed (bubblewrap) and unsandboxed on one `gatehouse
// serve`: the start of server-everything as a connector (add → connected) and an echo call through
// Gatehouse; the warm start of an npx server (disable → enable → connected), each with its package
// already in its cache (the sandboxed one's own, in its scratch folder); and an HTTPS call carrying an
// API key to a local host with its own certificate authority — masked (a stand-in the proxy fills in)
// against the key given plainly. Like with like: the same command each side, a warm-up not counted,
// then pairs in alternating order so the machine's load and whatever the first of a pair pays fall on
// both alike; medians.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/client';
import { testCertificates } from '../test/support/test-certificates.js';
import { median, nowMs, type Benchmark } from './harness.js';
import {
  authorize,
  echo,
  everything,
  gatehouseWithEverything,
  httpClient,
  load,
  root,
  withCleanup,
  type Gatehouse,
} from './gateway-support.js';

const STARTS = 8;
const CALLS = 300;
const NPX_STARTS = 10;
const HTTPS_CALLS = 200;
const FETCH_SERVER = join(root, 'test', 'fixtures', 'fetch-server.mjs');
const NPX_PACKAGE = `@modelcontextprotocol/server-memory@${
  (
    JSON.parse(
      readFileSync(
        join(root, 'node_modules', '@modelcontextprotocol', 'server-memory', 'package.json'),
        'utf8',
      ),
    ) as { version: string }
  ).version
}`;
const OFF = { enabled: false, folders: [], allowedDomains: null };

async function connected(gatehouse: Gatehouse, name: string, within = 120_000): Promise<void> {
  const started = nowMs();
  while ((await gatehouse.api.call('connectors.get', { name })).status.connection !== 'connected') {
    if (nowMs() - started > within) throw new Error(`${name} did not connect`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Disable → enable → connected, in ms (the enable call may outlast a cold start's download). */
async function restartMs(gatehouse: Gatehouse, name: string): Promise<number> {
  await gatehouse.api.call('connectors.disable', { name });
  const started = nowMs();
  void gatehouse.api.call('connectors.enable', { name }).catch(() => undefined);
  await connected(gatehouse, name);
  return nowMs() - started;
}

/** Warm npx starts, sandboxed (its own cache) and not (a cache of the bench's), alternating. */
async function npxStarts(
  gatehouse: Gatehouse,
  cache: string,
): Promise<{ sandboxed: number[]; plain: number[] }> {
  const npx = { kind: 'stdio' as const, command: 'npx', args: ['-y', NPX_PACKAGE] };
  await gatehouse.api.call('connectors.add', {
    name: 'npx-s',
    settings: { ...npx, sandbox: { enabled: true, folders: [], allowedDomains: ['registry.npmjs.org'] } },
    enabled: false,
  });
  await gatehouse.api.call('connectors.add', {
    name: 'npx-p',
    settings: { ...npx, env: { npm_config_cache: cache }, sandbox: OFF },
    enabled: false,
  });
  // The first start of each fills its cache (not counted).
  await restartMs(gatehouse, 'npx-s');
  await restartMs(gatehouse, 'npx-p');
  const starts = { sandboxed: [] as number[], plain: [] as number[] };
  for (let i = 0; i < NPX_STARTS; i++) {
    const order = i % 2 === 0 ? (['npx-s', 'npx-p'] as const) : (['npx-p', 'npx-s'] as const);
    for (const name of order) {
      (name === 'npx-s' ? starts.sandboxed : starts.plain).push(await restartMs(gatehouse, name));
    }
  }
  return starts;
}

/**
 * What the sandbox adds: the median of each pair's difference (the two of a pair ran one after the
 * other), so a slow stretch of the machine or of the network to the registry, which both of a pair
 * meet, does not land on one side only.
 */
function pairedMedian(runs: { sandboxed: number[]; plain: number[] }): number {
  return median(runs.sandboxed.map((ms, i) => ms - runs.plain[i]!));
}

/** The key both keyed connectors hold, and the API host's answer when the real one reached it. */
const BENCH_KEY = 'sk-bench-0123456789abcdef0123456789';
const KEY_ARRIVED = 'the key arrived';

/** HTTPS calls with a key: masked through the sandbox's proxy, and plainly without a sandbox. */
async function keyedCalls(
  gatehouse: Gatehouse,
  client: Client,
  hostPort: number,
  ca: string,
): Promise<{ masked: number[]; plain: number[] }> {
  const key = { API_KEY: BENCH_KEY };
  await gatehouse.api.call('connectors.add', {
    name: 'keyed-s',
    settings: {
      kind: 'stdio',
      command: process.execPath,
      args: [FETCH_SERVER],
      env: key,
      sandbox: { enabled: true, folders: [], allowedDomains: [], localServices: [`localhost:${hostPort}`] },
    },
  });
  await gatehouse.api.call('connectors.add', {
    name: 'keyed-p',
    settings: {
      kind: 'stdio',
      command: process.execPath,
      args: [FETCH_SERVER],
      env: { ...key, NODE_EXTRA_CA_CERTS: ca },
      sandbox: OFF,
    },
  });
  for (const name of ['keyed-s', 'keyed-p']) {
    await connected(gatehouse, name);
    const fetch = await gatehouse.api.call('tools.set', {
      connector: name,
      tool: 'fetch',
      approval: 'never',
    });
    // First sight holds this honest tool (one sentence names a key and a URL): accepted, as a user would.
    if (fetch.firstSight)
      await gatehouse.api.call('tools.accept', {
        connector: name,
        tool: 'fetch',
        ...(fetch.definition ? { definition: fetch.definition } : {}),
      });
  }
  const url = `https://localhost:${hostPort}/v1/ping`;
  const call = async (name: string) => {
    const started = nowMs();
    const result = await client.callTool({ name: `${name}__fetch`, arguments: { url } });
    const text = (result.content as Array<{ text: string }>)[0]?.text ?? '';
    if (text !== `status 200: ${KEY_ARRIVED}`) throw new Error(`${name}: ${text}`);
    return nowMs() - started;
  };
  for (let i = 0; i < 20; i++) await Promise.all([call('keyed-s'), call('keyed-p')]);
  const calls = { masked: [] as number[], plain: [] as number[] };
  for (let i = 0; i < HTTPS_CALLS; i++) {
    calls.masked.push(await call('keyed-s'));
    calls.plain.push(await call('keyed-p'));
  }
  return calls;
}

async function startMs(gatehouse: Gatehouse, name: string, sandboxed: boolean): Promise<number> {
  const started = nowMs();
  await gatehouse.api.call('connectors.add', {
    name,
    settings: {
      kind: 'stdio',
      ...everything,
      sandbox: { enabled: sandboxed, folders: [], allowedDomains: null },
    },
  });
  while ((await gatehouse.api.call('connectors.get', { name })).status.connection !== 'connected') {
    if (nowMs() - started > 60_000) throw new Error(`${name} did not connect`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const ms = nowMs() - started;
  await gatehouse.api.call('connectors.remove', { name });
  return ms;
}

export const sandboxCost: Benchmark = {
  id: 'sandbox-cost',
  async run() {
    return withCleanup(async (defer) => {
      const setting = load();
      const dir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-sandbox-'));
      defer(async () => rmSync(dir, { recursive: true, force: true }));
      // The API host, whose authority Gatehouse trusts the way a user's environment makes it.
      const authority = testCertificates('bench CA', 'localhost', 'DNS:localhost,IP:127.0.0.1');
      defer(async () => authority.remove());
      // It says whether the real key arrived, not the key: an answer carrying it comes back masked.
      const host = createServer({ key: authority.key, cert: authority.cert }, (request, response) =>
        response.end(
          request.headers.authorization === `Bearer ${BENCH_KEY}`
            ? KEY_ARRIVED
            : 'not the key the connector holds',
        ),
      );
      await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
      defer(() => new Promise<void>((resolve) => host.close(() => resolve())));
      const trust = join(dir, 'trust.pem');
      const system = process.env.NODE_EXTRA_CA_CERTS;
      writeFileSync(trust, `${system ? readFileSync(system, 'utf8') : ''}\n${authority.ca}`);
      process.env.NODE_EXTRA_CA_CERTS = trust;
      // `everything` (sandboxed, the default) is there for the calls; `plain` beside it unsandboxed.
      let gatehouse: Gatehouse;
      try {
        gatehouse = await gatehouseWithEverything();
      } finally {
        if (system === undefined) delete process.env.NODE_EXTRA_CA_CERTS;
        else process.env.NODE_EXTRA_CA_CERTS = system;
      }
      defer(gatehouse.stop);
      const starts = { sandboxed: [] as number[], plain: [] as number[] };
      await startMs(gatehouse, 'warm-s', true);
      await startMs(gatehouse, 'warm-p', false);
      for (let i = 0; i < STARTS; i++) {
        const order = i % 2 === 0 ? ([true, false] as const) : ([false, true] as const);
        for (const sandboxed of order) {
          const ms = await startMs(gatehouse, `${sandboxed ? 's' : 'p'}${i}`, sandboxed);
          (sandboxed ? starts.sandboxed : starts.plain).push(ms);
        }
      }
      await gatehouse.api.call('connectors.add', {
        name: 'plain',
        settings: {
          kind: 'stdio',
          ...everything,
          sandbox: { enabled: false, folders: [], allowedDomains: null },
        },
      });
      while (
        (await gatehouse.api.call('connectors.get', { name: 'plain' })).status.connection !== 'connected'
      ) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await gatehouse.api.call('tools.set', { connector: 'plain', tool: 'echo', approval: 'never' });
      const token = await authorize(gatehouse, 'bench sandbox', 'write');
      const client = await httpClient(gatehouse.engine.mcpUrl, token);
      defer(() => client.close());
      const calls = { sandboxed: [] as number[], plain: [] as number[] };
      for (let i = 0; i < 20; i++) await echo(client, 'everything__echo');
      for (let i = 0; i < CALLS; i++) {
        for (const [tool, into] of [
          ['everything__echo', calls.sandboxed],
          ['plain__echo', calls.plain],
        ] as const) {
          const started = nowMs();
          await echo(client, tool);
          into.push(nowMs() - started);
        }
      }
      const keyed = await keyedCalls(
        gatehouse,
        client,
        (host.address() as AddressInfo).port,
        authority.caFile,
      );
      const npx = await npxStarts(gatehouse, join(dir, 'npm-cache'));
      return {
        title: 'Sandbox cost (sandbox-cost)',
        description:
          `server-everything as a stdio connector through a real \`gatehouse serve\`, in bubblewrap and without: ` +
          `median of ${STARTS} starts each after a warm-up pair (connectors.add until connected, in alternating order; ` +
          `the same node command, no npx) and of ${CALLS} echo calls each ` +
          `(alternating, one HTTP client); of ${NPX_STARTS} warm starts each of \`npx -y ${NPX_PACKAGE}\` ` +
          `(disable → enable → connected, its package in its cache: the sandboxed one's own, with a host list of ` +
          `registry.npmjs.org) after a first start each that fills it; and of ${HTTPS_CALLS} HTTPS calls each ` +
          `(a fetch-like server's fetch with an API key to a local host with its own authority: masked, the proxy ` +
          `filling the key in, against plainly and unsandboxed). What the sandbox adds is the median of the ` +
          `differences within each pair, the two of a pair run one after the other. ${setting}.`,
        measurements: [
          { name: 'start, sandboxed', value: median(starts.sandboxed), unit: 'ms' },
          { name: 'start, unsandboxed', value: median(starts.plain), unit: 'ms' },
          {
            name: 'start, added by the sandbox',
            value: pairedMedian(starts),
            unit: 'ms',
            target: { op: '<', value: 150 },
          },
          { name: 'echo call, sandboxed', value: median(calls.sandboxed), unit: 'ms' },
          { name: 'echo call, unsandboxed', value: median(calls.plain), unit: 'ms' },
          { name: 'npx warm start, sandboxed (own cache)', value: median(npx.sandboxed), unit: 'ms' },
          { name: 'npx warm start, unsandboxed', value: median(npx.plain), unit: 'ms' },
          {
            name: 'npx warm start, added by the sandbox',
            value: pairedMedian(npx),
            unit: 'ms',
            target: { op: '<', value: 150 },
          },
          { name: 'HTTPS call with a key, masked', value: median(keyed.masked), unit: 'ms' },
          { name: 'HTTPS call with a key, plain', value: median(keyed.plain), unit: 'ms' },
          {
            name: 'HTTPS call, added by masking',
            value: pairedMedian({ sandboxed: keyed.masked, plain: keyed.plain }),
            unit: 'ms',
            target: { op: '<', value: 5 },
          },
        ],
      };
    });
  },
};
