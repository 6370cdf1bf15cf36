// The `requestState` Gatehouse hands a 2026-07-28 client with an InputRequiredResult, and gets back
// with its retry (multi-round-trip requests). It is Gatehouse's own, sealed with a key that lives only
// in this process (HMAC-SHA256 through the SDK's codec), bound to the client and the method, and
// expires with the round: the client cannot forge it, replay another client's, or carry an approval
// over to other arguments. Inside is what Gatehouse needs to continue — the upstream's own state for a
// 2026-07-28 upstream, or the id of a call parked here for a 2025-era one.
import { createHash, randomBytes } from 'node:crypto';
import {
  createRequestStateCodec,
  inputRequired,
  ProtocolError,
  ProtocolErrorCode,
  type InputRequiredResult,
  type ServerContext,
} from '@modelcontextprotocol/server';
import { canonicalJson } from '../policy/tool-fingerprint.js';
import { PARK_TIMEOUT_MS } from './parked-calls.js';

/** What a round carries from one request to the next. */
export interface CallState {
  /** The connector and its own name for the tool, prompt or resource. */
  connector: string;
  target: string;
  /** Digest of the arguments the call was decided for: a retry must repeat them. */
  args: string;
  /** The upstream's own requestState (a 2026-07-28 upstream), passed back to it verbatim. */
  upstream?: string;
  /** A call parked here (a 2025-era upstream waiting for the answers), and its round. */
  parked?: string;
  round?: number;
}

/** Seals a round's CallState into the client's `requestState`, and opens it again on the retry. */
export interface CallStateCodec {
  mint(state: CallState, ctx: ServerContext): Promise<string>;
  /** For `ServerOptions.requestState.verify`: throws on anything not minted here, for this client. */
  verify(state: string, ctx: ServerContext): Promise<CallState>;
}

/** A codec with a fresh key: state minted by an earlier run of Gatehouse is refused. */
export function createCallStateCodec(): CallStateCodec {
  return createRequestStateCodec<CallState>({
    key: randomBytes(32),
    ttlSeconds: PARK_TIMEOUT_MS / 1000,
    bind: (ctx) => `${ctx.mcpReq.method}\u0000${ctx.http?.authInfo?.clientId ?? ''}`,
  });
}

/** The digest of a call's arguments, independent of key order. */
export function argumentsDigest(args: unknown): string {
  return createHash('sha256')
    .update(canonicalJson(args ?? {}))
    .digest('base64url');
}

/**
 * The state a retry carries, checked against the request it came with: the same connector, target
 * and arguments as the round that minted it (a mismatch is refused with -32602), or undefined for a
 * first round.
 */
export function continuedState(
  ctx: ServerContext,
  connector: string,
  target: string,
  args: unknown,
  shown: string,
): CallState | undefined {
  const state = ctx.mcpReq.requestState<CallState>();
  if (state === undefined) return undefined;
  if (state.connector !== connector || state.target !== target || state.args !== argumentsDigest(args)) {
    throw new ProtocolError(
      ProtocolErrorCode.InvalidParams,
      `gatehouse: this requestState belongs to another request; retry ${shown} with the arguments of its first round.`,
    );
  }
  return state;
}

/**
 * What a retry sends a 2026-07-28 upstream: the round's answers and the upstream's own state,
 * verbatim. Answers that come without Gatehouse's state go along too (the call is then decided
 * afresh, like a first round); a parked call takes its answers here instead (parked-calls.ts).
 */
export function retryFields(
  ctx: ServerContext,
  state: CallState | undefined,
): { inputResponses?: Record<string, unknown>; requestState?: string } {
  if (state?.parked !== undefined) return {};
  const answers = ctx.mcpReq.inputResponses;
  return {
    ...(answers !== undefined ? { inputResponses: answers } : {}),
    ...(state?.upstream !== undefined ? { requestState: state.upstream } : {}),
  };
}

/** An InputRequiredResult for the client: the requests as they are, Gatehouse's own sealed state. */
export async function inputRound(
  codec: CallStateCodec,
  ctx: ServerContext,
  requests: Record<string, unknown>,
  state: CallState,
): Promise<InputRequiredResult> {
  return inputRequired({
    ...(Object.keys(requests).length > 0
      ? { inputRequests: requests as InputRequiredResult['inputRequests'] }
      : {}),
    requestState: await codec.mint(state, ctx),
  });
}
