// A call from a 2026-07-28 client to a 2025-era upstream runs as a parked call from its first round
// (parked-rounds.ts), but its unguessable id is drawn only when a round actually goes to the client:
// a call that never asks for input draws no randomness and leaves no entry behind, and a
// retry naming the local key a call has until then (or a key it had) finds nothing to continue.
import { describe, expect, it } from 'vitest';
import type { InputRequiredResult, ServerContext } from '@modelcontextprotocol/server';
import type { LiveSession } from '../../../main/core/gateway/live-session.js';
import type { ParkedCall } from '../../../main/core/gateway/parked-calls.js';
import { parkedRound, type ParkingContext } from '../../../main/core/gateway/parked-rounds.js';

function parking(): ParkingContext & { draws: number } {
  let next = 0;
  const context = {
    parked: new Map<string, ParkedCall<object>>(),
    draws: 0,
    random: {
      bytes(length: number) {
        context.draws += 1;
        return Buffer.alloc(length, ++next);
      },
    },
  };
  return context;
}

const session = { scope: { connector: null }, era: 'modern', inFlight: new Map() } as unknown as LiveSession;

function requestContext(id: number, inputResponses?: Record<string, unknown>): ServerContext {
  return {
    mcpReq: {
      id,
      signal: new AbortController().signal,
      envelope: { 'io.modelcontextprotocol/clientCapabilities': { elicitation: {} } },
      notify: async () => undefined,
      ...(inputResponses ? { inputResponses } : {}),
    },
  } as unknown as ServerContext;
}

type Result = { content: Array<{ type: 'text'; text: string }> };

describe('a parked round', () => {
  it('draws no id for a call that never asks for input, and leaves nothing behind', async () => {
    const context = parking();
    const round = await parkedRound<Result>(context, {
      session,
      clientId: 'client-a',
      connector: 'legacy',
      target: 'tool echo',
      ctx: requestContext(1),
      run: async () => ({ content: [{ type: 'text', text: 'done' }] }),
    });
    expect(round?.outcome).toEqual({ kind: 'result', result: { content: [{ type: 'text', text: 'done' }] } });
    expect(context.draws).toBe(0);
    expect(context.parked.size).toBe(0);
  });

  it('is filed under a drawn id once a round goes to the client; its local key continues nothing', async () => {
    const context = parking();
    const first = await parkedRound<Result>(context, {
      session,
      clientId: 'client-a',
      connector: 'legacy',
      target: 'tool ask',
      ctx: requestContext(1),
      run: async () => {
        // The upstream asks, as upstream-traffic.ts hands its request to the one running call.
        const [call] = [...context.parked.values()];
        const [localKey] = [...context.parked.keys()];
        expect(localKey).toMatch(/^~\d+$/);
        const reply = await call!.ask(
          'elicitation/create',
          { message: 'name?' },
          new AbortController().signal,
        );
        return { content: [{ type: 'text', text: `hello ${JSON.stringify(reply)}` }] };
      },
    });
    expect(first?.outcome.kind).toBe('input');
    const id = first!.parked.id;
    expect(context.draws).toBe(1);
    expect(id).toBe(Buffer.alloc(12, 1).toString('base64url'));
    expect([...context.parked.keys()]).toEqual([id]);

    // A retry naming a local key (a call's before it has an id) is refused, like any unknown call.
    const other = new Promise<InputRequiredResult>(() => undefined);
    const running = parkedRound<Result>(context, {
      session,
      clientId: 'client-a',
      connector: 'legacy',
      target: 'tool slow',
      ctx: requestContext(2),
      run: () => other,
    });
    const local = [...context.parked.keys()].find((key) => key.startsWith('~'))!;
    expect(local).toBeDefined();
    for (const round of [0, 1, undefined]) {
      expect(
        await parkedRound<Result>(context, {
          session,
          clientId: 'client-a',
          connector: 'legacy',
          target: 'tool slow',
          ctx: requestContext(3, { 'elicitation-1': 'x' }),
          continues: { parked: local, round },
          run: () => other,
        }),
      ).toBeUndefined();
    }
    expect(context.draws).toBe(1);

    // Its own retry continues it; the id then leaves the map.
    const second = await parkedRound<Result>(context, {
      session,
      clientId: 'client-a',
      connector: 'legacy',
      target: 'tool ask',
      ctx: requestContext(4, { 'elicitation-1': { action: 'accept' } }),
      continues: { parked: id, round: 1 },
      run: () => other,
    });
    expect(second?.outcome).toEqual({
      kind: 'result',
      result: { content: [{ type: 'text', text: 'hello {"action":"accept"}' }] },
    });
    expect(context.parked.has(id)).toBe(false);
    for (const call of context.parked.values()) call.cancel('test over');
    await running;
    expect(context.parked.size).toBe(0);
  });
});
