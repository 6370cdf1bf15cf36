// What the sandbox refused a local server while one of its tool calls ran (from the sandbox's own
// record: connectors/sandbox/sandbox-refusals.ts): marked on that call's Activity row, and, when the result
// is an error, one line for the AI saying what the sandbox refused and that the user can grant it.
import type { CallToolResult } from '@modelcontextprotocol/server';
import type { Refusal } from '../connectors/sandbox/sandbox-refusals.js';

/** Where a call hears of its connector's refusals (the engine's sandbox record). */
export interface RefusalSource {
  listen(connector: string, listener: (refusal: Refusal) => void): () => void;
}

/** The most refusals one row names; the rest are counted. */
const NAMED = 5;

/** How long an error result waits for a refusal the sandbox saw but has not reported yet. */
const REFUSAL_GRACE_MS = 100;

/** The refusals heard while one call runs. */
export interface CallRefusals {
  /**
   * Waits for what the sandbox's record may still be bringing: one turn of the event loop, and, when
   * the result is an error the AI is to be told about and nothing was heard yet, up to
   * REFUSAL_GRACE_MS for the first refusal (its record comes on another socket than the result).
   */
  settled(result?: unknown): Promise<void>;
  /** Stops listening and gives the audit row's part: `{ sandbox: { refused, named } }`, or nothing. */
  detail(): Record<string, unknown>;
  /** The result with one line for the AI when it is an error the sandbox may explain. */
  annotate(result: CallToolResult): CallToolResult;
}

const NONE: CallRefusals = {
  settled: async () => undefined,
  detail: () => ({}),
  annotate: (result) => result,
};

/** Starts listening for `connector`'s refusals for the length of one call. */
export function watchRefusals(source: RefusalSource | undefined, connector: string): CallRefusals {
  if (!source) return NONE;
  const heard: Refusal[] = [];
  let total = 0;
  let firstHeard: (() => void) | undefined;
  const stop = source.listen(connector, (refusal) => {
    total += 1;
    if (!heard.some((known) => known.kind === refusal.kind && known.target === refusal.target))
      heard.push(refusal);
    firstHeard?.();
  });
  let stopped = false;
  const end = () => {
    if (!stopped) stop();
    stopped = true;
  };
  return {
    async settled(result) {
      await new Promise((resolve) => setImmediate(resolve));
      if (heard.length > 0 || stopped || (result as CallToolResult | undefined)?.isError !== true) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, REFUSAL_GRACE_MS);
        firstHeard = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      firstHeard = undefined;
    },
    detail() {
      end();
      if (total === 0) return {};
      return {
        sandbox: {
          refused: total,
          named: heard
            .slice(0, NAMED)
            .map(({ kind, target, reason, grant }) => ({ kind, target, reason, grant })),
        },
      };
    },
    annotate(result) {
      end();
      if (!result.isError || heard.length === 0) return result;
      const first = heard[0]!;
      const what =
        first.kind === 'write'
          ? `a write to ${first.target}`
          : first.kind === 'host'
            ? `a connection to ${first.target}`
            : first.target;
      const more = heard.length > 1 ? ` (and ${heard.length - 1} more)` : '';
      const line = `gatehouse: the sandbox refused this server ${what}${more}: ${first.reason}.${first.grant ? ' The user can allow it in Gatehouse.' : ''}`;
      return { ...result, content: [...(result.content ?? []), { type: 'text', text: line }] };
    },
  };
}
