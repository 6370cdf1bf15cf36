// A client's request forwarded to one connector, as prompts/get, resources/read and completion make
// it: the connector's live client (or a sentence saying it is not connected), the envelope sent on
// the client's behalf, and the input rounds a 2026-07-28 upstream may ask for.
import {
  isInputRequiredResult,
  ProtocolError,
  ProtocolErrorCode,
  SERVER_INFO_META_KEY,
  type InputRequiredResult,
  type ServerContext,
} from '@modelcontextprotocol/server';
import type { Client } from '@modelcontextprotocol/client';
import type { Upstream } from '../connectors/upstream.js';
import type { CatalogLists } from './catalog-lists.js';
import {
  argumentsDigest,
  continuedState,
  inputRound,
  retryFields,
  type CallStateCodec,
} from './call-state.js';
import { forwardedEnvelope, type LiveSession } from './live-session.js';
import type { RoutingContext } from './routing.js';

/** What a forwarded request needs from the gateway: routing, the upstreams, their timeouts, the codec. */
export interface ForwardContext {
  lists: RoutingContext & Pick<CatalogLists, 'shownUri'>;
  codec: CallStateCodec;
  upstream(connector: string): Upstream | undefined;
  /** Per-connector timeout for a forwarded request, in ms (HTTP connectors configure it). */
  callTimeoutMs(connector: string): number;
}

/** The connector's live MCP client; an InternalError the client can retry on when it is not connected. */
export function connectedClient(context: Pick<ForwardContext, 'upstream'>, connector: string): Client {
  const client = context.upstream(connector)?.client();
  if (!client)
    throw new ProtocolError(
      ProtocolErrorCode.InternalError,
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

/**
 * A prompts/get or resources/read on a 2026-07-28 upstream may answer InputRequiredResult: it goes
 * to the client with Gatehouse's sealed state, and the client's retry back to the upstream with its
 * answers (the same rounds as tools/call, tool-calls.ts).
 */
export async function withInputRounds<R extends object>(
  codec: CallStateCodec,
  ctx: ServerContext,
  request: { connector: string; target: string; args: unknown; shown: string },
  send: (retry: { inputResponses?: Record<string, unknown>; requestState?: string }) => Promise<R>,
): Promise<R | InputRequiredResult> {
  const { connector, target, args, shown } = request;
  const state = continuedState(ctx, connector, target, args, shown);
  const result = await send(retryFields(ctx, state));
  if (!isInputRequiredResult(result)) return result;
  return inputRound(codec, ctx, result.inputRequests ?? {}, {
    connector,
    target,
    args: argumentsDigest(args),
    ...(result.requestState !== undefined ? { upstream: result.requestState } : {}),
  });
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
