// Browser mode: the engine's local HTTP API, as served by `gatehouse serve` beside the UI at /ui/.
// Operations are POST /api/rpc/<name>, authenticated by the HttpOnly UI cookie (same origin); events
// arrive on one EventSource, one named SSE event per EngineEvent type.
import type { EngineEvent, OperationName, OperationOutput } from '@core/api/contract.js';
import { ApiError, type GatehouseApi } from './gatehouse-api.js';

type EventType = EngineEvent['type'];

/** Every event type the engine pushes; `satisfies` makes a new EngineEvent type a compile error here. */
const EVENT_TYPES = Object.keys({
  'clients.changed': true,
  'client.used': true,
  'sessions.changed': true,
  'connectors.changed': true,
  'tools.changed': true,
  'approvals.changed': true,
  'consents.changed': true,
  'registrations.changed': true,
  'settings.changed': true,
  'audit.appended': true,
} satisfies Record<EventType, true>) as EventType[];

/**
 * After the event stream reconnects, anything pushed while it was down is lost; these tell every
 * store to fetch its state again. (An empty connector name means "any connector".)
 */
const RESYNC_EVENTS: EngineEvent[] = [
  { type: 'settings.changed' },
  { type: 'clients.changed' },
  { type: 'consents.changed' },
  { type: 'registrations.changed' },
  { type: 'approvals.changed' },
  { type: 'connectors.changed', name: '' },
  { type: 'tools.changed', connector: '' },
];

/** How long to wait before reopening a stream the browser gave up on (it retries network errors itself). */
const REOPEN_DELAY_MS = 5_000;

export interface HttpApiOptions {
  fetch?: typeof fetch;
  EventSource?: typeof EventSource;
  /** Where the API lives; the UI is served from the same origin, so by default a root-relative path. */
  apiBase?: string;
}

export function createHttpApi(options: HttpApiOptions = {}): GatehouseApi {
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  const EventSourceImpl = options.EventSource ?? globalThis.EventSource;
  const apiBase = options.apiBase ?? '/api';
  const listeners = new Set<(event: EngineEvent) => void>();
  let source: EventSource | null = null;
  let everOpened = false;
  let reopenTimer: ReturnType<typeof setTimeout> | null = null;

  const emit = (event: EngineEvent): void => {
    for (const listener of [...listeners]) listener(event);
  };

  const open = (): void => {
    const stream = new EventSourceImpl(`${apiBase}/events`);
    source = stream;
    stream.addEventListener('open', () => {
      if (everOpened) for (const event of RESYNC_EVENTS) emit(event);
      everOpened = true;
    });
    stream.addEventListener('error', () => {
      // CLOSED means the browser will not retry (e.g. the engine answered with an error status).
      if (stream.readyState !== EventSourceImpl.CLOSED || source !== stream) return;
      reopenTimer = setTimeout(() => {
        reopenTimer = null;
        if (source === stream && listeners.size > 0) open();
      }, REOPEN_DELAY_MS);
    });
    for (const type of EVENT_TYPES) {
      stream.addEventListener(type, (message) => {
        const event = parseEvent(type, (message as MessageEvent<string>).data);
        if (event) emit(event);
      });
    }
  };

  const close = (): void => {
    if (reopenTimer) clearTimeout(reopenTimer);
    reopenTimer = null;
    source?.close();
    source = null;
  };

  return {
    async call<N extends OperationName>(name: N, input: unknown): Promise<OperationOutput<N>> {
      let response: Response;
      try {
        response = await fetchImpl(`${apiBase}/rpc/${name}`, {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(input ?? {}),
        });
      } catch {
        throw new ApiError(
          'engine_unreachable',
          'Gatehouse is not answering. Is it still running? Reload this page once it is.',
        );
      }
      if (response.ok) return (await response.json()) as OperationOutput<N>;
      throw await errorFrom(response);
    },
    onEvent(listener) {
      listeners.add(listener);
      if (!source) open();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) close();
      };
    },
  };
}

async function errorFrom(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { code?: unknown; message?: unknown };
    if (typeof body.code === 'string' && typeof body.message === 'string') {
      return new ApiError(body.code, body.message);
    }
  } catch {
    // Not JSON: fall through to a sentence built from the status.
  }
  if (response.status === 401) {
    return new ApiError(
      'unauthorized',
      'This browser is no longer signed in to Gatehouse. Run `gatehouse ui` for a new sign-in link.',
    );
  }
  return new ApiError('http_error', `Gatehouse answered ${response.status} ${response.statusText}`.trim());
}

function parseEvent(type: EventType, data: string): EngineEvent | null {
  try {
    const event = JSON.parse(data) as EngineEvent;
    return event && typeof event === 'object' && event.type === type ? event : null;
  } catch {
    return null;
  }
}
