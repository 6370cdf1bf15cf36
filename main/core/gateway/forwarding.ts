// A client's request forwarded to one connector, as prompts/get, resources/read and completion make
// it: the connector's live client (or a sentence saying it is not connected), the envelope sent on
// the client's behalf, and the input rounds its upstream may ask for, of either era.
import {
  isInputRequiredResult,
  MissingRequiredClientCapabilityError,
  ProtocolError,
  SERVER_INFO_META_KEY,
  type InputRequiredResult,
  type ServerContext,
} from '@modelcontextprotocol/server';
import { JsonRpcCode } from '../json-rpc-errors.js';
import type { Client } from '@modelcontextprotocol/client';
import type { Upstream } from '../connectors/runtime/upstream.js';
import { redactText } from '../policy/redaction.js';
import type { OfferingLists } from './offering-lists.js';
import {
  argumentsDigest,
  continuedState,
  inputRound,
  retryFields,
  type CallState,
  type CallStateCodec,
} from './call-state.js';
import { forwardedEnvelope, takeRequestLogLevel, trackInFlight, type LiveSession } from './live-session.js';
import type { MessageSecrets } from './message-secrets.js';
import { parkedRound, type ParkingContext } from './parked-rounds.js';
import type { RoutingContext } from './routing.js';

/**
 * What a forwarded request needs from the gateway: routing, the upstreams, their timeouts, the codec,
 * and where a 2026-07-28 client's request to a 2025-era upstream waits between rounds.
 */
export interface ForwardContext extends ParkingContext {
  lists: RoutingContext & Pick<OfferingLists, 'shownUri'>;
  codec: CallStateCodec;
  upstream(connector: string): Upstream | undefined;
  /** Per-connector timeout for a forwarded request, in ms (HTTP connectors configure it). */
  callTimeoutMs(connector: string): number;
  /** Resolves once the logs the upstream sent before its result are out (upstream-traffic.ts). */
  logsSent(session: LiveSession, connector: string, upstream: Upstream): Promise<void>;
  /** Secret material in an upstream's requests for input, masked (message-secrets.ts). */
  messageSecrets: Pick<MessageSecrets, 'inputRequests'>;
}

/** The connector's live MCP client; an InternalError the client can retry on when it is not connected. */
export function connectedClient(context: Pick<ForwardContext, 'upstream'>, connector: string): Client {
  const client = context.upstream(connector)?.client();
  if (!client)
    throw new ProtocolError(
      JsonRpcCode.InternalError,
      `gatehouse: connector ${connector} is not connected; try again shortly.`,
    );
  return client;
}

/** The `_meta` envelope keys a request to this connector carries for the client (live-session.ts). */
export function envelopeFor(
  context: Pick<ForwardContext, 'upstream'>,
  session: LiveSession,
  ctx: ServerContext,
  connector: string,
): Record<string, unknown> {
  return forwardedEnvelope(session, ctx, context.upstream(connector)?.era() ?? null);
}

/** A prompts/get, resources/read or completion/complete as withInputRounds forwards it. */
export interface ForwardedRequest {
  session: LiveSession;
  clientId: string;
  connector: string;
  /** The connector's own name for the prompt, resource or completed reference, and the client's. */
  target: string;
  shown: string;
  /** Said in refusals. */
  kind: 'prompt' | 'resource' | 'completion';
  args: unknown;
}

/**
 * A prompts/get, resources/read or completion/complete, with the input its upstream asks for on the
 * way (a completion: only a 2025-era session can be asked; for a 2026-07-28 client it ends). A 2026-07-28
 * upstream may answer InputRequiredResult: it goes to the client with Gatehouse's sealed state, and
 * the client's retry back to the upstream with its answers (the same rounds as tools/call,
 * tool-calls.ts). A 2025-era upstream asks with a request of its own instead: a 2025-era session is
 * asked on its session (upstream-traffic.ts, by the request in flight); for a 2026-07-28 client the
 * request is parked (parked-rounds.ts) and its questions go out as InputRequiredResults.
 */
