// A sandboxed server on a network whose only way out is a proxy: its gate sends what it allows through
// that proxy, as the machine's proxy settings say, and a hostile server cannot use the proxy to reach
// what the gate keeps from it (a name that resolves to a private network here, a host the gate never
// allowed, the relay itself). First against the gate with the real runtime's proxies, then a real
// sandboxed server (bubblewrap) reaching the npm registry only through the proxy.
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/client';
import type { ProxyRoute } from '../../../../main/core/effects.js';
import { DEFAULT_SANDBOX } from '../../../../main/core/api/connector-config.js';
import { checkSandbox } from '../../../../main/core/connectors/sandbox/sandbox-check.js';
import { NetworkGate, type GateOptions } from '../../../../main/core/connectors/sandbox/sandbox-network.js';
import { hostAllow } from '../../../../main/core/connectors/sandbox/sandbox-judgments.js';
import {
  runtimeParts,
  type Resolve,
} from '../../../../main/core/connectors/sandbox/sandbox-runtime/runtime-parts.js';
import { startEngine, type EngineFixture } from '../../../support/engine-fixture.js';
import { authorizeClient } from '../../../support/oauth-client.js';
import { fixture } from '../../../support/paths.js';
import { recordingProxy, type RecordingProxy } from '../../../support/recording-proxy.js';

const root = mkdtempSync(join(tmpdir(), 'gatehouse-proxy-route-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Writes `text` to the Unix socket and resolves with everything that comes back until it closes. */
function exchange(socketPath: string, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(socketPath, () => socket.write(text));
    let answer = '';
    socket.setTimeout(10_000, () => socket.destroy());
    socket.on('data', (chunk) => (answer += chunk));
    socket.once('close', () => resolve(answer));
    socket.once('error', reject);
  });
}

const tunnel = (socketPath: string, target: string) =>
  exchange(socketPath, `CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n\r\n`);

/** A SOCKS5 CONNECT to `host:port` by name; resolves with the reply's status and what came after it. */
function socks(socketPath: string, host: string, port: number): Promise<{ status: number; rest: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(socketPath, () => socket.write(Buffer.from([5, 1, 0])));
    let stage: 'method' | 'reply' | 'open' = 'method';
    let received = Buffer.alloc(0);
    let status = -1;
    let rest = '';
    socket.setTimeout(10_000, () => socket.destroy());
    socket.on('data', (chunk: Buffer) => {
      if (stage === 'open') {
        rest += chunk.toString();
        return;
      }
      received = Buffer.concat([received, chunk]);
      if (stage === 'method' && received.length >= 2) {
        received = received.subarray(2);
        stage = 'reply';
        const name = Buffer.from(host);
        socket.write(Buffer.from([5, 1, 0, 3, name.length, ...name, port >> 8, port & 0xff]));
      } else if (stage === 'reply' && received.length >= 10) {
        status = received[1]!;
        rest = received.subarray(10).toString();
        stage = 'open';
      }
    });
    socket.once('close', () => resolve({ status, rest }));
    socket.once('error', reject);
  });
}

/** The names this test's "DNS" knows: one public, one on a private network, one the metadata address. */
const NAMES: Record<string, string> = {
  'api.example.test': '93.184.216.34',
  'intranet.example.test': '10.1.2.3',
  'metadata.example.test': '169.254.169.254',
  'split.example.test': '93.184.216.35',
};
const resolveNames: Resolve = (hostname, _options, callback) => {
  if (hostname === 'split.example.test') {
    // Public and private answers at once: the proxy may dial either.
    callback(null, [
      { address: '93.184.216.35', family: 4 },
      { address: '192.168.1.10', family: 4 },
    ]);
    return;
  }
  const address = NAMES[hostname];
  if (address) callback(null, [{ address, family: 4 }]);
  else callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), []);
};

/** A gate for a server with no host list, on `socket` under the test's folder, naming made-up hosts by NAMES. */
async function openGate(
  socket: string,
  options: Pick<GateOptions, 'onRefused' | 'route' | 'relaySocketPath'>,
): Promise<NetworkGate> {
  return NetworkGate.open({
    parts: await runtimeParts(),
    rules: { allowedDomains: null, localServices: [], gatehousePort: 42830 },
    socketPath: join(root, socket),
    masked: [],
    authority: () => {
      throw new Error('no masked values, no authority');
    },
    resolve: resolveNames,
    ...options,
  });
}

