// The SSE side of an exchange through the SDK (web-exchange.ts): a held stream read until it ends
// (→ one JSON body: a response, or a batch's array) or must stream, the stream written to the socket
// minding back-pressure, and the data of the events in SSE bytes as the SDK writes them.
import type { ServerResponse } from 'node:http';

/**
 * Holds the SSE stream's bytes until it ends (→ one JSON body), or until it must stream (→ the held
 * bytes, then the rest as it comes).
 */
export async function relayHeld(
  response: Response,
  res: ServerResponse,
  streamAfterMs: number,
  responses: number,
  onOpen: (open: () => void) => void,
): Promise<void> {
  const reader = response.body!.getReader();
  const held: Uint8Array[] = [];
  let streaming = false;
  let wake: (() => void) | undefined;
  const open = () => {
    if (streaming) return;
    streaming = true;
    clearTimeout(timer);
    wake?.();
  };
  const timer = setTimeout(open, streamAfterMs);
  onOpen(open);
  const closed = new Promise<void>((resolve) => res.once('close', () => resolve()));
  void closed.then(() => reader.cancel().catch(() => undefined));
  try {
    for (;;) {
      // A pending read races the switch to streaming, so held bytes go out the moment it is made.
      const next = reader.read();
      const step = streaming
        ? await next
        : await Promise.race([next, new Promise<'open'>((resolve) => (wake = () => resolve('open')))]);
      wake = undefined;
      if (step === 'open') {
        writeStreamHead(res, response, held);
        await pipe(reader, res, next);
        return;
      }
      if (step.done || res.destroyed) break;
      held.push(step.value);
      if (streaming) {
        writeStreamHead(res, response, held);
        await pipe(reader, res);
        return;
      }
    }
  } catch {
    // Cancelled: the client went away or the session closed.
  } finally {
    clearTimeout(timer);
  }
  if (res.destroyed || res.writableEnded) return;
  const payloads = streaming ? [] : sseData(Buffer.concat(held));
  if (payloads.length !== responses) {
    // The stream ended while opening, without its responses (the session closed under it), or with
    // anything besides them: it goes out as the SSE it was, since a JSON body carries responses only.
    writeStreamHead(res, response, held);
    res.end();
    return;
  }
  const json =
    payloads.length === 1
      ? payloads[0]!
      : Buffer.concat([
          Buffer.from('['),
          ...payloads.flatMap((p, i) => (i ? [COMMA, p] : [p])),
          Buffer.from(']'),
        ]);
  writeJsonAnswer(res, response, json);
}

/** A JSON answer written whole: the SDK response's status and session id, the body as given. */
function writeJsonAnswer(res: ServerResponse, response: Response, json: Buffer): void {
  writeJsonBody(res, response.status, json, response.headers.get('mcp-session-id') ?? undefined);
}

/**
 * A JSON answer written whole, in one write with its length: `status`, the session id when there is
 * one, the body as given (the SDK's answers and a call answered below the SDK alike).
 */
function writeJsonBody(
  res: ServerResponse,
  status: number,
  json: Buffer,
  sessionId: string | undefined,
): void {
  const headers: Record<string, string | number> = {
    'content-type': 'application/json',
    'cache-control': 'no-store',
    'content-length': json.length,
  };
  if (sessionId) headers['mcp-session-id'] = sessionId;
  res.writeHead(status, headers);
  res.end(json);
}

const COMMA = Buffer.from(',');

function writeStreamHead(res: ServerResponse, response: Response, held: Uint8Array[]): void {
  res.writeHead(response.status, Object.fromEntries(response.headers));
  if (held.length) res.write(Buffer.concat(held.splice(0)));
  else res.flushHeaders();
}

/** Writes the rest of the stream as it comes, minding back-pressure; ends `res` at its end. */
export async function pipe(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  res: ServerResponse,
  pending?: Promise<{ done: boolean; value?: Uint8Array }>,
): Promise<void> {
  const closed = new Promise<void>((resolve) => res.once('close', () => resolve()));
  void closed.then(() => reader.cancel().catch(() => undefined));
  try {
    for (let next = pending ?? reader.read(); ; next = reader.read()) {
      const { done, value } = await next;
      if (done || res.destroyed) break;
      if (!res.write(value))
        await Promise.race([new Promise((resolve) => res.once('drain', resolve)), closed]);
    }
  } catch {
    // Cancelled: the client went away or the session closed.
  }
  if (!res.writableEnded) res.end();
}

/**
 * The data of each event in an SSE byte stream as the SDK writes it (`event:`, `id:`, `retry:` and
 * `data:` lines, events separated by a blank line); events without data (the priming event) are
 * skipped, several data lines of one event are joined by a newline.
 * @internal Exported for its parser's own tests (line endings, split and empty events).
 */
export function sseData(bytes: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let event: Buffer[] = [];
  let at = 0;
  while (at < bytes.length) {
    let end = bytes.indexOf(0x0a, at);
    if (end === -1) end = bytes.length;
    let line = bytes.subarray(at, end);
    if (line.length && line[line.length - 1] === 0x0d) line = line.subarray(0, -1);
    at = end + 1;
    if (line.length === 0) {
      if (event.length) out.push(joinLines(event));
      event = [];
    } else if (startsWith(line, DATA)) {
      const value = line.subarray(DATA.length);
      event.push(value[0] === 0x20 ? value.subarray(1) : value);
    }
  }
  if (event.length) out.push(joinLines(event));
  return out.filter((data) => data.length > 0);
}

const DATA = Buffer.from('data:');
const NEWLINE = Buffer.from('\n');

function startsWith(line: Buffer, prefix: Buffer): boolean {
  return line.length >= prefix.length && line.subarray(0, prefix.length).equals(prefix);
}

function joinLines(lines: Buffer[]): Buffer {
  return lines.length === 1 ? lines[0]! : Buffer.concat(lines.flatMap((l, i) => (i ? [NEWLINE, l] : [l])));
}
