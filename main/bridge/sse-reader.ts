// Server-sent events as the MCP Streamable HTTP transport uses them (HTML Living Standard §9.2.6):
// `data:` lines joined with newlines, `id:` for resumption, `retry:` for the reconnection delay. The
// parsing is eventsource-parser's (the one the MCP SDK uses); this module only turns its callbacks
// into an async iterator over a fetch body.
import { createParser, type EventSourceMessage } from 'eventsource-parser';

/** One server-sent event as the relay needs it: its data, and the id and retry that resumption uses. */
export interface SseEvent {
  data: string;
  event?: string;
  id?: string;
  /** The reconnection delay the server set since the previous event, in milliseconds. */
  retry?: number;
}

/** An event may not grow past this (16 MiB): a server that never ends its line cannot take all memory. */
const MAX_EVENT_CHARS = 16 * 1024 * 1024;

/** The events of `body` in order; the body is cancelled when the caller stops early. */
export async function* readSse(body: ReadableStream<Uint8Array>): AsyncGenerator<SseEvent, void, undefined> {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  const ready: SseEvent[] = [];
  let retry: number | undefined;
  let failure: Error | undefined;
  const parser = createParser({
    maxBufferSize: MAX_EVENT_CHARS,
    onEvent: (message) => {
      ready.push(eventOf(message, retry));
      retry = undefined;
    },
    onRetry: (ms) => (retry = ms),
    // Unknown fields and malformed `retry` values are ignored, as the standard says; only an event
    // past the size cap ends the stream.
    onError: (error) => {
      if (error.type === 'max-buffer-size-exceeded')
        failure = new Error(`The server sent an event longer than ${MAX_EVENT_CHARS} characters.`);
    },
  });
  // A CR at the end of a chunk may be the first half of a CRLF: the parser holds it until the next
  // chunk says. When the stream ends there instead, it was a whole line ending.
  let endsWithCr = false;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) {
        if (endsWithCr) parser.feed('\n');
      } else if (value !== '') {
        parser.feed(value);
        endsWithCr = value.endsWith('\r');
      }
      if (failure) throw failure;
      while (ready.length > 0) yield ready.shift()!;
      if (done) {
        if (retry !== undefined) yield { data: '', retry };
        return;
      }
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

function eventOf(message: EventSourceMessage, retry: number | undefined): SseEvent {
  return {
    data: message.data,
    ...(message.event !== undefined ? { event: message.event } : {}),
    ...(message.id !== undefined ? { id: message.id } : {}),
    ...(retry !== undefined ? { retry } : {}),
  };
}
