// One round of a call parked for a 2026-07-28 client (parked-calls.ts), the same for tools/call,
// prompts/get, resources/read (and completion/complete, which has one round only): the call is started, or found again from the round's sealed state,
// given the round's answers, and waited on until it finishes or asks for input again.
import {
  CLIENT_CAPABILITIES_META_KEY,
  type ClientCapabilities,
  type InputRequiredResult,
  type ServerContext,
} from '@modelcontextprotocol/server';
import type { Random } from '../effects.js';
import { envelopeField, trackInFlight, type LiveSession } from './live-session.js';
import { ParkedCall, type ParkedOutcome, type ProgressSink } from './parked-calls.js';

/** Where parked calls live while they wait (the gateway's one map), and ids for new ones. */
export interface ParkingContext {
  /** Calls parked for 2026-07-28 clients, by id (upstream-traffic.ts finds them here). */
  parked: Map<string, ParkedCall<object>>;
  random: Random;
  /** How long a parked call waits for the client's retry (default PARK_TIMEOUT_MS). */
  parkTimeoutMs?: number;
}

/** One round's request: whose it is, what it is for, and how to start the upstream call. */
export interface ParkedRoundRequest<R extends object> {
  session: LiveSession;
  clientId: string;
  connector: string;
  /** What the call is for as the client named it ("tool x", "prompt y"): said in refusals. */
  target: string;
  ctx: ServerContext;
  /** The parked call and round a retry's sealed state names; none for a first round. */
  continues?: { parked: string; round: number | undefined };
  /** Starts the upstream call (first round only): `signal` is the parked call's, not the request's. */
  run(signal: AbortSignal, progress: ProgressSink): Promise<R | InputRequiredResult>;
  /** Awaited once the upstream's result is in, while the request still counts as in flight to it. */
  settled?(): Promise<void>;
  /**
   * What the client can answer in this request, when not what it declared: nothing, for a request
   * whose result cannot carry input requests (completion/complete).
   */
  answerable?: ClientCapabilities;
}

/** What a round ended with, and the call it belongs to (its id and round go into the next state). */
export interface ParkedRound<R extends object> {
  parked: ParkedCall<R>;
  outcome: ParkedOutcome<R>;
}

/**
 * Runs one round. Returns undefined when the retry's state names a call that is no longer waiting:
 * it ended, timed out, was cancelled, belongs to another client, or this is not its current round
 * (an earlier round's answers were given).
 */
export async function parkedRound<R extends object>(
  context: ParkingContext,
  request: ParkedRoundRequest<R>,
): Promise<ParkedRound<R> | undefined> {
  const { session, clientId, connector, ctx, continues } = request;
  let parked: ParkedCall<R>;
  if (continues !== undefined) {
    const found = context.parked.get(continues.parked) as ParkedCall<R> | undefined;
    if (!found?.named(continues.parked) || found.clientId !== clientId || found.rounds !== continues.round)
      return undefined;
    found.answer(ctx.mcpReq.inputResponses ?? {});
    parked = found;
  } else {
    const started = new ParkedCall<R>({
      calls: context.parked,
      newId: () => context.random.bytes(12).toString('base64url'),
      clientId,
      connector,
      target: request.target,
      ...(context.parkTimeoutMs !== undefined ? { timeoutMs: context.parkTimeoutMs } : {}),
    });
    // Progress goes to whichever request of the client is waiting on the call at the time.
    started.start((signal) => request.run(signal, { send: (update) => started.progress?.send(update) }));
    parked = started;
  }
  parked.capabilities =
    request.answerable ??
    (envelopeField(ctx, CLIENT_CAPABILITIES_META_KEY) as ClientCapabilities | undefined);
  const relay = progressRelay(ctx);
  parked.progress = relay;
  const untrack = trackInFlight(session, connector, ctx.mcpReq.id);
  try {
    const outcome = await parked.next(ctx.mcpReq.signal);
    await relay.flushed();
    if (outcome.kind === 'result') await request.settled?.();
    return { parked, outcome };
  } finally {
    untrack();
    if (parked.progress === relay) parked.progress = undefined;
  }
}

/**
 * Relays progress to a request under the request's own progress token (none: nothing is sent), in
 * order; `flushed` resolves once every one has been sent.
 */
export function progressRelay(ctx: ServerContext): ProgressSink & { flushed(): Promise<void> } {
  const progressToken = ctx.mcpReq._meta?.progressToken;
  let chain: Promise<void> = Promise.resolve();
  return {
    send(update) {
      if (progressToken === undefined) return;
      const params = { ...update, progressToken };
      chain = chain
        .then(() => ctx.mcpReq.notify({ method: 'notifications/progress', params } as never))
        .catch(() => undefined);
    },
    // Every progress notification reaches the client before the result does.
    flushed: () => chain,
  };
}
