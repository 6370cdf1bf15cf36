// The SDK classifier's verdict on a 2026-07-28 request's `_meta` envelope, remembered by the envelope's
// content: a client sends the same envelope on every call, and the classifier spends ~50 µs
// of zod on it (and on failed result/error probes) each time. Only envelopes the SDK accepted are kept.
import {
  CLIENT_CAPABILITIES_META_KEY,
  CLIENT_INFO_META_KEY,
  LOG_LEVEL_META_KEY,
} from '@modelcontextprotocol/server';

/** How many accepted envelopes are kept (a client keeps one; the map is emptied when full). */
const KEPT = 64;
/** Longer envelopes are not kept: a hostile client's large ones cannot fill memory. */
const LONGEST_KEY = 4_096;

const accepted = new Set<string>();

/**
 * What the SDK's envelope check reads of `_meta`, as a string: the three reserved keys its schema
 * checks besides the protocol version (which the caller compares itself) — client info, client
 * capabilities, log level. The schema is loose (foreign keys are not checked) and the progress token
 * is checked by `isPlainRequest`, so two envelopes with the same key get the same verdict. Absent
 * and undefined read alike, as the schema's `.optional()` does; null does not. Undefined (ask the
 * SDK) when capabilities are missing, or for anything JSON cannot say exactly.
 */
export function envelopeKey(meta: Record<string, unknown>): string | undefined {
  if (meta[CLIENT_CAPABILITIES_META_KEY] === undefined) return undefined;
  try {
    const key = JSON.stringify({
      i: meta[CLIENT_INFO_META_KEY],
      c: meta[CLIENT_CAPABILITIES_META_KEY],
      l: meta[LOG_LEVEL_META_KEY],
    });
    return key.length <= LONGEST_KEY ? key : undefined;
  } catch {
    return undefined;
  }
}

/** Whether the SDK's classifier has accepted an envelope with this key. */
export function envelopeAccepted(key: string): boolean {
  return accepted.has(key);
}

/** Remembers that the SDK's classifier accepted an envelope with this key. */
export function rememberAcceptedEnvelope(key: string): void {
  if (accepted.size >= KEPT) accepted.clear();
  accepted.add(key);
}
