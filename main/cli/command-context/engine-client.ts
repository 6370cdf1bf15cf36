// How the CLI reaches a running engine (the desktop app or `gatehouse serve`): the engine record and
// API secret in the data directory say where it listens and prove we may ask; every call then goes
// through the engine's HTTP API, checked against the same contract the engine serves.
import { readFileSync } from 'node:fs';
import { EventSourceParserStream } from 'eventsource-parser/stream';
import { join } from 'node:path';
import {
  operations,
  type ApiErrorBody,
  type EngineEvent,
  type OperationInput,
  type OperationName,
  type OperationOutput,
} from '../../core/api/contract.js';
import {
  API_SECRET_FILE,
  ENGINE_FILE,
  readEngineRecord,
  type EngineRecord,
} from '../../core/engine/engine-record.js';
import { GatehouseError } from '../../core/errors.js';

const START_HINT = 'Start it with `gatehouse serve` or open the Gatehouse app.';
/** How long a call may take before the CLI says the engine did not answer. */
const CALL_TIMEOUT_MS = 30_000;
/**
 * A call the contract marks `startsServers` waits for their first start to end: a server started by a
 * package runner (npx, uvx, …) may take two minutes, as its first start installs it (the engine's
 * `startWindow`).
 */
const START_CALL_TIMEOUT_MS = 150_000;

/**
 * How long the CLI waits for an answer to `name`.
 * @internal Exported for its tests only.
 */
export function callTimeoutMs(name: OperationName): number {
  return 'startsServers' in operations[name] ? START_CALL_TIMEOUT_MS : CALL_TIMEOUT_MS;
}

/** The engine answered, but with an error: its stable code and its sentence for the user. */
export class EngineApiError extends Error {
  readonly code: string;
  readonly status: number;

  constructor(code: string, message: string, status: number) {
    super(message);
    this.name = 'EngineApiError';
    this.code = code;
    this.status = status;
  }
}

/** The CLI's connection to a running engine: its record, and calls to the trusted API with the API secret. */
export class EngineClient {
  readonly dataDir: string;
  readonly record: EngineRecord;
  readonly #secret: string;
  readonly #origin: string;

  private constructor(dataDir: string, record: EngineRecord, secret: string) {
    this.dataDir = dataDir;
    this.record = record;
    this.#secret = secret;
    // The loopback guard only answers requests whose Host is 127.0.0.1:<port>, which this URL sends.
    this.#origin = `http://127.0.0.1:${record.port}`;
  }

  /** Finds the engine serving `dataDir`; throws engine_not_running with what to do when there is none. */
  static connect(dataDir: string): EngineClient {
    const found = readEngineRecord(dataDir);
    switch (found.state) {
      case 'missing':
        throw new GatehouseError(
          'engine_not_running',
          `Gatehouse is not running (no engine record in ${dataDir}). ${START_HINT}`,
        );
      case 'unreadable':
        throw new GatehouseError(
          'engine_not_running',
          `Gatehouse's engine record ${join(dataDir, ENGINE_FILE)} cannot be used (${found.reason}). If Gatehouse is not running, delete that file; then ${START_HINT.charAt(0).toLowerCase()}${START_HINT.slice(1)}`,
        );
      case 'stale':
        throw new GatehouseError(
          'engine_not_running',
          `Gatehouse is not running (the engine record in ${dataDir} is stale: process ${found.record.pid} has exited). ${START_HINT}`,
        );
      case 'alive':
        return new EngineClient(dataDir, found.record, readSecret(dataDir));
    }
  }

  get port(): number {
    return this.record.port;
  }

