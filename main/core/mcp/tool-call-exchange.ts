// A clear-cut 2026-07-28 tools/call served without the SDK entry's web Request/Response machinery:
// the SDK's own classifier accepts it (or has accepted its envelope before), then its
// server instance runs it as usual, on a single-exchange transport that writes the response to Node's
// response itself — one JSON body, or SSE frames when notifications come first — the way the SDK's
// per-request transport would shape it.
// Anything else goes through the SDK's entry (modern-requests.ts). Why and what is kept:
// docs/decisions.md, "Issue 23: the 2026-07-28 tools/call".
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  classifyInboundRequest,
  isJsonContentType,
  PROTOCOL_VERSION_META_KEY,
  ProtocolErrorCode,
  type JSONRPCMessage,
  type JSONRPCRequest,
  type MessageClassification,
  type MessageExtraInfo,
  type RequestId,
  type Transport,
} from '@modelcontextprotocol/server';
import { responseJson } from './exchange.js';
import {
  KEEP_ALIVE_MS,
  LADDER_STATUS,
  SERVED_REVISION,
  SSE_HEADERS,
  stripOws,
} from '../sdk/wire-constants.js';
import { isPlainRequest } from './request-era.js';
import { envelopeAccepted, envelopeKey, rememberAcceptedEnvelope } from './envelope-verdicts.js';

/** A tools/call the SDK's entry would serve, with the classification its transport would carry. */
export interface ClearCutToolCall {
  message: JSONRPCRequest;
  classification: MessageClassification;
  /** The revision the instance is bound to (the classification's, the one the entry serves). */
  revision: string;
}

/**
 * The request as the SDK's classifier accepts it, when it is a tools/call the entry would serve
 * without a doubt: a JSON POST of one plain request, classified modern (envelope valid, headers that
 * agree with it) naming the served revision, with the standard headers the entry requires present
 * (`MCP-Protocol-Version`, `Mcp-Method`, and `Mcp-Name` equal to `params.name`, not Base64-encoded).
 * Undefined for anything else: the entry answers it, with its own error when it is one.
 *
 * `classifyInboundRequest` decides, except for a request whose envelope it has already accepted
 * (envelope-verdicts.ts) and whose envelope version and headers name the served revision and
 * tools/call exactly: for such a plain request its verdict turns on the envelope alone.
 */
export function clearCutToolCall(req: IncomingMessage, body: unknown): ClearCutToolCall | undefined {
  if (req.method !== 'POST' || !isPlainRequest(body) || body.method !== 'tools/call') return undefined;
  const name = body.params?.name;
  const protocolVersionHeader = header(req, 'mcp-protocol-version');
  const mcpMethodHeader = header(req, 'mcp-method');
  const mcpNameHeader = header(req, 'mcp-name');
  if (typeof name !== 'string' || protocolVersionHeader === undefined || mcpMethodHeader === undefined)
    return undefined;
  // The entry's Mcp-Name rule (validateStandardRequestHeaders): present, and equal once decoded.
  const plainName = mcpNameHeader === undefined ? undefined : stripOws(mcpNameHeader);
  if (plainName !== name || plainName.startsWith('=?base64?')) return undefined;
  if (!isJsonContentType(header(req, 'content-type'))) return undefined;
  const key = servedEnvelopeKey(body.params?._meta, protocolVersionHeader, mcpMethodHeader);
  if (key !== undefined && envelopeAccepted(key)) return served(body);
  const outcome = classifyInboundRequest({
    httpMethod: 'POST',
    protocolVersionHeader,
    mcpMethodHeader,
    mcpNameHeader,
    body,
  });
  if (outcome.kind !== 'modern' || outcome.messageKind !== 'request') return undefined;
  if (outcome.classification.revision !== SERVED_REVISION) return undefined;
  if (key !== undefined) rememberAcceptedEnvelope(key);
  return { message: outcome.message, classification: outcome.classification, revision: SERVED_REVISION };
}

/**
 * The envelope's key (envelope-verdicts.ts) when the envelope claims the served revision and the
 * `MCP-Protocol-Version` and `Mcp-Method` headers say exactly that revision and tools/call: then,
 * for a plain tools/call, the classifier's other checks (result? error? request? initialize? header
 * and body agreement) are already answered, and only the envelope's validity is left.
 */
function servedEnvelopeKey(
  meta: Record<string, unknown> | undefined,
  protocolVersionHeader: string,
  mcpMethodHeader: string,
): string | undefined {
  if (meta?.[PROTOCOL_VERSION_META_KEY] !== SERVED_REVISION) return undefined;
  if (stripOws(protocolVersionHeader) !== SERVED_REVISION || stripOws(mcpMethodHeader) !== 'tools/call')
    return undefined;
  return envelopeKey(meta);
}

