// The one HTTP server Gatehouse runs: bound to 127.0.0.1 on one stable port. It applies the
// loopback guard to every request, hands the rest to the engine's router, and turns anything the
// router throws into a plain 500 (never a crash, never a stack trace on the wire). Clients that are
// slow to send — headers dribbled a byte at a time (slowloris), a body that never ends, a keep-alive
// connection left idle — are cut off; answers are never timed, so SSE streams and long tool calls
// run as long as they need.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Logger } from '../effects.js';
import { GatehouseError } from '../errors.js';
import { allowedAuthorities, checkLoopbackRequest } from './loopback-guard.js';
import { sendText } from './http-io.js';

/** What answers every request the guard let through (the engine's routing table). */
export type Route = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** The running loopback server: the port it listens on, and how to stop it. */
export interface LoopbackServer {
  readonly port: number;
  close(): Promise<void>;
}

/** How long the server waits for a client to send (Node's http server timeouts). */
export interface HttpTimeouts {
  /** From a connection's start (or its previous answer) until a request's headers are complete. */
  headersMs: number;
  /** Until a request has fully arrived, body included; must be at least `headersMs`. */
  requestMs: number;
  /** How long a keep-alive connection may sit idle between requests. */
  keepAliveMs: number;
}

/**
 * Generous for a client on the same machine, which sends a request in microseconds; short enough that
 * a local process cannot hold hundreds of sockets open for free.
 */
const DEFAULT_HTTP_TIMEOUTS: HttpTimeouts = {
  headersMs: 10_000,
  requestMs: 30_000,
  keepAliveMs: 5_000,
};

/** What the loopback server reports, and the timeouts it applies. */
export interface LoopbackServerOptions {
  /** Hears about every request the guard turned away (for the audit log). */
  onRefused?: (reason: string, req: IncomingMessage) => void;
  /** Shorter timeouts for tests; the defaults otherwise. */
  timeouts?: Partial<HttpTimeouts>;
}

/** The answer written on the raw socket when Node's parser gives up on a client. */
function clientErrorAnswer(error: NodeJS.ErrnoException, timeouts: HttpTimeouts): string {
  const [status, text] =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [
          '408 Request Timeout',
          `Gatehouse closed this connection: a request must arrive within ${timeouts.requestMs / 1000} seconds (its headers within ${timeouts.headersMs / 1000}).\n`,
        ]
      : error.code === 'HPE_HEADER_OVERFLOW'
        ? ['431 Request Header Fields Too Large', 'The request headers are too large.\n']
        : ['400 Bad Request', 'The request is not valid HTTP/1.1.\n'];
  return `HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(text)}\r\n\r\n${text}`;
}

/**
 * Starts the loopback server on 127.0.0.1:`port` (0 picks a free port); fails with a clear error when the
 * port is taken.
 */
export async function startLoopbackServer(
  port: number,
  route: Route,
  logger: Logger,
  options: LoopbackServerOptions = {},
): Promise<LoopbackServer> {
  const onRefused = options.onRefused ?? (() => undefined);
  const timeouts: HttpTimeouts = { ...DEFAULT_HTTP_TIMEOUTS, ...options.timeouts };
  let authorities = allowedAuthorities(port);
  const sockets = new Set<Socket>();
  const server: Server = createServer(
    {
      headersTimeout: timeouts.headersMs,
      requestTimeout: timeouts.requestMs,
      keepAliveTimeout: timeouts.keepAliveMs,
      // Node checks the first two on this interval (default 30 s, which would let a slow client
      // stay that much longer than it may).
      connectionsCheckingInterval: Math.min(1_000, Math.max(10, Math.floor(timeouts.headersMs / 4))),
    },
    (req, res) => {
      // Nothing Gatehouse answers is meant to be framed (security-model.md "The listener"). Set before
      // anyone answers, so what another part writes — oidc-provider's own pages among them — carries
      // it too; a page with its own CSP replaces this one with a stricter one that says the same.
      res.setHeader('x-frame-options', 'DENY');
      res.setHeader('content-security-policy', "frame-ancestors 'none'");
      // Origin-form only (RFC 9112 §3.2.1): `//x` would read as an authority to URL parsers, and the
      // absolute and asterisk forms are for proxies and server-wide OPTIONS, neither of which this is.
      if (!req.url?.startsWith('/') || req.url.startsWith('//')) {
        sendText(
          res,
          400,
          `Gatehouse answers only request paths that start with a single "/" (got ${JSON.stringify(req.url?.slice(0, 100))}).\n`,
        );
        req.resume();
        return;
      }
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
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (socket.writable) socket.end(clientErrorAnswer(error, timeouts));
    else socket.destroy();
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
