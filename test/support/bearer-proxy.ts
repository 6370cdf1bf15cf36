// A loopback forwarding proxy that adds `Authorization: Bearer <token>` to every request, for
// clients that cannot present a token themselves (the conformance suite's `server` command).
// It is transparent otherwise: method, path, headers and bodies stream both ways unchanged, except
// that a Host or Origin naming the proxy itself is rewritten to the target's, so the target sees
// what it would have seen had the client called it directly. A foreign Host or Origin (a DNS
// rebinding probe) passes through untouched, so the target's own guard is what answers it.
import { createServer, request, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface BearerProxy {
  /** http://127.0.0.1:<proxy port> */
  origin: string;
  close(): Promise<void>;
}

export async function startBearerProxy(targetPort: number, token: string): Promise<BearerProxy> {
  const target = `127.0.0.1:${targetPort}`;
  let own = new Set<string>();
  const server = createServer((req, res) => {
    const headers: IncomingHttpHeaders = { ...req.headers, authorization: `Bearer ${token}` };
    if (!req.headers.host || own.has(req.headers.host)) headers.host = target;
    if (req.headers.origin && own.has(req.headers.origin.replace(/^http:\/\//, ''))) {
      headers.origin = `http://${target}`;
    }
    const upstream = request(
      { host: '127.0.0.1', port: targetPort, method: req.method, path: req.url, headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.statusMessage, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', (error) => {
      if (res.headersSent) res.destroy(error);
      else res.writeHead(502, { 'content-type': 'text/plain' }).end(`bearer proxy: ${error.message}\n`);
    });
    // A client that hangs up (e.g. closing an SSE stream) ends the upstream exchange too.
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  own = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
