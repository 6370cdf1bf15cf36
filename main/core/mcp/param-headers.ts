// SEP-2243 `Mcp-Param-*` headers on a 2026-07-28 tools/call: a tool's input schema may mirror an
// argument into a header (`x-mcp-header: <Name>` on a property reached through `properties`), so
// intermediaries can route on it; a server that reads the body must check that the header says what
// the body says, and refuse the request (HTTP 400, -32020) when it does not. The SDK checks this only
// for servers built from its McpServer registry; Gatehouse's tools are its connectors', so it checks
// them here, against the tool definition the client was shown.
import type { Tool } from '@modelcontextprotocol/server';

interface Declaration {
  path: string[];
  header: string;
  type: unknown;
}

const SENTINEL_PREFIX = '=?base64?';
const SENTINEL_SUFFIX = '?=';
// RFC 4648 with its padding: a value the revision's encoding never produces is refused, not guessed.
const CANONICAL_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const DECIMAL = /^-?\d+(\.\d+)?$/;

const declared = new WeakMap<object, Declaration[]>();

/** The headers a tool's input schema declares (found once per schema object). */
function declarations(schema: Tool['inputSchema']): Declaration[] {
  let found = declared.get(schema);
  if (!found) {
    found = [];
    const visit = (node: unknown, path: string[]) => {
      if (node === null || typeof node !== 'object') return;
      const property = node as Record<string, unknown>;
      const header = property['x-mcp-header'];
      if (path.length > 0 && typeof header === 'string' && header.length > 0)
        found!.push({ path, header, type: property.type });
      const children = property.properties;
      if (children !== null && typeof children === 'object')
        for (const [key, child] of Object.entries(children)) visit(child, [...path, key]);
    };
    visit(schema, []);
    declared.set(schema, found);
  }
  return found;
}

/**
 * Why the request's `Mcp-Param-*` headers disagree with the call's arguments, or undefined when they
 * agree (or the tool declares none). `header(name)` reads a request header.
 */
export function paramHeaderMismatch(
  schema: Tool['inputSchema'],
  args: unknown,
  header: (name: string) => string | undefined,
): string | undefined {
  for (const { path, header: name, type } of declarations(schema)) {
    let value: unknown = args;
    for (const key of path)
      value = value !== null && typeof value === 'object' ? (value as never)[key] : undefined;
    const body = primitive(value);
    // No value (or not a primitive, which argument validation refuses): no header is expected.
    if (body === undefined) continue;
    const field = `Mcp-Param-${name}`;
    const sent = header(field.toLowerCase());
    if (sent === undefined) return `the body carries ${path.join('.')} but the ${field} header is absent`;
    const decoded = decode(sent);
    if (decoded === undefined) return `the ${field} header is not valid Base64`;
    const equal =
      (type === 'integer' || type === 'number') && typeof value === 'number' && DECIMAL.test(decoded)
        ? Number(decoded) === value
        : decoded === body;
    if (!equal) return `the ${field} header does not match ${path.join('.')} in the body`;
  }
  return undefined;
}

function primitive(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** A header value as sent: literal, or `=?base64?…?=` around UTF-8 bytes (undefined: malformed). */
function decode(value: string): string | undefined {
  if (!value.startsWith(SENTINEL_PREFIX) || !value.endsWith(SENTINEL_SUFFIX)) return value;
  const encoded = value.slice(SENTINEL_PREFIX.length, value.length - SENTINEL_SUFFIX.length);
  if (!CANONICAL_BASE64.test(encoded)) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(encoded, 'base64'));
  } catch {
    return undefined;
  }
}
