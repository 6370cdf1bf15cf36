// Browser mode: the engine's local HTTP API, as served by `gatehouse serve` beside the UI at /ui/.
// Operations are POST /api/rpc/<name>, authenticated by the HttpOnly UI cookie (same origin) with the
// page's token in a header (page-token.ts); events arrive on one server-sent event stream, read with
// fetch so it carries the header too (EventSource cannot), one named event per EngineEvent type.
import type { EngineEvent, OperationName, OperationOutput } from '@core/api/contract.js';
import { UI_SESSION_HEADER } from '@core/api/ui-session-contract.js';
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

/** How long to wait before reopening a stream the engine refused (signed out, or an error status). */
const REOPEN_DELAY_MS = 5_000;
/** How long to wait before reopening a stream that dropped (the engine restarting, a network blip). */
const RETRY_DELAY_MS = 1_000;

export interface HttpApiOptions {
  fetch?: typeof fetch;
  /** The page's token (page-token.ts), read before each request; none in tests that need none. */
  pageToken?: () => string | null;
  /** Where the API lives; the UI is served from the same origin, so by default a root-relative path. */
  apiBase?: string;
}

export function createHttpApi(options: HttpApiOptions = {}): GatehouseApi {
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  const apiBase = options.apiBase ?? '/api';
  const listeners = new Set<(event: EngineEvent) => void>();
  let stream: AbortController | null = null;
  let everOpened = false;
  let reopenTimer: ReturnType<typeof setTimeout> | null = null;

  const sessionHeaders = (): Record<string, string> => {
    const token = options.pageToken?.();
    return token ? { [UI_SESSION_HEADER]: token } : {};
  };

  const emit = (event: EngineEvent): void => {
    for (const listener of [...listeners]) listener(event);
  };

  const open = (): void => {
    const controller = new AbortController();
    stream = controller;
    void (async () => {
      let delay = RETRY_DELAY_MS;
      try {
        const response = await fetchImpl(`${apiBase}/events`, {
          credentials: 'same-origin',
          cache: 'no-store',
          headers: { accept: 'text/event-stream', ...sessionHeaders() },
          signal: controller.signal,
        });
        if (!response.ok || !response.body) {
          delay = REOPEN_DELAY_MS;
          return;
        }
        if (everOpened) for (const event of RESYNC_EVENTS) emit(event);
        everOpened = true;
        await readEvents(response.body, (type, data) => {
          const event = (EVENT_TYPES as string[]).includes(type) ? parseEvent(type as EventType, data) : null;
          if (event) emit(event);
        });
      } catch {
        // The stream dropped or was closed: reopened below unless closed on purpose.
      } finally {
        if (stream === controller && !controller.signal.aborted) {
          reopenTimer = setTimeout(() => {
            reopenTimer = null;
            if (stream === controller && listeners.size > 0) open();
          }, delay);
        }
      }
    })();
  };

  const close = (): void => {
    if (reopenTimer) clearTimeout(reopenTimer);
    reopenTimer = null;
    stream?.abort();
    stream = null;
  };

  return {
    async call<N extends OperationName>(name: N, input: unknown): Promise<OperationOutput<N>> {
      let response: Response;
      try {
        response = await fetchImpl(`${apiBase}/rpc/${name}`, {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'content-type': 'application/json', ...sessionHeaders() },
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
      if (!stream) open();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) close();
      };
    },
  };
}

/**
 * Reads a server-sent event stream (the HTML standard's format: `event:` and `data:` lines ended by
 * LF or CRLF, a blank line ends an event, `:` starts a comment) and hands each event's type and data
 * on, until it ends.
 */
async function readEvents(
  body: ReadableStream<Uint8Array>,
  onEvent: (type: string, data: string) => void,
): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  let type = 'message';
  let data: string[] = [];
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffered += decoder.decode(value, { stream: true });
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines.map((text) => text.replace(/\r$/, ''))) {
      if (line === '') {
        if (data.length > 0) onEvent(type, data.join('\n'));
        type = 'message';
        data = [];
      } else if (!line.startsWith(':')) {
        const colon = line.indexOf(':');
        const field = colon === -1 ? line : line.slice(0, colon);
        const fieldValue = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') type = fieldValue;
        else if (field === 'data') data.push(fieldValue);
      }
    }
  }
}

async function errorFrom(response: Response): Promise<ApiError> {
  // A refused sign-in speaks to the browser's user, whatever the engine said to the CLI's.
  if (response.status === 401) {
    return new ApiError(
      'unauthorized',
      'This browser is no longer signed in to Gatehouse. Run `gatehouse ui` for a new sign-in link.',
    );
  }
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { code?: unknown; message?: unknown };
    if (typeof body.code === 'string' && typeof body.message === 'string') {
      return new ApiError(body.code, body.message);
    }
  } catch {
    // Not JSON: fall through to a sentence built from the status.
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
