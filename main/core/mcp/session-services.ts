// What an MCP session serves, kept apart from the transport: the endpoint opens sessions and checks
// callers; the services (the gateway) decide capabilities and install the request handlers. A scope
// is either the aggregate endpoint (/mcp) or one connector (/mcp/<connector>).
import type { AuthInfo, Server, ServerCapabilities } from '@modelcontextprotocol/server';
import type { Caller } from './bearer-check.js';

export interface McpScope {
  /** null for the aggregate endpoint /mcp. */
  connector: string | null;
}

export type ListKind = 'tools' | 'resources' | 'prompts';

export interface SessionContext {
  scope: McpScope;
  /** The caller of the request being handled (each request carries its own token). */
  callerOf(authInfo: AuthInfo | undefined): Caller | undefined;
}

export interface SessionServices {
  capabilities(scope: McpScope): ServerCapabilities;
  instructions(scope: McpScope): string;
  /** Installs the request handlers on a new session's server. */
  install(server: Server, context: SessionContext): void;
  /** Whether `/mcp/<connector>` exists (enabled connector). */
  hasConnector(name: string): boolean;
  /** Lists that changed for a connector; the endpoint tells every session that can see it. */
  onListChanged(listener: (connector: string, lists: ListKind[]) => void): () => void;
}

export function callerOf(authInfo: AuthInfo | undefined): Caller | undefined {
  return authInfo?.extra?.caller as Caller | undefined;
}