export async function withInputRounds<R extends object>(
  context: Pick<ForwardContext, 'codec' | 'upstream' | 'logsSent' | 'messageSecrets'> & ParkingContext,
  ctx: ServerContext,
  request: ForwardedRequest,
  send: (
    retry: { inputResponses?: Record<string, unknown>; requestState?: string },
    signal: AbortSignal,
  ) => Promise<R | InputRequiredResult>,
): Promise<R | InputRequiredResult> {
  const { session, connector, target, args, shown } = request;
  takeRequestLogLevel(session, ctx);
  // The logs the upstream sent while building the answer go out before it, as a tool call's do.
  const logsSent = async () => {
    const upstream = context.upstream(connector);
    if (upstream) await context.logsSent(session, connector, upstream);
  };
  const state = continuedState(ctx, connector, target, args, shown);
  const carried = (continuation: Pick<CallState, 'upstream' | 'parked' | 'round'>) => ({
    connector,
    target,
    args: argumentsDigest(args),
    ...continuation,
  });
  if (
    state?.parked !== undefined ||
    (session.era === 'modern' && context.upstream(connector)?.era() === 'legacy')
  ) {
    const round = await parkedRound<R>(context, {
      session,
      clientId: request.clientId,
      connector,
      target: `${request.kind} ${shown}`,
      ctx,
      ...(state?.parked !== undefined ? { continues: { parked: state.parked, round: state.round } } : {}),
      run: (signal) => send({}, signal),
      settled: logsSent,
      // A completion's result cannot carry input requests (2026-07-28 allows them only for tools/call,
      // prompts/get and resources/read): what its upstream asks for, the client cannot answer.
      ...(request.kind === 'completion' ? { answerable: {} } : {}),
    });
    if (!round) {
      throw new ProtocolError(
        JsonRpcCode.InvalidParams,
        `gatehouse: the ${request.kind} ${shown} that this answer continues is no longer waiting (it ended, was cancelled or waited too long); ask for it again.`,
      );
    }
    const { parked, outcome } = round;
    if (outcome.kind === 'input') {
      return inputRound(
        context.codec,
        ctx,
        outcome.requests,
        carried({ parked: parked.id, round: parked.rounds }),
      );
    }
    if (outcome.kind === 'missing-capability' && request.kind === 'completion') {
      throw new ProtocolError(
        JsonRpcCode.InvalidRequest,
        `gatehouse: ${connector} asked for ${Object.keys(outcome.required).join(' and ')} while completing ${shown}; a 2026-07-28 client can answer a server's questions only during a tool call, prompt or resource read, so the completion ended`,
      );
    }
    if (outcome.kind === 'missing-capability') {
      throw new MissingRequiredClientCapabilityError(
        { requiredCapabilities: outcome.required },
        `gatehouse: ${request.kind} ${shown} asked for ${Object.keys(outcome.required).join(' and ')}, which this client did not declare it supports`,
      );
    }
    if (outcome.kind === 'result') return outcome.result;
    // The upstream's own protocol errors reach the client as they are; the parked call's end (the
    // client went away, nobody answered) or a dropped connection is said in Gatehouse's words.
    if (outcome.error instanceof ProtocolError) throw outcome.error;
    throw new ProtocolError(
      JsonRpcCode.InternalError,
      `gatehouse: ${connector} did not complete the ${request.kind} ${shown}: ${redactText((outcome.error as Error).message)}`,
    );
  }
  // In flight for the connector while it is built, as a tool call is: a 2025-era upstream that asks
  // for input (elicitation/create) is asked on this session (upstream-traffic.ts).
  const untrack = trackInFlight(session, connector, ctx.mcpReq.id);
  try {
    const result = await send(retryFields(ctx, state), ctx.mcpReq.signal);
    if (!isInputRequiredResult(result)) {
      await logsSent();
      return result;
    }
    return inputRound(
      context.codec,
      ctx,
      context.messageSecrets.inputRequests(connector, result.inputRequests ?? {}),
      carried(result.requestState !== undefined ? { upstream: result.requestState } : {}),
    );
  } finally {
    untrack();
  }
}

/**
 * An upstream's result without the 2026-07-28 upstream's own `serverInfo` in its `_meta`: the SDK
 * stamps Gatehouse's only on a result that has none, and the client's server is Gatehouse.
 */
export function withoutUpstreamServerInfo<R extends object>(result: R): R {
  const meta = (result as { _meta?: Record<string, unknown> })._meta;
  if (!meta || !(SERVER_INFO_META_KEY in meta)) return result;
  const { [SERVER_INFO_META_KEY]: _upstream, ...rest } = meta;
  const { _meta: _dropped, ...fields } = result as R & { _meta?: unknown };
  return (Object.keys(rest).length > 0 ? { ...fields, _meta: rest } : fields) as R;
}
