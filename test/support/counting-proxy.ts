// A forward proxy on loopback for tests, as a corporate one behaves: plain http:// requests arrive in
// absolute form and are forwarded, https:// ones arrive as CONNECT and are tunnelled. It resolves the
// names under `.upstream.test` itself (to 127.0.0.1, port kept), which nothing else on the machine
// can: a request that reaches such a host went through it. It records every request, and can refuse
// them all with one status (407: it wants a sign-in). Never the network.
import { createServer, request, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { testCertificates, type TestCertificates } from './test-certificates.js';

/** The names only the proxy can resolve. */
export const PROXIED_DOMAIN = 'upstream.test';

export interface CountingProxy {
  /** http://127.0.0.1:<port> */
  url: string;
  /** Each request: `GET http://host:port/path` (forwarded) or `CONNECT host:port` (tunnelled). */
  seen: string[];
  /** Set to answer every request with this status instead; null forwards. */
  refuse: number | null;
  close(): Promise<void>;
}

/** The address a proxied name stands for: 127.0.0.1 for `*.upstream.test`, else nothing. */
function resolveHere(host: string): string | null {
  return host === PROXIED_DOMAIN || host.endsWith(`.${PROXIED_DOMAIN}`) ? '127.0.0.1' : null;
}

/** Starts the proxy on a free loopback port. */
export async function startCountingProxy(): Promise<CountingProxy> {
  const sockets = new Set<Socket>();
  const proxy: CountingProxy = { url: '', seen: [], refuse: null, close: async () => undefined };
  const server: Server = createServer((req, res) => {
    proxy.seen.push(`${req.method} ${req.url}`);
    if (proxy.refuse !== null) {
      res.writeHead(proxy.refuse, { 'proxy-authenticate': 'Basic realm="corp"' }).end();
      return;
    }
    const target = new URL(req.url ?? '');
    const address = resolveHere(target.hostname);
    if (!address) {
      res.writeHead(502).end('unknown host');
      return;
    }
    const forwarded = request(
      {
        host: address,
        port: target.port || 80,
        path: `${target.pathname}${target.search}`,
        method: req.method,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forwarded.on('error', () => res.writeHead(502).end());
    req.pipe(forwarded);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('connect', (req, client: Socket, head: Buffer) => {
    proxy.seen.push(`CONNECT ${req.url}`);
    if (proxy.refuse !== null) {
      client.end(`HTTP/1.1 ${proxy.refuse} Refused\r\nProxy-Authenticate: Basic realm="corp"\r\n\r\n`);
      return;
    }
    const [host = '', port = '443'] = (req.url ?? '').split(':');
    const address = resolveHere(host);
    if (!address) {
      client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
      return;
    }
    const upstream = connect(Number(port), address, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client).pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () =>
    new Promise((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  return proxy;
}

/** A root CA and a certificate it signed for every `*.upstream.test` name. */
export function proxiedCertificates(): TestCertificates {
  return testCertificates('Gatehouse Test Root', `*.${PROXIED_DOMAIN}`, `DNS:*.${PROXIED_DOMAIN}`);
}

/**
 * TLS in front of a plain loopback HTTP server (the local registry, an SDK server), so it can be
 * reached as `https://<name>.upstream.test:<port>` through the proxy's tunnel. Resolves its port.
 */
export async function tlsFront(
  credentials: { key: string; cert: string },
  plainPort: number,
): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createTlsServer(credentials, (secure) => {
    const plain = connect(plainPort, '127.0.0.1');
    sockets.add(plain);
    plain.on('close', () => sockets.delete(plain));
    secure.pipe(plain).pipe(secure);
    plain.on('error', () => secure.destroy());
    secure.on('error', () => plain.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
