// The MCP SDK client one upstream connection uses: era negotiation (server/discover, falling back to
// initialize), requests from the server handed to whoever answers them for Gatehouse's clients, and
// CreateTaskResults let through (task-results.ts).
import {
  Client,
  ProtocolError,
  ProtocolErrorCode,
  type ConnectOptions,
  type Notification,
  type Transport,
} from '@modelcontextprotocol/client';
import { UI_EXTENSION, UI_EXTENSION_SETTINGS } from '../mcp-apps.js';
import { tapTaskResults } from './task-results.js';

/** What a new client is made with, and where what it receives goes. */
export interface UpstreamClientOptions {
  clientInfo: { name: string; version: string };
  /** How long the server/discover probe may take. */
  probeTimeoutMs: number;
  /**
   * Answers the server's own requests (sampling, elicitation, roots). When given, the client declares
   * those capabilities; the gateway routes each request to the downstream client whose call caused it.
   */
  serverRequests: ((method: string, params: unknown, signal: AbortSignal) => Promise<unknown>) | undefined;
  /** A list_changed notification for one kind of catalog, from `client`. */
  listChanged(client: Client, kind: 'tools' | 'resources' | 'prompts'): Promise<void>;
  /** Any other notification from `client`, to forward to Gatehouse's clients. */
  notification(client: Client, notification: Notification): Promise<void>;
}

/** An SDK client for one upstream connection, with the handlers installed. */
export function newUpstreamClient(options: UpstreamClientOptions): Client {
  const forward = options.serverRequests;
  const client = new UpstreamClient(options.clientInfo, {
    capabilities: {
      ...(forward ? { sampling: {}, elicitation: { form: {}, url: {} }, roots: { listChanged: false } } : {}),
      // MCP Apps: a server that offers its UI only to hosts that render it (as the extension says it
      // should) offers it to Gatehouse, which keeps app-only tools from clients that do not.
      extensions: { [UI_EXTENSION]: UI_EXTENSION_SETTINGS },
    },
    versionNegotiation: { mode: 'auto', probe: { timeoutMs: options.probeTimeoutMs } },
    // A 2026-07-28 server's InputRequiredResult goes to the client whose call it answers
    // (gateway/tool-calls.ts): never answered here on anyone's behalf.
    inputRequired: { autoFulfill: false },
  });
  if (forward) {
    const pass =
      (method: string) => async (request: { params?: unknown }, ctx: { mcpReq: { signal: AbortSignal } }) =>
        (await forward(method, request.params, ctx.mcpReq.signal)) as never;
    client.setRequestHandler('sampling/createMessage', pass('sampling/createMessage'));
    client.setRequestHandler('elicitation/create', pass('elicitation/create'));
    client.setRequestHandler('roots/list', pass('roots/list'));
  }
  const refresh = (kind: 'tools' | 'resources' | 'prompts') => () => options.listChanged(client, kind);
  client.setNotificationHandler('notifications/tools/list_changed', refresh('tools'));
  client.setNotificationHandler('notifications/resources/list_changed', refresh('resources'));
  client.setNotificationHandler('notifications/prompts/list_changed', refresh('prompts'));
  client.fallbackNotificationHandler = (notification) => options.notification(client, notification);
  return client;
}

/** Whether a server answered that it does not implement the method (JSON-RPC -32601). */
export const isMethodNotFound = (error: unknown) =>
  error instanceof ProtocolError && error.code === ProtocolErrorCode.MethodNotFound;

/** The SDK client, seeing an upstream's CreateTaskResults (task-results.ts). */
class UpstreamClient extends Client {
  override connect(transport: Transport, options?: ConnectOptions): Promise<void> {
    return super.connect(tapTaskResults(transport), options);
  }
}
