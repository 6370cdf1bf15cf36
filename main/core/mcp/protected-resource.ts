// OAuth 2.0 Protected Resource Metadata (RFC 9728) for Gatehouse's MCP endpoints, and the
// WWW-Authenticate challenge that points clients at it (MCP authorization spec 2025-11-25 §2.3).
import { MCP_SCOPES } from '../resources.js';

/** The RFC 9728 metadata document of one MCP endpoint. */
export interface ProtectedResourceMetadata {
  resource: string;
  authorization_servers: string[];
  scopes_supported: string[];
  bearer_methods_supported: string[];
  resource_name: string;
  resource_documentation?: string;
}

/** `origin` is the scheme and authority the client used (127.0.0.1 or localhost). */
export function protectedResourceMetadata(
  origin: string,
  mcpPath: string,
  issuer: string,
): ProtectedResourceMetadata {
  return {
    resource: `${origin}${mcpPath}`,
    authorization_servers: [issuer],
    scopes_supported: [...MCP_SCOPES],
    bearer_methods_supported: ['header'],
    resource_name: mcpPath === '/mcp' ? 'Gatehouse' : `Gatehouse: ${mcpPath.slice('/mcp/'.length)}`,
  };
}

/** RFC 9728 §3.1: the metadata URL inserts the well-known segment before the resource's path. */
function metadataUrlFor(origin: string, mcpPath: string): string {
  return `${origin}/.well-known/oauth-protected-resource${mcpPath}`;
}

const quote = (value: string): string => `"${value.replace(/["\\]/g, '')}"`;

/**
 * The `WWW-Authenticate` value for a refused MCP request: where the resource metadata is and which scopes
 * to ask for (RFC 9728 §5.1), with the RFC 6750 error when there is one.
 */
export function bearerChallenge(
  origin: string,
  mcpPath: string,
  failure?: { error?: string | undefined; description: string },
): string {
  const parts = [
    `resource_metadata=${quote(metadataUrlFor(origin, mcpPath))}`,
    `scope=${quote(MCP_SCOPES.join(' '))}`,
  ];
  if (failure?.error) {
    parts.push(`error=${quote(failure.error)}`, `error_description=${quote(failure.description)}`);
  }
  return `Bearer ${parts.join(', ')}`;
}
