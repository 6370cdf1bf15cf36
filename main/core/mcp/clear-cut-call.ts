// Which 2026-07-28 tools/calls are clear-cut: the SDK's own classifier accepts the request (or has
// accepted its envelope before), and the standard headers the entry requires are plainly there. Such
// a call is served on a pooled instance whose answer the one response writer writes
// (modern-requests.ts, sdk/response-writer.ts), not through the SDK entry's web Request/Response
// machinery; anything else goes through the entry.
import type { IncomingMessage } from 'node:http';
import {
  classifyInboundRequest,
  isJsonContentType,
  PROTOCOL_VERSION_META_KEY,
  type JSONRPCRequest,
  type MessageClassification,
} from '@modelcontextprotocol/server';
import { SERVED_REVISION, stripOws } from '../sdk/wire-constants.js';
import { isPlainRequest } from './request-era.js';
import { envelopeAccepted, envelopeKey, rememberAcceptedEnvelope } from './envelope-verdicts.js';

/** A tools/call the SDK's entry would serve, with the classification its transport would carry. */
export interface ClearCutToolCall {
  message: JSONRPCRequest;
  classification: MessageClassification;
  /** The revision the instance is bound to (the classification's, the one the entry serves). */
  revision: string;
}

/**
 * The request as the SDK's classifier accepts it, when it is a tools/call the entry would serve
 * without a doubt: a JSON POST of one plain request, classified modern (envelope valid, headers that
 * agree with it) naming the served revision, with the standard headers the entry requires present
 * (`MCP-Protocol-Version`, `Mcp-Method`, and `Mcp-Name` equal to `params.name`, not Base64-encoded).
 * Undefined for anything else: the entry answers it, with its own error when it is one.
 *
 * `classifyInboundRequest` decides, except for a request whose envelope it has already accepted
 * (envelope-verdicts.ts) and whose envelope version and headers name the served revision and
 * tools/call exactly: for such a plain request its verdict turns on the envelope alone.
 */
export function clearCutToolCall(req: IncomingMessage, body: unknown): ClearCutToolCall | undefined {
  if (req.method !== 'POST' || !isPlainRequest(body) || body.method !== 'tools/call') return undefined;
  const name = body.params?.name;
  const protocolVersionHeader = header(req, 'mcp-protocol-version');
  const mcpMethodHeader = header(req, 'mcp-method');
  const mcpNameHeader = header(req, 'mcp-name');
  if (typeof name !== 'string' || protocolVersionHeader === undefined || mcpMethodHeader === undefined)
    return undefined;
  // The entry's Mcp-Name rule (validateStandardRequestHeaders): present, and equal once decoded.
  const plainName = mcpNameHeader === undefined ? undefined : stripOws(mcpNameHeader);
  if (plainName !== name || plainName.startsWith('=?base64?')) return undefined;
  if (!isJsonContentType(header(req, 'content-type'))) return undefined;
  const key = servedEnvelopeKey(body.params?._meta, protocolVersionHeader, mcpMethodHeader);
  if (key !== undefined && envelopeAccepted(key)) return served(body);
  const outcome = classifyInboundRequest({
    httpMethod: 'POST',
    protocolVersionHeader,
    mcpMethodHeader,
    mcpNameHeader,
    body,
  });
  if (outcome.kind !== 'modern' || outcome.messageKind !== 'request') return undefined;
  if (outcome.classification.revision !== SERVED_REVISION) return undefined;
  if (key !== undefined) rememberAcceptedEnvelope(key);
  return { message: outcome.message, classification: outcome.classification, revision: SERVED_REVISION };
}

/**
 * The envelope's key (envelope-verdicts.ts) when the envelope claims the served revision and the
 * `MCP-Protocol-Version` and `Mcp-Method` headers say exactly that revision and tools/call: then,
 * for a plain tools/call, the classifier's other checks (result? error? request? initialize? header
 * and body agreement) are already answered, and only the envelope's validity is left.
 */
function servedEnvelopeKey(
  meta: Record<string, unknown> | undefined,
  protocolVersionHeader: string,
  mcpMethodHeader: string,
): string | undefined {
  if (meta?.[PROTOCOL_VERSION_META_KEY] !== SERVED_REVISION) return undefined;
  if (stripOws(protocolVersionHeader) !== SERVED_REVISION || stripOws(mcpMethodHeader) !== 'tools/call')
    return undefined;
  return envelopeKey(meta);
}

/** A plain tools/call with an accepted envelope, classified as the SDK's classifier does. */
function served(message: JSONRPCRequest): ClearCutToolCall {
  return { message, classification: { era: 'modern', revision: SERVED_REVISION }, revision: SERVED_REVISION };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' ? value : undefined;
}
