// A sandboxed server on a network whose only way out is a proxy: its gate sends what it allows through
// that proxy, as the machine's proxy settings say, and a hostile server cannot use the proxy to reach
// what the gate keeps from it (a name that resolves to a private network here, a host the gate never
// allowed, the relay itself). First against the gate with the real runtime's proxies, then a real
// sandboxed server (bubblewrap) reaching the npm registry only through the proxy.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { connect, createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/client';
import type { ProxyRoute } from '../../../../main/core/effects.js';
import { DEFAULT_SANDBOX } from '../../../../main/core/api/connector-config.js';
import { checkSandbox } from '../../../../main/core/connectors/sandbox/sandbox-check.js';
import type { GateOptions } from '../../../../main/core/connectors/sandbox/sandbox-gate-rules.js';
import { NetworkGate } from '../../../../main/core/connectors/sandbox/sandbox-network.js';
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

/**
 * A SOCKS5 CONNECT to `host:port` by name, `payload` sent once it is granted; resolves with the reply's
 * status and what came after it.
 */
function socks(
  socketPath: string,
  host: string,
  port: number,
  payload = '',
): Promise<{ status: number; rest: string }> {
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
        if (status === 0 && payload) socket.write(payload);
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

  it('has a relay that takes only what its gate would send through the proxy, so reaching it directly opens nothing more', async () => {
    proxy.seen.length = 0;
    const [relay] = relays;
    for (const target of [
      'intranet.example.test:443',
      'metadata.example.test:80',
      '10.0.0.1:80',
      '127.0.0.1:42830',
      'localhost:8080',
    ])
      expect(await tunnel(relay!, target), target).toMatch(/^HTTP\/1\.1 403 /);
    expect(proxy.seen).toEqual([]);
    // What the gate would send, it takes, as the gate's own connections must get through.
    expect(await tunnel(relay!, 'api.example.test:443')).toMatch(/^HTTP\/1\.1 200 /);
    expect(proxy.seen).toEqual(['CONNECT api.example.test:443']);
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

describe('a gate deciding several connections to one host at once, its proxy settings answering per port', () => {
  // The proxy settings of a PAC file that sends one port of a host directly and another through the
  // proxy. The runtime asks the gate where a connection goes by host alone, after deciding it; each
  // connection must still go by its own decision. The test's name for the host leads to this computer,
  // where the stand-ins listen: the direct target on one port, the proxy's far side on the other
  // (both granted as local services by address, so the gate dials the name there either way).
  const HOST = 'race.example.test';
  let directTarget: HttpServer;
  let farSide: HttpServer;
  let proxy: RecordingProxy;
  let gate: NetworkGate;
  let directPort: number;
  let proxiedPort: number;
  /** The route answers asked for and not yet given, each with its port. */
  const held: Array<{ port: number; answer: () => void }> = [];

  const answering = (name: string) => createHttpServer((_request, response) => response.end(name));

  beforeAll(async () => {
    directTarget = answering('direct');
    farSide = answering('far side');
    await new Promise<void>((resolve) => directTarget.listen(0, '127.0.0.1', resolve));
    await new Promise<void>((resolve) => farSide.listen(0, '127.0.0.1', resolve));
    directPort = (directTarget.address() as AddressInfo).port;
    proxiedPort = (farSide.address() as AddressInfo).port;
    proxy = await recordingProxy({ origin: { host: '127.0.0.1', port: proxiedPort } });
    let relays = 0;
    gate = await NetworkGate.open({
      parts: await runtimeParts(),
      rules: {
        allowedDomains: null,
        localServices: [
          { host: '127.0.0.1', port: directPort },
          { host: '127.0.0.1', port: proxiedPort },
        ],
        gatehousePort: 42830,
      },
      socketPath: join(root, 'race.sock'),
      masked: [],
      authority: () => {
        throw new Error('no masked values, no authority');
      },
      onRefused: () => undefined,
      resolve: (hostname, _options, callback) =>
        hostname === HOST
          ? callback(null, [{ address: '127.0.0.1', family: 4 }])
          : resolveNames(hostname, _options, callback),
      route: (url) =>
        new Promise((resolve) => {
          const port = Number(url.port);
          held.push({
            port,
            answer: () => resolve(port === directPort ? { direct: true } : { proxy: proxy.url }),
          });
        }),
      relaySocketPath: () => join(root, `race-via-${relays++}.sock`),
    });
  });

  afterAll(async () => {
    await gate?.close();
    await proxy?.close();
    directTarget?.closeAllConnections();
    farSide?.closeAllConnections();
    await new Promise((resolve) => directTarget?.close(resolve));
    await new Promise((resolve) => farSide?.close(resolve));
  });

  /** What comes after the last head of an answer: its body. */
  const bodyOf = (answer: string) => answer.slice(answer.lastIndexOf('\r\n\r\n') + 4);
  const get = (port: number) => `GET / HTTP/1.1\r\nHost: ${HOST}:${port}\r\nConnection: close\r\n\r\n`;
  const ways: Record<string, (port: number) => Promise<string>> = {
    CONNECT: async (port) =>
      bodyOf(
        await exchange(
          gate.socketPath!,
          `CONNECT ${HOST}:${port} HTTP/1.1\r\nHost: ${HOST}:${port}\r\n\r\n${get(port)}`,
        ),
      ),
    SOCKS5: async (port) => bodyOf((await socks(gate.socketPath!, HOST, port, get(port))).rest),
    'a plain HTTP request': async (port) =>
      bodyOf(
        await exchange(
          gate.socketPath!,
          `GET http://${HOST}:${port}/ HTTP/1.1\r\nHost: ${HOST}:${port}\r\nConnection: close\r\n\r\n`,
        ),
      ),
  };

  /**
   * One round: a connection the settings send through the proxy and `directs` they send directly, all
   * decided at once. Their route answers are given one a microtask after another, the proxied one's
   * `at`-th, so the decisions overlap at each step the runtime takes between a decision and its route.
   */
  async function round(open: (port: number) => Promise<string>, directs: number, at: number) {
    proxy.seen.length = 0;
    const proxied = open(proxiedPort);
    const direct = Array.from({ length: directs }, () => open(directPort));
    while (held.length < directs + 1) await new Promise((resolve) => setTimeout(resolve, 5));
    const answers = held.splice(0);
    const order = answers.filter(({ port }) => port === directPort);
    const proxiedAnswer = answers.find(({ port }) => port !== directPort)!;
    order.splice(at, 0, proxiedAnswer);
    let turn = Promise.resolve();
    for (const { answer } of order) turn = turn.then(answer);
    return { proxied: await proxied, direct: await Promise.all(direct), seen: [...proxy.seen] };
  }

  it.each(Object.keys(ways))('sends each by its own decision, by %s', async (way) => {
    const open = ways[way]!;
    // The relay open first: opening it takes turns of the event loop, which no race outlasts.
    const first = open(proxiedPort);
    while (held.length < 1) await new Promise((resolve) => setTimeout(resolve, 5));
    held.splice(0)[0]!.answer();
    await first;
    const directs = 6;
    const rounds = [];
    for (let at = 0; at <= directs; at++) rounds.push(await round(open, directs, at));
    const plain = way === 'a plain HTTP request';
    expect(rounds).toEqual(
      Array(directs + 1).fill({
        proxied: plain ? `proxied GET http://${HOST}:${proxiedPort}/` : 'far side',
        direct: Array<string>(directs).fill('direct'),
        seen: [plain ? `GET http://${HOST}:${proxiedPort}/` : `CONNECT ${HOST}:${proxiedPort}`],
      }),
    );
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
