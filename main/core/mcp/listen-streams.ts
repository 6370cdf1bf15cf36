// 2026-07-28 subscriptions/listen streams: how a client without a session hears that lists changed or
// a resource it watches was updated. Each stream is served by its own SDK entry with its own event
// bus (the SDK does the acknowledgement, the filter, the subscription id and the keep-alive), so
// Gatehouse can tell every stream apart: it publishes only what the stream's client may see, counts
// streams per client (a bounded number each), and closes a client's streams when it is revoked.
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  createMcpHandler,
  InMemoryServerEventBus,
  type McpHttpHandler,
  type ServerEvent,
} from '@modelcontextprotocol/server';
import { JsonRpcCode } from '../json-rpc-errors.js';
import type { Logger } from '../effects.js';
import { grantReaches } from '../policy/effective-access.js';
import type { Caller } from './bearer-check.js';
import { requestView, sendResponse } from './web-exchange.js';
import type { ModernCall, ModernRequests } from './modern-requests.js';
import type { ListKind, SessionServices } from './session-services.js';

/** Open listen streams one client may have (a client needs one per endpoint; some reconnect). */
const MAX_LISTEN_STREAMS_PER_CLIENT = 8;

interface ListenStream {
  call: ModernCall;
  handler: McpHttpHandler;
  bus: InMemoryServerEventBus;
  release: (() => Promise<void>) | undefined;
}

const listEvents: Record<ListKind, ServerEvent> = {
  tools: { kind: 'tools_list_changed' },
  prompts: { kind: 'prompts_list_changed' },
  resources: { kind: 'resources_list_changed' },
};

/**
 * The open 2026-07-28 listen streams: serves each, publishes to it only what its caller may see, and
 * closes a client's streams when it is revoked.
 */
export class ListenStreams {
  readonly #services: SessionServices;
  readonly #requests: ModernRequests;
  readonly #logger: Logger;
  readonly #max: number;
  readonly #streams = new Set<ListenStream>();
  readonly #onChange: () => void;

  constructor(options: {
    services: SessionServices;
    requests: ModernRequests;
    logger: Logger;
    maxPerClient?: number;
    /** A client's live connections changed (for the Clients view). */
    onChange(): void;
  }) {
    this.#services = options.services;
    this.#requests = options.requests;
    this.#logger = options.logger;
    this.#max = options.maxPerClient ?? MAX_LISTEN_STREAMS_PER_CLIENT;
    this.#onChange = options.onChange;
  }

  /** Serves one subscriptions/listen request; the response stays open as the stream. */
  async serve(req: IncomingMessage, res: ServerResponse, body: unknown, call: ModernCall): Promise<void> {
    const id = (body as { id?: unknown }).id;
    if (this.countOf(call.caller.clientId) >= this.#max) {
      const message = `gatehouse: this client already has ${this.#max} subscriptions/listen streams open; close one before opening another (one stream can carry every notification type).`;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          jsonrpc: '2.0',
          id: id ?? null,
          error: { code: JsonRpcCode.InternalError, message },
        }),
      );
      return;
    }
    const bus = new InMemoryServerEventBus();
    const handler = createMcpHandler(() => this.#requests.newServer(call.scope, call.caller), {
      legacy: 'reject',
      bus,
      maxSubscriptions: 1,
    });
    const abort = new AbortController();
    const response = await handler.fetch(requestView(req, abort.signal), {
      authInfo: call.authInfo,
      parsedBody: body,
    });
    if (!(response.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
      // Refused (a malformed request, a wrong revision): the answer is all there is.
      await sendResponse(response, res);
      return;
    }
    const stream: ListenStream = { call, handler, bus, release: undefined };
    this.#streams.add(stream);
    this.#onChange();
    res.once('close', () => {
      abort.abort();
      if (!this.#streams.delete(stream)) return;
      void stream.release?.();
      void handler.close();
      this.#onChange();
    });
    const uris = watchedUris(body);
    if (uris.length > 0) {
      void this.#services
        .watchResources(call.scope, call.caller, uris, (uri) =>
          bus.publish({ kind: 'resource_updated', uri }),
        )
        .then((release) => {
          if (this.#streams.has(stream)) stream.release = release;
          else void release();
        })
        .catch((error: unknown) =>
          this.#logger.warn('could not watch resources for a listen stream', {
            error: (error as Error).message,
          }),
        );
    }
    await sendResponse(response, res);
  }

  /** Lists of `connector` (null: of all) changed: every stream whose client can see it hears of it. */
  listChanged(connector: string | null, lists: ListKind[]): void {
    for (const stream of this.#streams) {
      if (!sees(stream.call.caller, stream.call.scope.connector, connector)) continue;
      for (const list of lists) stream.bus.publish(listEvents[list]);
    }
  }

  /** A client's grant changed: each of its streams hears that every list may have changed. */
  listsChangedFor(clientId: string): void {
    for (const stream of this.#streams) {
      if (stream.call.caller.clientId !== clientId) continue;
      for (const event of Object.values(listEvents)) stream.bus.publish(event);
    }
  }

  /** A client's open listen streams. */
  countOf(clientId: string): number {
    let count = 0;
    for (const stream of this.#streams) if (stream.call.caller.clientId === clientId) count++;
    return count;
  }

  /** The clients with a listen stream open. */
  clients(): Iterable<string> {
    return new Set([...this.#streams].map((stream) => stream.call.caller.clientId));
  }

  get size(): number {
    return this.#streams.size;
  }

  /** Ends a client's streams (revoke): each gets the listen result that says the server ended it. */
  async closeOf(clientId: string): Promise<number> {
    const streams = [...this.#streams].filter((stream) => stream.call.caller.clientId === clientId);
    await Promise.all(streams.map((stream) => stream.handler.close()));
    return streams.length;
  }

  /** Ends every stream (engine stop). */
  async closeAll(): Promise<void> {
    await Promise.all([...this.#streams].map((stream) => stream.handler.close()));
  }
}

/** Whether a stream on `/mcp` (scope null) or `/mcp/<scope>` shows `connector` to its caller. */
function sees(caller: Caller, scope: string | null, connector: string | null): boolean {
  if (connector === null) return true;
  if (scope !== null && scope !== connector) return false;
  return grantReaches(caller.grant.connectors, connector);
}

/** The resource URIs a listen request asks to hear about. */
function watchedUris(body: unknown): string[] {
  const uris = (body as { params?: { notifications?: { resourceSubscriptions?: unknown } } }).params
    ?.notifications?.resourceSubscriptions;
  return Array.isArray(uris) ? uris.filter((uri): uri is string => typeof uri === 'string') : [];
}
