// Resumable streams for one MCP session (Streamable HTTP, SEP-1699): every SSE event gets an id, the
// stream opens with a priming event, and a client that reconnects with Last-Event-ID gets what it
// missed. Memory stays bounded: only the most recent events are kept.
import type { EventStore, JSONRPCMessage } from '@modelcontextprotocol/server';

const KEEP = 100;

/**
 * The SDK's `EventStore` for one 2025-era session: stores each SSE event and replays after
 * `Last-Event-ID`.
 */
export class SessionEventStore implements EventStore {
  readonly #events: Array<{ id: string; streamId: string; message: JSONRPCMessage }> = [];
  #next = 0;

  async storeEvent(streamId: string, message: JSONRPCMessage): Promise<string> {
    const id = `${streamId}.${this.#next++}`;
    this.#events.push({ id, streamId, message });
    if (this.#events.length > KEEP) this.#events.splice(0, this.#events.length - KEEP);
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
    const from = this.#events.findIndex((event) => event.id === lastEventId);
    for (const event of this.#events.slice(from + 1)) {
      if (event.streamId === streamId) await send(event.id, event.message);
    }
    return streamId;
  }
}
