// The engine's routing table: which part answers each path on the loopback server — MCP, the
// protected-resource metadata, the consent pages, the trusted API, the browser UI, the upstream OAuth
// callback and client metadata document, and everything else to the authorization server (with its
// JSON bodies checked first).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpApi } from './http-api.js';
import type { UiAccess } from './ui-access.js';
import type { AuthorizationServer } from '../auth/authorization-server.js';
import {
  CLIENT_METADATA_PATH,
  OAUTH_CALLBACK_PATH,
  type ConnectorOAuth,
} from '../connectors/oauth/connector-oauth.js';
import type { Gateway } from '../gateway/gateway.js';
import type { McpEndpoint } from '../mcp/mcp-endpoint.js';
import { protectedResourceMetadata } from '../mcp/protected-resource.js';
import { BodyError, checkedJsonRequest, sendJson, sendText } from '../http/http-io.js';

/** The largest JSON body oidc-provider is handed (client registration, token requests). */
const OIDC_BODY_LIMIT = 56 * 1024;

/** The parts of the engine that answer requests. */
export interface RouteTargets {
  mcpUrl: string;
  issuer: string;
  mcp: Pick<McpEndpoint, 'handle'>;
  authorization: Pick<AuthorizationServer, 'handle' | 'handleConsentPage' | 'handleConsentWait'>;
  api: Pick<HttpApi, 'handle'>;
  ui: Pick<UiAccess, 'handle'>;
  connectorOAuth: Pick<ConnectorOAuth, 'handleCallback' | 'handleClientMetadata'>;
  /** Which `/mcp/<name>` is an enabled connector's endpoint. */
  gateway: Pick<Gateway, 'hasConnector'>;
}

/** Sends each request on the loopback server to the part of the engine that answers it. */
export async function routeRequest(
  targets: RouteTargets,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  if (path === '/mcp' || path.startsWith('/mcp/')) return targets.mcp.handle(req, res, path);
  if (path.startsWith('/.well-known/oauth-protected-resource'))
    return protectedResource(targets, req, res, path);
  const consent = /^\/consent\/([A-Za-z0-9_-]{1,64})(\/wait)?$/.exec(path);
  if (consent && req.method === 'GET') {
    return consent[2]
      ? targets.authorization.handleConsentWait(res, consent[1]!)
      : targets.authorization.handleConsentPage(req, res, consent[1]!);
  }
  if (path.startsWith('/api/')) return targets.api.handle(req, res, path);
  if (path === '/ui' || path.startsWith('/ui/')) return targets.ui.handle(req, res, path);
  if (path === OAUTH_CALLBACK_PATH && req.method === 'GET')
    return targets.connectorOAuth.handleCallback(req, res);
  if (path === CLIENT_METADATA_PATH && req.method === 'GET')
    return targets.connectorOAuth.handleClientMetadata(res);
  if (path === '/' && req.method === 'GET') {
    sendText(res, 200, `Gatehouse is running. MCP endpoint: ${targets.mcpUrl}\n`);
    return;
  }
  return authorizationRoute(targets, req, res);
}

/** oidc-provider parses JSON bodies itself (client registration): their size and nesting are checked first. */
async function authorizationRoute(
  targets: RouteTargets,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  // oidc-provider resumes an authorization at /auth/<uid>, a URL it builds without a query. With a
  // query naming a client (never sent by oidc-provider itself), its error path for an unknown uid
  // throws (oidc-provider 9.x, oneRedirectUriClients reads params it never set) and answers 500.
  if ((req.method === 'GET' || req.method === 'HEAD') && /^\/auth\/[^/?]+\?/.test(req.url ?? '')) {
    sendJson(res, 400, {
      error: 'invalid_request',
      error_description: 'An authorization is resumed at /auth/<id> without query parameters.',
    });
    return;
  }
  let checked: IncomingMessage;
  try {
    checked = await checkedJsonRequest(req, OIDC_BODY_LIMIT);
  } catch (error) {
    if (!(error instanceof BodyError)) throw error;
    // RFC 7591 §3.2.2 names the registration endpoint's error; elsewhere it is a bad request.
    const path = (req.url ?? '/').split('?')[0];
    sendJson(res, error.status, {
      error: path === '/reg' ? 'invalid_client_metadata' : 'invalid_request',
      error_description: error.message,
    });
    return;
  }
  return targets.authorization.handle(checked, res);
}

function protectedResource(
  targets: RouteTargets,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): void {
  const suffix = path.slice('/.well-known/oauth-protected-resource'.length) || '/mcp';
  const connector = /^\/mcp\/([a-z0-9][a-z0-9_-]{0,31})$/.exec(suffix)?.[1];
  if (suffix !== '/mcp' && !(connector && targets.gateway.hasConnector(connector))) {
    sendJson(res, 404, { error: 'not_found', error_description: `No protected resource at ${suffix}.` });
    return;
  }
  sendJson(res, 200, protectedResourceMetadata(`http://${req.headers.host}`, suffix, targets.issuer), {
    'access-control-allow-origin': '*',
  });
}
