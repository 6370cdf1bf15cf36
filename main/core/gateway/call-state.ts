// The `requestState` Gatehouse hands a 2026-07-28 client with an InputRequiredResult, and gets back
// with its retry (multi-round-trip requests). It is Gatehouse's own, sealed with a key that lives only
// in this process (HMAC-SHA256 through the SDK's codec), bound to the client and the method, and
// expires with the round: the client cannot forge it, replay another client's, or carry an approval
// over to other arguments. Each one is good for one retry (security-model.md "One approval, one
// call"): Gatehouse remembers the states it handed out and not yet got back, and spends one when it
// returns, so a replay is refused. Inside is what Gatehouse needs to continue — the upstream's own
// state for a 2026-07-28 upstream, or the id of a call parked here for a 2025-era one — and the
// user's approval the call was allowed by.
import { createHash } from 'node:crypto';
import {
  createRequestStateCodec,
  inputRequired,
  ProtocolError,
  type InputRequiredResult,
  type ServerContext,
} from '@modelcontextprotocol/server';
import { JsonRpcCode } from '../json-rpc-errors.js';
import type { Random } from '../effects.js';
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
  /** The user's answer that allowed the first round, if policy asked: it allows this retry only. */
  approval?: CarriedApproval;
}

/**
 * An approval as a round carries it: the approval's id (as the window listed it) and the answer;
 * `secrets`: the user allowed the secret material these arguments carry; `secretsOnly`: policy did not
 * ask, only the secrets did (so a policy that asks now still asks).
 */
export interface CarriedApproval {
  id: string;
  answer: 'once' | 'always' | 'connector';
  secrets?: true;
  secretsOnly?: true;
}

/** A sealed state with the id that makes it good for one retry. */
type SealedState = CallState & { use: string };

/** States a client may hold unspent at once; past it, its oldest is no longer honoured. */
const MAX_OPEN_STATES_PER_CLIENT = 256;

/** Seals a round's CallState into the client's `requestState`, and opens it again on the retry. */
export interface CallStateCodec {
  mint(state: CallState, ctx: ServerContext): Promise<string>;
  /** For `ServerOptions.requestState.verify`: throws on anything not minted here, for this client. */
  verify(state: string, ctx: ServerContext): Promise<CallState>;
}

/**
 * Where the codec draws its key and use ids, and what it tells its owner: a genuine state came back a
 * second time (a replay).
 */
export interface CallStateCodecOptions {
  random: Random;
  onReplay?(state: CallState, ctx: ServerContext): void;
}

/**
 * A codec with a fresh key: state minted by an earlier run of Gatehouse is refused. Every state it
 * mints is good for one retry: verifying spends it, and a state verified again — a replay, however
 * genuine its seal — is refused (the SDK answers InvalidParams "Invalid or expired requestState").
 */
export function createCallStateCodec(options: CallStateCodecOptions): CallStateCodec {
  const ttlMs = PARK_TIMEOUT_MS;
  const sealed = createRequestStateCodec<SealedState>({
    key: options.random.bytes(32),
    ttlSeconds: ttlMs / 1000,
    bind: (ctx) => `${ctx.mcpReq.method}\u0000${clientOf(ctx)}`,
  });
  // Per client, the states handed out and not yet back: use id → when its seal expires. Insertion
  // order is expiry order, so the oldest go first.
  const open = new Map<string, Map<string, number>>();
  let sweepAt = 0;
  const sweep = (now: number) => {
    for (const [client, states] of open) {
      for (const [use, expiresAt] of states) {
        if (expiresAt > now) break;
        states.delete(use);
      }
      if (states.size === 0) open.delete(client);
    }
    sweepAt = now + 60_000;
  };
  return {
    async mint(state, ctx) {
      // The system clock, not the engine's: these expiries mirror the seal's, which the SDK's codec
      // checks against Date.now() (a fake clock here would drop states the seal still honours).
      const now = Date.now();
      if (now >= sweepAt) sweep(now);
      const client = clientOf(ctx);
      let states = open.get(client);
      if (!states) open.set(client, (states = new Map()));
      for (const [use, expiresAt] of states) {
        if (expiresAt > now && states.size < MAX_OPEN_STATES_PER_CLIENT) break;
        states.delete(use);
      }
      const use = options.random.bytes(16).toString('base64url');
      states.set(use, now + ttlMs);
      return sealed.mint({ ...state, use }, ctx);
    },
    async verify(token, ctx) {
      const state = await sealed.verify(token, ctx);
      const client = clientOf(ctx);
      const states = open.get(client);
      if (!states?.delete(state.use)) {
        options.onReplay?.(state, ctx);
        throw new Error('replayed: this requestState was already used');
      }
      if (states.size === 0) open.delete(client);
      return state;
    },
  };
}

const clientOf = (ctx: ServerContext) => ctx.http?.authInfo?.clientId ?? '';

/** The digest of a call's arguments, independent of key order. */
export function argumentsDigest(args: unknown): string {
  return createHash('sha256')
    .update(canonicalJson(args ?? {}))
    .digest('base64url');
}

/**
 * The state a retry carries, checked against the request it came with: the same connector, target
 * and arguments as the round that minted it (a mismatch is refused with InvalidParams), or undefined for a
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
      JsonRpcCode.InvalidParams,
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
