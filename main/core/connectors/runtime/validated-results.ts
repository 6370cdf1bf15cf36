// The tools/call results an upstream client validated, by the wire era of the check: the very objects
// its validation returned. The client side marks them (upstream-client.ts); the server side reads the
// mark to check a relayed result once, not twice (relay-server.ts). A module of its own so that the
// server side does not load the SDK's client package to read it: an engine with no connector running
// never loads the client at all.

const validatedToolResults = new WeakMap<object, string>();

/** Marks `result` as validated by an upstream client in wire era `era`. */
export function markToolResultValidated(result: object, era: string): void {
  validatedToolResults.set(result, era);
}

/**
 * The wire era ("2025-11-25", "2026-07-28") in which an upstream client validated this very tools/call
 * result — the value its validation returned, unchanged since — or undefined.
 */
export function toolResultValidatedIn(result: unknown): string | undefined {
  return typeof result === 'object' && result !== null ? validatedToolResults.get(result) : undefined;
}
