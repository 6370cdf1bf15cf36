// The stdio side of the bridge (MCP transports, "stdio"): one JSON-RPC message per line on stdin and
// stdout, UTF-8, no embedded newlines. Stdout carries nothing else; the bridge talks to people on stderr.
import type { Readable } from 'node:stream';

/** A JSON-RPC request id: a string or a number (JSON-RPC 2.0 §4). */
export type JsonRpcId = string | number;
/** A JSON-RPC 2.0 message as the relay reads it: request, notification or response, all fields optional. */
export type JsonRpcMessage = {
  jsonrpc: '2.0';
  id?: JsonRpcId | null;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: { code: number; message: string; data?: unknown };
};

/** Calls `onLine` with each parsed line of `input`; resolves when the input ends. */
export async function readLines(
  input: Readable,
  onMessage: (message: unknown) => void,
  onInvalid: (line: string) => void,
): Promise<void> {
  const decoder = new TextDecoder();
  let buffered = '';
  const take = (line: string): void => {
    const text = line.replace(/\r$/, '');
    if (text.trim() === '') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      onInvalid(text);
      return;
    }
    onMessage(parsed);
  };
  for await (const chunk of input) {
    buffered += typeof chunk === 'string' ? chunk : decoder.decode(chunk as Uint8Array, { stream: true });
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      take(buffered.slice(0, newline));
      buffered = buffered.slice(newline + 1);
    }
  }
  take(buffered + decoder.decode());
}

/** A request: a method and an id (a notification has no id and gets no answer). */
export function isRequest(message: unknown): message is JsonRpcMessage & { id: JsonRpcId; method: string } {
  const m = message as JsonRpcMessage | null;
  return (
    typeof m === 'object' &&
    m !== null &&
    typeof m.method === 'string' &&
    (typeof m.id === 'string' || typeof m.id === 'number')
  );
}

/** A response: an id, a result or error, and no method. */
export function isResponse(message: unknown): message is JsonRpcMessage & { id: JsonRpcId } {
  const m = message as JsonRpcMessage | null;
  return (
    typeof m === 'object' &&
    m !== null &&
    m.method === undefined &&
    (typeof m.id === 'string' || typeof m.id === 'number') &&
    ('result' in m || 'error' in m)
  );
}
