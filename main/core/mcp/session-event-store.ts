// Resumable streams for one MCP session (Streamable HTTP, SEP-1699): every SSE event gets an id, the
// stream opens with a priming event, and a client that reconnects with Last-Event-ID gets what it
// missed. Memory stays bounded: only the most recent events are kept.
import type { EventStore, JSONRPCMessage } from '@modelcontextprotocol/server';

const KEEP = 100;

interface StoredEvent {
  id: string;
  streamId: string;
  message: JSONRPCMessage;
}

/**
 * The SDK's `EventStore` for one 2025-era session: stores each SSE event and replays after
 * `Last-Event-ID`. The events sit in a fixed ring of KEEP slots, so storing one (once per message a
 * session sends) writes one slot instead of shifting an array.
 */
export class SessionEventStore implements EventStore {
  readonly #ring: Array<StoredEvent | undefined> = new Array<StoredEvent | undefined>(KEEP);
  /** How many events were ever stored; the newest is at slot (#stored - 1) % KEEP. */
  #stored = 0;

  async storeEvent(streamId: string, message: JSONRPCMessage): Promise<string> {
    const id = `${streamId}.${this.#stored}`;
    this.#ring[this.#stored % KEEP] = { id, streamId, message };
    this.#stored++;
    return id;
  }

  async getStreamIdForEventId(eventId: string): Promise<string | undefined> {
    const at = eventId.lastIndexOf('.');
    return at > 0 ? eventId.slice(0, at) : undefined;
  }

  async replayEventsAfter(
    lastEventId: string,
    { send }: { send: (eventId: string, message: JSONRPCMessage) => Promise<void> },
  ): Promise<string> {
    const streamId = (await this.getStreamIdForEventId(lastEventId)) ?? '';
    const kept = this.#kept();
    // An id no longer kept (or never given) replays everything kept for its stream, as before.
    const from = kept.findIndex((event) => event.id === lastEventId);
    for (const event of kept.slice(from + 1)) {
      if (event.streamId === streamId) await send(event.id, event.message);
    }
    return streamId;
  }

  /** The kept events, oldest first. */
  #kept(): StoredEvent[] {
    const first = Math.max(0, this.#stored - KEEP);
    const out: StoredEvent[] = [];
    for (let n = first; n < this.#stored; n++) out.push(this.#ring[n % KEEP]!);
    return out;
  }
}
