// A proxy such as a company network puts between its computers and the internet, for tests of what goes
// through it: it records each CONNECT's authority and each absolute-URI request, tunnels a CONNECT to
// its destination (or, with `origin`, to that one server whatever the destination, as a network that
// only the proxy leaves), and answers an absolute-URI request itself with what it was asked.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

export interface RecordingProxy {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /** What it was asked for, in order: `CONNECT host:port` or `GET http://…`. */
  seen: string[];
  close(): Promise<void>;
}

export async function recordingProxy(
  options: { origin?: { host: string; port: number } } = {},
): Promise<RecordingProxy> {
  const seen: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((request, response) => {
    seen.push(`${request.method} ${request.url}`);
    response.end(`proxied ${request.method} ${request.url}`);
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('connect', (request: IncomingMessage, client: Socket, head: Buffer) => {
    seen.push(`CONNECT ${request.url}`);
    const [host = '', port = '443'] = (request.url ?? '').split(/:(?=\d+$)/);
    const target = options.origin ?? { host, port: Number(port) };
    const upstream = connect(target.port, target.host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.once('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n'));
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
