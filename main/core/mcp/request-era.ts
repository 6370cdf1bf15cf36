// Which era a POSTed JSON-RPC request belongs to, decided without zod when the answer is certain
// (the SDK's classifier runs 3–4 zod parses per call, and the SDK's own entry runs it
// again). Only a request shaped exactly as the SDK's strict JSONRPCRequestSchema accepts is decided
// here; anything else (batches, notifications, responses, initialize, odd ids or _meta) is left to
// the SDK's isLegacyRequest, so the two can never route a message differently.
import type { IncomingHttpHeaders } from 'node:http';
import { PROTOCOL_VERSION_META_KEY, RELATED_TASK_META_KEY } from '@modelcontextprotocol/server';
import { FIRST_MODERN_REVISION, stripOws } from '../sdk/wire-constants.js';

/** The keys the SDK's strict JSONRPCRequestSchema allows on a request. */
const REQUEST_KEYS = new Set(['jsonrpc', 'id', 'method', 'params']);

/**
 * `legacy` (a 2025-era session's request), `modern` (the 2026-07-28 entry answers it, whether it
 * serves or rejects it), or undefined when only the SDK's classifier can say.
 */
export function plainRequestEra(
  headers: IncomingHttpHeaders,
  body: unknown,
): 'legacy' | 'modern' | undefined {
  if (!isPlainRequest(body) || body.method === 'initialize') return undefined;
  // The SDK's rule (classifyRequestBody): a request carrying the envelope's protocol-version key
  // is the modern entry's, valid or not; without it, a header naming a modern revision is too (the
  // entry answers it -32602); anything else is 2025-era traffic.
  const meta = body.params?._meta;
  if (meta !== undefined && PROTOCOL_VERSION_META_KEY in meta) return 'modern';
  const header = headers['mcp-protocol-version'];
  if (header === undefined) return 'legacy';
  if (typeof header !== 'string') return undefined;
  return stripOws(header) >= FIRST_MODERN_REVISION ? 'modern' : 'legacy';
}

/** A JSON-RPC request as the SDK's strict schema would accept it, narrowed for the checks above. */
interface PlainRequest {
  jsonrpc: '2.0';
  id: string | number;
  method: string;
  params?: { _meta?: Record<string, unknown> } & Record<string, unknown>;
}

/**
 * Whether `body` passes the SDK's JSONRPCRequestSchema for certain: a plain object with only the
 * four keys, `jsonrpc` "2.0", a string or safe-integer id, a string method, params absent or an
 * object whose `_meta`, if present, is an object with a well-formed progress token and no
 * related-task key. Stricter than the schema, never looser: a false here only means "ask the SDK".
 */
export function isPlainRequest(body: unknown): body is PlainRequest {
  if (!isObject(body)) return false;
  for (const key of Object.keys(body)) if (!REQUEST_KEYS.has(key)) return false;
  const { jsonrpc, id, method, params } = body as Record<string, unknown>;
  if (jsonrpc !== '2.0' || typeof method !== 'string') return false;
  if (typeof id !== 'string' && !Number.isSafeInteger(id)) return false;
  if (params === undefined) return true;
  if (!isObject(params)) return false;
  const meta = params._meta;
  if (meta === undefined) return true;
  if (!isObject(meta) || RELATED_TASK_META_KEY in meta) return false;
  const token = meta.progressToken;
  return token === undefined || typeof token === 'string' || Number.isSafeInteger(token);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
