// The one HTTP server Gatehouse runs: bound to 127.0.0.1 on one stable port. It applies the
// loopback guard to every request, hands the rest to the engine's router, and turns anything the
// router throws into a plain 500 (never a crash, never a stack trace on the wire).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Logger } from '../effects.js';
import { GatehouseError } from '../errors.js';
import { allowedAuthorities, checkLoopbackRequest } from './loopback-guard.js';
import { sendText } from './http-io.js';

export type Route = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

export interface LoopbackServer {
  readonly port: number;
  close(): Promise<void>;
}

/** `onRefused` hears about every request the guard turned away (for the audit log). */
export async function startLoopbackServer(
  port: number,
  route: Route,
  logger: Logger,
  onRefused: (reason: string, req: IncomingMessage) => void = () => undefined,
): Promise<LoopbackServer> {
  let authorities = allowedAuthorities(port);
  const sockets = new Set<Socket>();
  const server: Server = createServer(
    { requestTimeout: 0, headersTimeout: 30_000, keepAliveTimeout: 65_000 },
    (req, res) => {
      const verdict = checkLoopbackRequest(req, authorities);
      if (!verdict.ok) {
        sendText(res, 403, `${verdict.reason}\n`);
        onRefused(verdict.reason ?? 'refused', req);
        req.resume();
        return;
      }
      route(req, res).catch((error: unknown) => {
        logger.error('request failed', {
          method: req.method,
          url: req.url?.split('?')[0],
          error: (error as Error).message,
        });
        if (!res.headersSent)
          sendText(
            res,
            500,
            'Gatehouse hit an internal error handling this request; details are in its log.\n',
          );
        else res.end();
      });
    },
  );
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('clientError', (_error, socket) => {
    if (socket.writable)
      socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        reject(
          new GatehouseError(
            'port_in_use',
            `Port ${port} on 127.0.0.1 is already in use (another Gatehouse, or another program). Gatehouse does not move to another port because your clients are configured for this one: stop the other program, or choose a port with --port N (or Settings → Port) and update your clients.`,
            { cause: error },
          ),
        );
      } else if (error.code === 'EACCES') {
        reject(
          new GatehouseError(
            'port_in_use',
            `Gatehouse is not allowed to listen on port ${port}; choose a port above 1024 with --port N.`,
            { cause: error },
          ),
        );
      } else {
        reject(error);
      }
    });
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  authorities = allowedAuthorities(bound);
  return {
    port: bound,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}
