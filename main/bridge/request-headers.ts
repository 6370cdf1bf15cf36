// The HTTP headers a 2026-07-28 request carries beside its body (MCP Streamable HTTP, "Request
// Metadata", SEP-2243): `MCP-Protocol-Version` from the `_meta` envelope, `Mcp-Method`, `Mcp-Name`
// for tools/call, prompts/get and resources/read, and `Mcp-Param-{Name}` for tool arguments the
// tool's input schema marks with `x-mcp-header`. A stdio client sends none of these — stdio has no
// headers — so the bridge derives them from each message, and learns the tools' markings from the
// tools/list results it relays.

/** The `_meta` key that carries a request's protocol revision in the 2026-07-28 era. */
const PROTOCOL_VERSION_META_KEY = 'io.modelcontextprotocol/protocolVersion';

type Message = { method?: unknown; params?: unknown };

/**
 * The revision a message claims in its `_meta` envelope when that revision belongs to the 2026 era or
 * later (the 2025 era has no envelope); undefined for a 2025-era message.
 */
export function modernVersion(message: unknown): string | undefined {
  const params = (message as Message | null)?.params as { _meta?: Record<string, unknown> } | undefined;
  const version = params?._meta?.[PROTOCOL_VERSION_META_KEY];
  return typeof version === 'string' && version >= '2026' ? version : undefined;
}

const SENTINEL = /^=\?base64\?.*\?=$/s;

/**
 * A value as a header may carry it: as is when it is printable ASCII without surrounding whitespace,
 * otherwise (and when it would read as the sentinel itself) as `=?base64?<UTF-8, Base64>?=`.
 * @internal Exported for its tests only: the header encoding's edge cases, each checked directly.
 */
export function headerValue(value: string): string {
  const plain = /^[\x20-\x7e]*$/.test(value) && value.trim() === value && !SENTINEL.test(value);
  return plain ? value : `=?base64?${Buffer.from(value, 'utf8').toString('base64')}?=`;
}

/** RFC 9110 §5.1 `token`: what may follow `Mcp-Param-`. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

interface ParamHeader {
  /** The header name after `Mcp-Param-`. */
  name: string;
  /** The chain of `properties` keys from the schema root to the argument. */
  path: string[];
  type: 'string' | 'integer' | 'boolean';
}

/** Why a tool's `x-mcp-header` markings are invalid, or its headers when they are fine. */
function paramHeadersOf(inputSchema: unknown): ParamHeader[] | string {
  const found: ParamHeader[] = [];
  const reachable = new Set<unknown>();
  // Statically reachable properties: only chains of `properties` keys (spec, "Schema Extension").
  const walk = (schema: unknown, path: string[]): string | undefined => {
    if (typeof schema !== 'object' || schema === null) return undefined;
    reachable.add(schema);
    const properties = (schema as { properties?: unknown }).properties;
    if (typeof properties !== 'object' || properties === null) return undefined;
    reachable.add(properties);
    for (const [key, property] of Object.entries(properties)) {
      const marking = (property as { 'x-mcp-header'?: unknown } | null)?.['x-mcp-header'];
      if (marking !== undefined) {
        const type = (property as { type?: unknown }).type;
        if (typeof marking !== 'string' || !TOKEN.test(marking))
          return `x-mcp-header of "${[...path, key].join('.')}" is not a valid header name`;
        if (type !== 'string' && type !== 'integer' && type !== 'boolean')
          return `x-mcp-header marks "${[...path, key].join('.')}", which is not a string, integer or boolean`;
        if (found.some((header) => header.name.toLowerCase() === marking.toLowerCase()))
          return `x-mcp-header "${marking}" is used twice`;
        found.push({ name: marking, path: [...path, key], type });
      }
      const problem = walk(property, [...path, key]);
      if (problem) return problem;
    }
    return undefined;
  };
  const problem = walk(inputSchema, []);
  if (problem) return problem;
  // A marking anywhere else (under items, anyOf, $ref…) makes the definition invalid.
  let misplaced: string | undefined;
  const search = (node: unknown, depth: number): void => {
    if (misplaced || depth > 64 || typeof node !== 'object' || node === null) return;
    if (!reachable.has(node) && 'x-mcp-header' in node) {
      misplaced = 'x-mcp-header is only allowed on properties reachable through "properties" alone';
      return;
    }
    for (const value of Object.values(node)) search(value, depth + 1);
  };
  for (const value of Object.values((inputSchema as object | null) ?? {})) search(value, 1);
  return misplaced ?? found;
}

/** The `Mcp-Param-*` markings of the tools a server listed, learned from tools/list results. */
export class ToolHeaders {
  readonly #tools = new Map<string, ParamHeader[]>();

  /**
   * Learns the tools of one tools/list page and returns the page as the client should see it: a
   * tool whose markings break the rules is left out (an HTTP client MUST exclude it), with the
   * reason passed to `onInvalid`.
   */
  learn(result: unknown, onInvalid: (tool: string, reason: string) => void): unknown {
    const tools = (result as { tools?: unknown } | null)?.tools;
    if (!Array.isArray(tools)) return result;
    const kept = tools.filter((tool: { name?: unknown; inputSchema?: unknown } | null) => {
      if (typeof tool?.name !== 'string') return true;
      const headers = paramHeadersOf(tool.inputSchema);
      if (typeof headers === 'string') {
        onInvalid(tool.name, headers);
        this.#tools.delete(tool.name);
        return false;
      }
      this.#tools.set(tool.name, headers);
      return true;
    });
    return kept.length === tools.length ? result : { ...(result as object), tools: kept };
  }

  /** `Mcp-Param-*` headers for a call of `tool` with `args`; arguments that are absent add none. */
  forCall(tool: string, args: unknown): Record<string, string> {
    const headers: Record<string, string> = {};
    for (const header of this.#tools.get(tool) ?? []) {
      let value: unknown = args;
      for (const key of header.path) value = (value as Record<string, unknown> | null)?.[key];
      const text =
        header.type === 'string' && typeof value === 'string'
          ? value
          : header.type === 'integer' && Number.isSafeInteger(value)
            ? String(value)
            : header.type === 'boolean' && typeof value === 'boolean'
              ? String(value)
              : undefined;
      if (text !== undefined) headers[`mcp-param-${header.name.toLowerCase()}`] = headerValue(text);
    }
    return headers;
  }
}

/** The request metadata headers of a 2026-era request (`version` is its envelope's revision). */
export function modernRequestHeaders(
  request: { method: string; params?: unknown },
  version: string,
  tools: ToolHeaders,
): Record<string, string> {
  const params = (request.params ?? {}) as { name?: unknown; uri?: unknown; arguments?: unknown };
  const name =
    request.method === 'resources/read'
      ? params.uri
      : request.method === 'tools/call' || request.method === 'prompts/get'
        ? params.name
        : undefined;
  return {
    'mcp-protocol-version': version,
    'mcp-method': request.method,
    ...(typeof name === 'string' ? { 'mcp-name': headerValue(name) } : {}),
    ...(request.method === 'tools/call' && typeof params.name === 'string'
      ? tools.forCall(params.name, params.arguments)
      : {}),
  };
}