describe('a gate whose network leaves only through a proxy', () => {
  let origin: Server;
  let proxy: RecordingProxy;
  let gate: NetworkGate;
  let routeAnswer: ProxyRoute;
  const relays: string[] = [];
  const refused: string[] = [];

  beforeAll(async () => {
    // The internet behind the proxy: every tunnel it opens arrives here.
    origin = createServer((socket) => socket.end('hello from the far side\n'));
    await new Promise<void>((resolve) => origin.listen(0, '127.0.0.1', resolve));
    proxy = await recordingProxy({
      origin: { host: '127.0.0.1', port: (origin.address() as AddressInfo).port },
    });
    routeAnswer = { proxy: proxy.url };
    gate = await openGate('gate.sock', {
      onRefused: (refusal) => refused.push(`${refusal.host}:${refusal.port} ${refusal.reason}`),
      route: async () => routeAnswer,
      relaySocketPath: () => {
        relays.push(join(root, `via-${relays.length}.sock`));
        return relays.at(-1)!;
      },
    });
  });

  afterAll(async () => {
    await gate?.close();
    await proxy?.close();
    await new Promise((resolve) => origin?.close(resolve));
  });

  it('tunnels an allowed connection through the proxy, by CONNECT and by SOCKS5', async () => {
    expect(await tunnel(gate.socketPath!, 'api.example.test:443')).toBe(
      'HTTP/1.1 200 Connection Established\r\n\r\nhello from the far side\n',
    );
    expect(await socks(gate.socketPath!, 'api.example.test', 8443)).toEqual({
      status: 0,
      rest: 'hello from the far side\n',
    });
    // A name only the proxy can resolve: where it leads is the proxy's to say.
    expect(await tunnel(gate.socketPath!, 'only-the-proxy-knows.example:443')).toMatch(/^HTTP\/1\.1 200 /);
    expect(proxy.seen).toEqual([
      'CONNECT api.example.test:443',
      'CONNECT api.example.test:8443',
      'CONNECT only-the-proxy-knows.example:443',
    ]);
    expect(relays).toHaveLength(1);
  });

  it('sends a plain HTTP request on to the proxy as an absolute URI', async () => {
    proxy.seen.length = 0;
    const answer = await exchange(
      gate.socketPath!,
      'GET http://api.example.test/status HTTP/1.1\r\nHost: api.example.test\r\nConnection: close\r\n\r\n',
    );
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    expect(answer).toContain('proxied GET http://api.example.test/status');
    expect(proxy.seen).toEqual(['GET http://api.example.test/status']);
  });

  it('keeps a name that resolves to a private network, metadata or mixed answers here from the proxy', async () => {
    proxy.seen.length = 0;
    refused.length = 0;
    for (const target of ['intranet.example.test:443', 'metadata.example.test:80', 'split.example.test:443'])
      expect(await tunnel(gate.socketPath!, target), target).toMatch(/^HTTP\/1\.1 403 /);
    expect((await socks(gate.socketPath!, 'intranet.example.test', 22)).status).not.toBe(0);
    // Addresses are judged as before the proxy: it never hears of them.
    expect(await tunnel(gate.socketPath!, '10.0.0.1:80')).toMatch(/^HTTP\/1\.1 403 /);
    expect(await tunnel(gate.socketPath!, '127.0.0.1:42830')).toMatch(/^HTTP\/1\.1 403 /);
    expect(proxy.seen).toEqual([]);
    const because =
      'it resolves to this computer, a private network or a cloud metadata address (grant a local service by host and port)';
    expect(refused).toEqual(
      expect.arrayContaining([
        `intranet.example.test:443 ${because}`,
        `metadata.example.test:80 ${because}`,
        `split.example.test:443 ${because}`,
        `intranet.example.test:22 ${because}`,
      ]),
    );
    // Listing the host is the grant that reaches it (a listed host may be on the local network).
    expect(hostAllow({ host: 'intranet.example.test', port: 443, reason: because })).toEqual({
      kind: 'domain',
      value: 'intranet.example.test',
    });
  });

  it('has a relay that takes only the hosts the gate sent it, so reaching it directly opens nothing more', async () => {
    proxy.seen.length = 0;
    const [relay] = relays;
    expect(await tunnel(relay!, 'intranet.example.test:443')).toMatch(/^HTTP\/1\.1 403 /);
    expect(await tunnel(relay!, 'never-asked.example:443')).toMatch(/^HTTP\/1\.1 403 /);
    expect(proxy.seen).toEqual([]);
  });

  it('refuses, with a sentence, a destination the proxy settings send through a SOCKS proxy', async () => {
    refused.length = 0;
    routeAnswer = { proxy: 'socks5://127.0.0.1:1080' };
    try {
      expect(await tunnel(gate.socketPath!, 'api.example.test:443')).toMatch(/^HTTP\/1\.1 403 /);
    } finally {
      routeAnswer = { proxy: proxy.url };
    }
    const reason =
      "the machine's proxy for it (127.0.0.1:1080) is not an HTTP or HTTPS proxy, the only kinds the sandbox's gate goes through";
    expect(refused).toEqual([`api.example.test:443 ${reason}`]);
    // No grant of the connector's changes the proxy settings, so none is offered.
    expect(hostAllow({ host: 'api.example.test', port: 443, reason })).toBeNull();
  });

  it('closes its relays with the gate and removes their sockets', async () => {
    const extra = await openGate('gate-2.sock', {
      onRefused: () => undefined,
      route: async () => ({ proxy: proxy.url }),
      relaySocketPath: () => join(root, 'via-closed.sock'),
    });
    expect(await tunnel(extra.socketPath!, 'api.example.test:443')).toMatch(/^HTTP\/1\.1 200 /);
    await extra.close();
    await expect(tunnel(join(root, 'via-closed.sock'), 'api.example.test:443')).rejects.toThrow(/ENOENT/);
  });
});

