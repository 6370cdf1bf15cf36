// The SSE reader the relay relies on: events split anywhere across chunks, multi-line data, ids,
// retry, comments, and every line ending the standard allows.
import { describe, expect, it } from 'vitest';
import { readSse, type SseEvent } from '../../main/bridge/sse-reader.js';

/** The longest event the bridge reads (sse-reader.ts): 16 MiB. */
const MAX_EVENT_CHARS = 16 * 1024 * 1024;

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

async function collect(chunks: string[]): Promise<SseEvent[]> {
  const events: SseEvent[] = [];
  for await (const event of readSse(streamOf(chunks))) events.push(event);
  return events;
}

describe('readSse', () => {
  it('reads events split across chunks', async () => {
    const text = 'id: 1\nevent: message\ndata: {"a":1}\n\n: keep-alive\n\ndata: line one\ndata: line two\n\n';
    const whole = await collect([text]);
    expect(whole).toEqual([{ id: '1', event: 'message', data: '{"a":1}' }, { data: 'line one\nline two' }]);
    expect(await collect(text.split(''))).toEqual(whole);
  });

  it('accepts CRLF and CR line endings, retry, and a priming event without data', async () => {
    expect(await collect(['id: 7\r\nretry: 1500\r\ndata:\r\n\r', '\ndata:x\r\r'])).toEqual([
      { id: '7', retry: 1500, data: '' },
      { data: 'x' },
    ]);
  });

  it('keeps one event whole when a chunk ends between the CR and LF of a CRLF', async () => {
    // Read as two line endings, this would end the event after "one" and send "two" on its own.
    expect(await collect(['data: one\r', '\ndata: two\r\n\r', '\n'])).toEqual([{ data: 'one\ntwo' }]);
    expect(await collect(['id: 3\r', '\nevent: message\r', '\ndata: {}\r', '\n\r', '\n'])).toEqual([
      { id: '3', event: 'message', data: '{}' },
    ]);
  });

  it('keeps a retry that no event followed', async () => {
    expect(await collect(['data: a\n\nretry: 250\n\n'])).toEqual([{ data: 'a' }, { data: '', retry: 250 }]);
  });

  it('refuses an event past the size cap instead of buffering it', async () => {
    const line = `data: ${'x'.repeat(1024 * 1024)}`;
    const chunks = Array.from({ length: 17 }, () => line).concat('\n\n');
    await expect(collect(chunks)).rejects.toThrow(
      `The server sent an event longer than ${MAX_EVENT_CHARS} characters.`,
    );
  });

  it('drops an unfinished event at the end of the stream', async () => {
    expect(await collect(['data: complete\n\n', 'data: cut off'])).toEqual([{ data: 'complete' }]);
  });
});
