// The engine's local HTTP API for trusted surfaces (the CLI now, the browser UI later):
// POST /api/rpc/<operation> with a JSON body, and GET /api/events as a server-sent event stream.
// Authenticated by the API secret kept in the data directory (0600), compared in constant time, or by
// the browser UI's session: its cookie with the page token in a header (ui-access.ts).
import { timingSafeEqual, createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isGatehouseError } from '../errors.js';
import { BodyError, readJson, sendJson } from '../http/http-io.js';
import type { Logger } from '../effects.js';
import type { EngineEvent } from '../api/contract.js';
import type { Surface } from '../operations/engine-api.js';

const API_BODY_LIMIT = 256 * 1024;

/** What the HTTP API authenticates with, dispatches to, and streams events from. */
export interface HttpApiOptions {
  apiSecret: string;
  /** The browser UI's session check (cookie and page token), besides the API secret the CLI sends. */
  uiAuthorized?: (req: IncomingMessage) => boolean;
  /** Runs an operation by name, its input checked (operations/engine-api.ts `dispatch`). */
  dispatch(name: string, input: unknown, surface: Surface): Promise<unknown>;
  logger: Logger;
  subscribe(listener: (event: EngineEvent) => void): () => void;
}

/**
 * The trusted HTTP API under /api/: operations by POST, engine events by SSE, each request authenticated
 * first.
 */
export class HttpApi {
  readonly #options: HttpApiOptions;
  readonly #secretDigest: Buffer;
  /** Open event streams, each with the function that detaches it from the engine. */
  readonly #streams = new Map<ServerResponse, () => void>();

  constructor(options: HttpApiOptions) {
    this.#options = options;
    this.#secretDigest = createHash('sha256').update(options.apiSecret).digest();
  }

  /**
   * Answers a request under /api/ (`path` is the rest of its path), once it has shown the API secret or
   * the UI cookie.
   */
  async handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    if (!this.#authorized(req)) {
      sendJson(
        res,
        401,
        {
          code: 'unauthorized',
          message:
            'The Gatehouse API needs the secret from the data directory (the gatehouse CLI sends it for you).',
        },
        { 'www-authenticate': 'Bearer realm="gatehouse-api"' },
      );
      return;
    }
    if (path === '/api/events' && req.method === 'GET') {
      this.#openEventStream(req, res);
      return;
    }
    const match = /^\/api\/rpc\/([a-z]+\.[a-zA-Z]+)$/.exec(path);
    if (!match) {
      sendJson(res, 404, { code: 'not_found', message: `There is no API route ${path}.` });
      return;
    }
    if (req.method !== 'POST') {
      sendJson(
        res,
        405,
        { code: 'bad_request', message: 'API operations are called with POST.' },
        { allow: 'POST' },
      );
      return;
    }
    try {
      const input = await readJson(req, API_BODY_LIMIT);
      const output = await this.#options.dispatch(match[1]!, input, this.#surfaceOf(req));
      sendJson(res, 200, output);
    } catch (error) {
      if (error instanceof BodyError) {
        sendJson(res, error.status, { code: 'bad_request', message: error.message });
      } else if (isGatehouseError(error)) {
        sendJson(res, error.httpStatus, { code: error.code, message: error.message });
      } else {
        this.#options.logger.error('API operation failed', {
          operation: match[1],
          error: (error as Error).message,
        });
        sendJson(res, 500, {
          code: 'internal',
          message: 'Gatehouse hit an internal error; details are in its log.',
        });
      }
    }
  }

  /** Ends every open event stream (engine stop). */
  closeStreams(): void {
    for (const [res, detach] of this.#streams) {
      detach();
      res.end();
    }
    this.#streams.clear();
  }

  /** Who asked: the CLI shows the API secret, the browser UI its session. */
  #surfaceOf(req: IncomingMessage): Surface {
    return req.headers.authorization?.startsWith('Bearer ') ? 'the command line' : 'the browser';
  }

  #authorized(req: IncomingMessage): boolean {
    const header = req.headers.authorization;
    if (!header?.startsWith('Bearer ')) return this.#options.uiAuthorized?.(req) ?? false;
    const presented = createHash('sha256').update(header.slice(7).trim()).digest();
    return timingSafeEqual(presented, this.#secretDigest);
  }

  #openEventStream(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    res.write(': gatehouse events\n\n');
    const write = (text: string): void => {
      if (!res.writableEnded && !res.destroyed) res.write(text);
    };
    const unsubscribe = this.#options.subscribe((event) =>
      write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`),
    );
    const heartbeat = setInterval(() => write(': keep-alive\n\n'), 25_000);
    heartbeat.unref();
    const detach = (): void => {
      clearInterval(heartbeat);
      unsubscribe();
      this.#streams.delete(res);
    };
    this.#streams.set(res, detach);
    req.once('close', detach);
  }
}