/** A plain tools/call with an accepted envelope, classified as the SDK's classifier does. */
function served(message: JSONRPCRequest): ClearCutToolCall {
  return { message, classification: { era: 'modern', revision: SERVED_REVISION }, revision: SERVED_REVISION };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * The transport of one tools/call exchange, writing to Node's response: the response alone as one
 * JSON body; notifications for the request (logs, progress) first as SSE frames, in order, then the
 * response as the last frame. Messages for anything but this request are dropped, as the SDK's
 * per-request transport drops them. It never builds a web Response, and a finished exchange does not
 * go through the protocol's close: it has nothing left to settle (a 2026-07-28 instance sends no
 * requests of its own), and its instance serves a later call (tool-call-pool.ts).
 */
export class ToolCallExchange implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: <T extends JSONRPCMessage>(message: T, extra?: MessageExtraInfo) => void;
  readonly #res: ServerResponse;
  #id: RequestId | undefined;
  #state: 'open' | 'finished' | 'closed' = 'open';
  /** True while the protocol takes the message in: an error sent then is the ladder's, not in-band. */
  #dispatching = false;
  #streaming = false;
  #keepAlive: ReturnType<typeof setInterval> | undefined;
  #ended!: () => void;
  readonly #done = new Promise<void>((resolve) => (this.#ended = resolve));

  constructor(res: ServerResponse) {
    this.#res = res;
  }

  async start(): Promise<void> {}

  /** Whether the exchange is still open: neither answered nor closed. */
  get open(): boolean {
    return this.#state === 'open';
  }

  /** Whether the response has been written (false while open, and once closed before it). */
  get finished(): boolean {
    return this.#state === 'finished';
  }

  /**
   * Hands the request to the connected protocol and resolves when the exchange is over: answered,
   * or closed (the client went away, or the engine stops). With `dispatch` (the protocol's request
   * dispatch, sdk/server-internals.ts's `requestDispatch`) the request goes in one step past the
   * protocol's `onmessage`, whose zod checks only find the request the classifier already accepted.
   */
  serve(
    message: JSONRPCRequest,
    extra: MessageExtraInfo,
    dispatch?: (message: JSONRPCRequest, extra: MessageExtraInfo) => void,
  ): Promise<void> {
    if (!this.onmessage) throw new Error('serve() before a server was connected to the exchange');
    this.#id = message.id;
    this.#dispatching = true;
    try {
      if (dispatch) dispatch(message, extra);
      else this.onmessage(message, extra);
    } finally {
      this.#dispatching = false;
    }
    return this.#done;
  }

  async send(message: JSONRPCMessage, options?: { relatedRequestId?: RequestId }): Promise<void> {
    if (this.#state !== 'open') return;
    const isResponse = 'id' in message && ('result' in message || 'error' in message);
    const related = isResponse ? message.id : options?.relatedRequestId;
    if (this.#id === undefined || related !== this.#id) {
      if (isResponse)
        this.onerror?.(new Error(`Received a response for an unknown request id: ${String(message.id)}`));
      return;
    }
    if (!isResponse) {
      this.#stream(message);
      return;
    }
    if (this.#streaming) {
      this.#stream(message);
      this.#res.end();
    } else {
      const code = 'error' in message ? message.error.code : undefined;
      const ladder =
        code !== undefined &&
        (this.#dispatching || code === ProtocolErrorCode.MissingRequiredClientCapability)
          ? LADDER_STATUS.get(code)
          : undefined;
      const json = responseJson(message);
      this.#res.writeHead(ladder ?? 200, {
        'content-type': 'application/json',
        'content-length': json.length,
      });
      this.#res.end(json);
    }
    this.#stop('finished');
  }

  /**
   * Ends the exchange before its response (the client went away, or the engine stops): a client
   * still there gets what the SDK's entry answers a closed exchange with, 499 and no body.
   */
  async close(): Promise<void> {
    if (this.#state !== 'open') return;
    if (this.#streaming) this.#res.end();
    else if (!this.#res.destroyed) this.#res.writeHead(499).end();
    this.#stop('closed');
    this.onclose?.();
  }

  #stream(message: JSONRPCMessage): void {
    if (!this.#streaming) {
      this.#streaming = true;
      this.#res.writeHead(200, SSE_HEADERS);
      this.#keepAlive = setInterval(() => this.#res.write(': keepalive\n\n'), KEEP_ALIVE_MS);
      this.#keepAlive.unref();
    }
    this.#res.write(`event: message\ndata: ${JSON.stringify(message)}\n\n`);
  }

  #stop(state: 'finished' | 'closed'): void {
    this.#state = state;
    clearInterval(this.#keepAlive);
    this.#ended();
  }
}