const HOSTILE = fixture('hostile-server.mjs');
const reportOf = (result: unknown) =>
  JSON.parse((result as { content: Array<{ text: string }> }).content[0]!.text) as Record<string, unknown>;

// Never skipped on Linux: where the sandbox cannot run, the first assertion says why and what to install.
describe.skipIf(process.platform !== 'linux')('a sandboxed server behind the machine’s proxy', () => {
  let proxy: RecordingProxy;
  let engine: EngineFixture;
  let client: Client;

  beforeAll(async () => {
    expect(checkSandbox()).toMatchObject({ works: true, problem: null });
    // A real proxy on the way to the internet (the npm registry), as the machine's settings name it.
    proxy = await recordingProxy();
    engine = await startEngine({ effects: { proxy: async () => ({ proxy: proxy.url }) } });
    await engine.engine.call('settings.set', { accessCeiling: 'write' });
    const workspace = mkdtempSync(join(root, 'workspace-'));
    await engine.engine.call('connectors.add', {
      name: 'behind',
      settings: {
        kind: 'stdio',
        command: process.execPath,
        args: [HOSTILE, workspace],
        env: { HOSTILE_HOME: workspace, HOSTILE_DATA: engine.dataDir },
        // Sandboxed, with no host list: any public host, through the proxy.
        sandbox: DEFAULT_SANDBOX,
      },
    });
    await engine.engine.call('tools.set', { connector: 'behind', tool: 'network', approval: 'never' });
    client = (await authorizeClient(engine.engine, { access: 'write' })).client;
  }, 180_000);

  afterAll(async () => {
    await client?.close();
    await engine?.stop();
    await proxy?.close();
  });

  it('reaches a public host only through the proxy, and what is local not at all', async () => {
    const report = reportOf(
      await client.callTool({
        name: 'behind__network',
        arguments: {
          gatehousePort: engine.engine.port,
          offList: 'https://registry.npmjs.org/-/ping',
          allowed: 'https://registry.npmjs.org/',
          invent: 0,
        },
      }),
    );
    expect(report).toMatchObject({
      gatehouseTunnel: 'refused: 403',
      gatehouseByName: 'refused: 403',
      metadata: 'refused: 403',
      privateNetwork: 'refused: 403',
      offList: 'status 200',
      allowed: 'status 200',
    });
    expect(proxy.seen).toContain('CONNECT registry.npmjs.org:443');
    expect(proxy.seen.filter((line) => /127\.0\.0\.1|localhost|10\.0\.0\.1|169\.254/.test(line))).toEqual([]);
  });
});
