// Server-sent events as the MCP Streamable HTTP transport uses them (HTML Living Standard §9.2.6):
// `data:` lines joined with newlines, `id:` for resumption, `retry:` for the reconnection delay.

export interface SseEvent {
  data: string;
  event?: string;
  id?: string;
  retry?: number;
}

export async function* readSse(body: ReadableStream<Uint8Array>): AsyncGenerator<SseEvent, void, undefined> {
  const decoder = new TextDecoder();
  const reader = body.getReader();
  let buffered = '';
  let data: string[] = [];
  let event: SseEvent = { data: '' };
  const dispatch = (): SseEvent | undefined => {
    const ready = data.length > 0 || event.id !== undefined || event.retry !== undefined;
    const out = ready ? { ...event, data: data.join('\n') } : undefined;
    data = [];
    event = { data: '' };
    return out;
  };
  try {
    for (;;) {
      const { value, done } = await reader.read();
      buffered += done ? decoder.decode() : decoder.decode(value, { stream: true });
      let newline: number;
      while ((newline = buffered.search(/\r\n|\r|\n/)) >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + (buffered.startsWith('\r\n', newline) ? 2 : 1));
        if (line === '') {
          const out = dispatch();
          if (out) yield out;
          continue;
        }
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'data') data.push(value);
        else if (field === 'id' && !value.includes('\u0000')) event.id = value;
        else if (field === 'event') event.event = value;
        else if (field === 'retry' && /^\d+$/.test(value)) event.retry = Number(value);
      }
      if (done) return;
    }
  } finally {
    reader.releaseLock();
    await body.cancel().catch(() => undefined);
  }
}
