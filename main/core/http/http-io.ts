// Small request/response primitives shared by Gatehouse's own routes (API, MCP, consent pages,
// the authorization server's JSON bodies): capped body reading, a nesting limit for JSON, and plain,
// reasoned error answers.
import { IncomingMessage, type ServerResponse } from 'node:http';
import { JsonRpcCode } from '../json-rpc-errors.js';

/**
 * Deepest nesting of objects and arrays a JSON body may have (serde_json's default recursion limit).
 * V8's JSON.parse copes with any depth, but what runs after it — schema validation, JSON.stringify,
 * the upstream that receives a tool's arguments — recurses, and a 100,000-deep body would exhaust
 * its stack; and no MCP message, API input or client registration needs more than a few levels.
 */
const MAX_JSON_DEPTH = 128;

/** A request body Gatehouse refuses: the HTTP status and a sentence for the client. */
export class BodyError extends Error {
  readonly status: number;
  /** The JSON-RPC code for the refusal on /mcp: ParseError (not JSON) or InvalidRequest (JSON, but refused). */
  readonly jsonRpcCode: number;
  constructor(status: number, message: string, jsonRpcCode: number = JsonRpcCode.ParseError) {
    super(message);
    this.status = status;
    this.jsonRpcCode = jsonRpcCode;
  }
}

const tooLarge = (limit: number) =>
  new BodyError(413, `The request body is larger than ${limit} bytes.`, JsonRpcCode.InvalidRequest);

/** Reads the whole body up to `limit` bytes; a larger body is refused with 413, not buffered. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) return Promise.reject(tooLarge(limit));
  if (req.readableEnded) return Promise.resolve(Buffer.alloc(0));
  // Plain listeners rather than an async iterator: this runs on every MCP call.
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        done();
        req.resume();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
      // All the declared bytes are here: no need to wait a tick for 'end' (the parser enforces the
      // length, so nothing more can come).
      if (declared > 0 && size === declared) onEnd();
    };
    const onEnd = () => {
      done();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
    };
    // A broken body (the connection reset, chunked encoding the parser refused) is the client's doing,
    // not an internal error.
    const onError = (error: Error) => {
      done();
      reject(new BodyError(400, `The request body could not be read (${error.message}).`));
    };
    const onClose = () => {
      if (req.complete) return;
      done();
      reject(new BodyError(400, 'The request body ended early: the client closed the connection.'));
    };
    const done = () => {
      req.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
    };
    req.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
  });
}

/**
 * Whether the JSON text in `body` nests objects and arrays deeper than `limit`: one pass over the
 * bytes, no recursion, stopping at the first level past the limit. Brackets inside strings do not
 * count; UTF-8 continuation bytes never look like ASCII punctuation, so bytes are enough.
 * @internal Exported for its tests only: the depth scan's edge cases, a million levels among them.
 */
export function exceedsJsonDepth(body: Uint8Array, limit: number = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const byte = body[i]!;
    if (inString) {
      if (byte === 0x5c)
        i++; // backslash: the next byte is escaped, whatever it is
      else if (byte === 0x22) inString = false;
    } else if (byte === 0x22) inString = true;
    else if (byte === 0x7b || byte === 0x5b) {
      if (++depth > limit) return true;
    } else if (byte === 0x7d || byte === 0x5d) depth--;
  }
  return false;
}

function tooDeep(): BodyError {
  return new BodyError(
    400,
    `The request body nests objects or arrays more than ${MAX_JSON_DEPTH} levels deep; Gatehouse accepts at most ${MAX_JSON_DEPTH}. Send flatter JSON.`,
    JsonRpcCode.InvalidRequest,
  );
}

/**
 * Reads and parses a JSON body. Malformed JSON is a 400 with the parser's reason; JSON nested past
 * MAX_JSON_DEPTH is a 400 saying so, checked before parsing.
 */
export async function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  const body = await readBody(req, limit);
  if (body.length === 0) return undefined;
  if (exceedsJsonDepth(body)) throw tooDeep();
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new BodyError(400, `The request body is not valid JSON: ${(error as Error).message}`);
  }
}

/** Whether a request says its body is JSON (`application/json`, any parameters, any case). */
function declaresJson(req: IncomingMessage): boolean {
  const type = req.headers['content-type'];
  return typeof type === 'string' && type.split(';', 1)[0]!.trim().toLowerCase() === 'application/json';
}

/**
 * For routes that parse JSON themselves (oidc-provider): reads a JSON body up to `limit` bytes and
 * checks its nesting, then hands back a request that carries the same body for the route to read
 * again. A body that is refused throws BodyError; a request without a JSON body is returned as is.
 */
export async function checkedJsonRequest(req: IncomingMessage, limit: number): Promise<IncomingMessage> {
  if (!declaresJson(req)) return req;
  const body = await readBody(req, limit);
  if (exceedsJsonDepth(body)) throw tooDeep();
  return replayRequest(req, body);
}

/** A fresh IncomingMessage carrying an already-read body, so a route (oidc-provider) parses it as usual. */
export function replayRequest(original: IncomingMessage, body: Buffer): IncomingMessage {
  const replay = new IncomingMessage(original.socket);
  replay.method = original.method;
  replay.url = original.url;
  replay.httpVersion = original.httpVersion;
  replay.httpVersionMajor = original.httpVersionMajor;
  replay.httpVersionMinor = original.httpVersionMinor;
  replay.headers = { ...original.headers, 'content-length': String(body.length) };
  replay.rawHeaders = original.rawHeaders;
  replay.push(body);
  replay.push(null);
  // The body was read in full: without this, ending the replay would tear down the shared socket.
  replay.complete = true;
  return replay;
}

/** Answers with a JSON body, never cached; ends the response quietly if headers already went out. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** Answers with a plain-text body, never cached; ends the response quietly if headers already went out. */
export function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}