  /** Calls one contract operation on the engine and checks its answer against the contract. */
  async call<N extends OperationName>(name: N, input: OperationInput<N>): Promise<OperationOutput<N>> {
    const timeoutMs = callTimeoutMs(name);
    const response = await this.#request(
      `/api/rpc/${name}`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(input),
      },
      timeoutMs,
    );
    if (!response.ok) throw await apiErrorOf(response);
    const body: unknown = await response.json();
    const parsed = operations[name].output.safeParse(body);
    if (!parsed.success) {
      throw new EngineApiError(
        'unexpected_response',
        `Gatehouse ${this.record.version} answered ${name} in a form this CLI does not understand; are the CLI and the app the same version?`,
        response.status,
      );
    }
    return parsed.data as OperationOutput<N>;
  }

  /**
   * The engine's live events (GET /api/events, server-sent events) until the engine stops, `signal`
   * aborts, or the caller breaks out of its loop. `onOpen` runs once the engine has accepted the
   * stream: from then on no event is missed.
   */
  async *events(
    options: { signal?: AbortSignal; onOpen?: () => void } = {},
  ): AsyncGenerator<EngineEvent, void, undefined> {
    const stop = new AbortController();
    const onAbort = (): void => stop.abort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      let response: Response;
      try {
        response = await this.#request('/api/events', { method: 'GET', signal: stop.signal });
      } catch (error) {
        if (stop.signal.aborted) return;
        throw error;
      }
      if (!response.ok) throw await apiErrorOf(response);
      if (!response.body) return;
      options.onOpen?.();
      // eventsource-parser reads the stream (any line ending, split anywhere across chunks); `event:`
      // only repeats the type the JSON data carries.
      const messages = response.body
        .pipeThrough(new TextDecoderStream())
        .pipeThrough(new EventSourceParserStream());
      try {
        for await (const message of messages) yield JSON.parse(message.data) as EngineEvent;
      } catch (error) {
        if (stop.signal.aborted) return;
        throw error;
      }
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
      // Ends the HTTP stream when the caller stops early, so the engine drops its subscriber.
      stop.abort();
    }
  }

  /**
   * The engine's live events, resolving only once the engine has accepted the stream: whatever the
   * caller does afterwards (an operation, a query) cannot produce an event the stream misses. A
   * failure to open surfaces on the first iteration. Abort `signal` when done, even if the stream
   * was never iterated.
   */
  async subscribe(signal: AbortSignal): Promise<AsyncGenerator<EngineEvent, void, undefined>> {
    let markOpen = (): void => {};
    const open = new Promise<void>((resolve) => (markOpen = resolve));
    const events = this.events({ signal, onOpen: () => markOpen() });
    const first = events.next();
    await Promise.race([open, first.then(ignore, ignore)]);
    return (async function* () {
      const result = await first;
      if (result.done) return;
      yield result.value;
      yield* events;
    })();
  }

  /** One request to the engine; with `timeoutMs`, given up (engine_unreachable) when no answer came by then. */
  async #request(path: string, init: RequestInit, timeoutMs?: number): Promise<Response> {
    try {
      return await fetch(`${this.#origin}${path}`, {
        ...init,
        ...(timeoutMs === undefined ? {} : { signal: AbortSignal.timeout(timeoutMs) }),
        headers: {
          ...(init.headers as Record<string, string> | undefined),
          authorization: `Bearer ${this.#secret}`,
        },
      });
    } catch (error) {
      throw this.#unreachable(error, timeoutMs);
    }
  }

  #unreachable(error: unknown, timeoutMs: number | undefined): Error {
    if (error instanceof Error && error.name === 'AbortError') return error;
    const where = `127.0.0.1:${this.port}`;
    if (error instanceof Error && error.name === 'TimeoutError' && timeoutMs !== undefined) {
      return new GatehouseError(
        'engine_unreachable',
        `Gatehouse on ${where} did not answer within ${timeoutMs / 1000} seconds.`,
        {
          cause: error,
        },
      );
    }
    const code =
      ((error as { cause?: { code?: unknown } }).cause?.code as string | undefined) ?? 'unknown error';
    const reason = code === 'ECONNREFUSED' ? 'connection refused' : code;
    return new GatehouseError(
      'engine_unreachable',
      `Gatehouse is not answering on port ${this.port} (${where}: ${reason}). If it stopped or crashed, start it again with \`gatehouse serve\` or open the Gatehouse app.`,
      { cause: error },
    );
  }
}

function readSecret(dataDir: string): string {
  const path = join(dataDir, API_SECRET_FILE);
  let secret: string;
  try {
    secret = readFileSync(path, 'utf8').trim();
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'EACCES' ? 'you may not read it' : 'it is missing';
    throw new GatehouseError(
      'unauthorized',
      `The Gatehouse API secret ${path} cannot be read (${reason}). Run the CLI as the user who runs Gatehouse; restarting Gatehouse recreates a missing secret.`,
      { cause: error },
    );
  }
  return secret;
}

async function apiErrorOf(response: Response): Promise<EngineApiError> {
  const text = await response.text();
  try {
    const body = JSON.parse(text) as Partial<ApiErrorBody>;
    if (typeof body.code === 'string' && typeof body.message === 'string') {
      return new EngineApiError(body.code, body.message, response.status);
    }
  } catch {
    /* not the API's JSON error shape; described below */
  }
  const firstLine = text.split('\n', 1)[0]?.trim();
  return new EngineApiError(
    'unexpected_response',
    `Gatehouse answered HTTP ${response.status}${firstLine ? `: ${firstLine}` : ''}`,
    response.status,
  );
}

function ignore(): void {}
