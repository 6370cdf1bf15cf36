// The MCP SDK client one upstream connection uses: era negotiation (server/discover, falling back to
// initialize), requests from the server handed to whoever answers them for Gatehouse's clients, and
// CreateTaskResults let through (task-results.ts).
import {
  Client,
  ProtocolError,
  type ConnectOptions,
  type Notification,
  type Request,
  type RequestMethod,
  type RequestOptions,
  type ResultTypeMap,
  type StandardSchemaV1,
  type Transport,
} from '@modelcontextprotocol/client';
import { JsonRpcCode } from '../../json-rpc-errors.js';
import { UI_EXTENSION, UI_EXTENSION_SETTINGS } from '../../mcp-apps.js';
import { DirectResults, tapTaskResults } from './task-results.js';
import { markToolResultValidated } from './validated-results.js';
import { outboundCodec, responseDispatch, type ResultCodec } from '../../sdk/client-internals.js';

/** What a new client is made with, and where what it receives goes. */
export interface UpstreamClientOptions {
  clientInfo: { name: string; version: string };
  /** How long the server/discover probe may take. */
  probeTimeoutMs: number;
  /**
   * Answers the server's own requests (sampling, elicitation, roots). When given, the client declares
   * those capabilities; the gateway routes each request to the downstream client whose call caused it.
   */
  serverRequests: ((method: string, params: unknown, signal: AbortSignal) => Promise<unknown>) | undefined;
  /** A list_changed notification for one kind of catalog, from `client`. */
  listChanged(client: Client, kind: 'tools' | 'resources' | 'prompts'): Promise<void>;
  /** Any other notification from `client`, to forward to Gatehouse's clients. */
  notification(client: Client, notification: Notification): Promise<void>;
}

/** An SDK client for one upstream connection, with the handlers installed. */
export function newUpstreamClient(options: UpstreamClientOptions): Client {
  const forward = options.serverRequests;
  const client = new UpstreamClient(options.clientInfo, {
    capabilities: {
      ...(forward ? { sampling: {}, elicitation: { form: {}, url: {} }, roots: { listChanged: false } } : {}),
      // MCP Apps: a server that offers its UI only to hosts that render it (as the extension says it
      // should) offers it to Gatehouse, which keeps app-only tools from clients that do not.
      extensions: { [UI_EXTENSION]: UI_EXTENSION_SETTINGS },
    },
    versionNegotiation: { mode: 'auto', probe: { timeoutMs: options.probeTimeoutMs } },
    // A 2026-07-28 server's InputRequiredResult goes to the client whose call it answers
    // (gateway/tool-calls.ts): never answered here on anyone's behalf.
    inputRequired: { autoFulfill: false },
  });
  if (forward) {
    const pass =
      (method: string) => async (request: { params?: unknown }, ctx: { mcpReq: { signal: AbortSignal } }) =>
        (await forward(method, request.params, ctx.mcpReq.signal)) as never;
    client.setRequestHandler('sampling/createMessage', pass('sampling/createMessage'));
    client.setRequestHandler('elicitation/create', pass('elicitation/create'));
    client.setRequestHandler('roots/list', pass('roots/list'));
  }
  const refresh = (kind: 'tools' | 'resources' | 'prompts') => () => options.listChanged(client, kind);
  client.setNotificationHandler('notifications/tools/list_changed', refresh('tools'));
  client.setNotificationHandler('notifications/resources/list_changed', refresh('resources'));
  client.setNotificationHandler('notifications/prompts/list_changed', refresh('prompts'));
  client.fallbackNotificationHandler = (notification) => options.notification(client, notification);
  return client;
}

/** Whether a server answered that it does not implement the method (JsonRpcCode.MethodNotFound). */
export const isMethodNotFound = (error: unknown) =>
  error instanceof ProtocolError && error.code === JsonRpcCode.MethodNotFound;

/**
 * Fails every request `client` has in flight with `failure` at once, before its connection is closed
 * (which would fail them with the SDK's bare "Connection closed"): a connection lost for a reason the
 * user should read — every loss the runtime hears of (upstream-base.ts), and first of all a stream or
 * stdio line past the answer cap (http-upstream.ts, stdio-upstream.ts). Only requests made through
 * `request()` are tracked; the SDK's own (the server/discover probe, subscriptions/listen) are not.
 */
export function failRequestsInFlight(client: Client, failure: Error): void {
  if (client instanceof UpstreamClient) client.failInFlight(failure);
}

/**
 * The SDK client, seeing an upstream's CreateTaskResults and taking plain results past its message
 * handler's classification (task-results.ts), and validating each spec
 * result through a validator made once per era and method: the SDK's own `request()`
 * builds one per call and first validates `undefined` with it as a probe, formatting a zod error each
 * time. Each request it makes can be failed from outside while in flight (failRequestsInFlight).
 */
class UpstreamClient extends Client {
  /** How to fail each request in flight, removed once it has settled. */
  readonly #inFlight = new Set<(failure: Error) => void>();

  failInFlight(failure: Error): void {
    const requests = [...this.#inFlight];
    this.#inFlight.clear();
    for (const fail of requests) fail(failure);
  }

  override async connect(transport: Transport, options?: ConnectOptions): Promise<void> {
    // If the SDK ever drops its response dispatch, every message goes through its handler as before.
    const dispatch = responseDispatch(this);
    const direct = dispatch ? new DirectResults(dispatch) : undefined;
    await super.connect(tapTaskResults(transport, direct), options);
    direct?.arm();
  }

  // The SDK's two overloads; one implementation serves both.
  override request<M extends RequestMethod>(
    request: { method: M; params?: Record<string, unknown> },
    options?: RequestOptions,
  ): Promise<ResultTypeMap[M]>;
  override request<T extends StandardSchemaV1>(
    request: Request,
    resultSchema: T,
    options?: RequestOptions,
  ): Promise<StandardSchemaV1.InferOutput<T>>;
  override request(
    request: Request,
    schemaOrOptions?: unknown,
    maybeOptions?: RequestOptions,
  ): Promise<unknown> {
    const sdk = super.request.bind(this) as (request: Request, ...rest: unknown[]) => Promise<unknown>;
    const call = (request: Request, ...rest: unknown[]) => this.#failable(sdk(request, ...rest));
    const codec = isStandardSchemaLike(schemaOrOptions) ? undefined : outboundCodec(this, request.method);
    // A schema of the caller's, or an SDK without the codec lookup: the SDK validates its own way.
    if (codec === undefined) return call(request, schemaOrOptions, maybeOptions);
    const validator = resultValidator(codec, request.method);
    // No result entry in this era (or a task method the SDK checks its own way): the SDK decides.
    if (validator === undefined) return call(request, schemaOrOptions, maybeOptions);
    return call(request, validator, schemaOrOptions);
  }

  /** `answer`, unless failInFlight fails it first (the SDK's later "Connection closed" is then moot). */
  #failable(answer: Promise<unknown>): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.#inFlight.add(reject);
      void answer.then(resolve, reject).finally(() => this.#inFlight.delete(reject));
    });
  }
}

/** tasks/get and tasks/cancel: the SDK era-checks them differently when a schema is given. */
const SDK_CHECKED = new Set(['tasks/get', 'tasks/cancel']);
const validators = new WeakMap<ResultCodec, Map<string, StandardSchemaV1 | null>>();

/** The codec's result check for `method` as a StandardSchema, made once; undefined if the era has none. */
function resultValidator(codec: ResultCodec, method: string): StandardSchemaV1 | undefined {
  if (SDK_CHECKED.has(method)) return undefined;
  let byMethod = validators.get(codec);
  if (!byMethod) validators.set(codec, (byMethod = new Map()));
  let validator = byMethod.get(method);
  if (validator === undefined) {
    // The same probe the SDK runs on every call, run once: is there a result entry for this method?
    const probe = codec.validateResult(method, undefined);
    validator = !probe.ok && probe.reason === 'not-in-era' ? null : codecValidator(codec, method);
    byMethod.set(method, validator);
  }
  return validator ?? undefined;
}

function codecValidator(codec: ResultCodec, method: string): StandardSchemaV1 {
  const marks = method === 'tools/call';
  return {
    '~standard': {
      version: 1,
      vendor: 'gatehouse',
      validate(value: unknown) {
        const outcome = codec.validateResult(method, value);
        if (outcome.ok) {
          if (marks && typeof outcome.value === 'object' && outcome.value !== null)
            markToolResultValidated(outcome.value, codec.era);
          return { value: outcome.value };
        }
        const message =
          outcome.reason === 'invalid' ? (outcome.message ?? 'invalid') : `not-in-era: ${method}`;
        return { issues: [{ message }] };
      },
    },
  } as StandardSchemaV1;
}

function isStandardSchemaLike(value: unknown): boolean {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { '~standard'?: { validate?: unknown } })['~standard']?.validate === 'function'
  );
}
