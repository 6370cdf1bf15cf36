// resources/list, templates/list, read, subscribe and unsubscribe on one served instance, and the
// 2026-07-28 listen stream's resource subscriptions: each URI routed to its connector (routing.ts),
// read or subscribed there, and the URIs in the answer shown as the client knows them.
import {
  isInputRequiredResult,
  ProtocolError,
  type Server,
  type ServerContext,
} from '@modelcontextprotocol/server';
import { JsonRpcCode } from '../json-rpc-errors.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { OpenedApps } from './app-tools.js';
import type { Logger } from '../effects.js';
import type { Caller } from '../mcp/bearer-check.js';
import type { McpScope } from '../mcp/session-services.js';
import { grantReaches } from '../policy/effective-access.js';
import { refuseCursor, type OfferingLists } from './offering-lists.js';
import {
  connectedClient,
  envelopeFor,
  withInputRounds,
  withoutUpstreamServerInfo,
  type ForwardContext,
} from './forwarding.js';
import type { LiveSession } from './live-session.js';
import type { ResourceSubscriptions } from './resource-subscriptions.js';
import { inspectResult } from './result-secrets.js';
import type { SealedValues } from '../secrets/sealed-values.js';
import { routeResource } from './routing.js';
import { showUris } from './shown-uris.js';

/** What the resource handlers need: forwarding, the lists, the audit log, the shared subscriptions. */
export interface ResourceContext extends ForwardContext {
  lists: ForwardContext['lists'] &
    Pick<OfferingLists, 'listResources' | 'listResourceTemplates' | 'refuseHeld' | 'refuseHeldTemplate'>;
  audit: Pick<AuditLog, 'record'>;
  subscriptions: ResourceSubscriptions;
  logger: Logger;
  /** The apps each client opened: reading a ui:// resource opens its connector's (app-tools.ts). */
  opened: Pick<OpenedApps, 'read'>;
  /** The values Gatehouse keeps sealed for its connectors, masked in what a read returns. */
  sealedValues(): SealedValues;
  /** Whether the user marked the connector as handling secrets on purpose: its reads pass as they are. */
  handlesSecrets(connector: string): boolean;
}

/** Sets the resources handlers on a served instance that declares resources. */
export function installResources(
  server: Server,
  session: LiveSession,
  caller: (ctx: ServerContext) => Caller,
  context: ResourceContext,
): void {
  const { scope } = session;
  const { lists } = context;
  server.setRequestHandler('resources/list', async (request, ctx) => {
    refuseCursor(request.params);
    return { resources: lists.listResources(caller(ctx), scope) };
  });
  server.setRequestHandler('resources/templates/list', async (request, ctx) => {
    refuseCursor(request.params);
    return { resourceTemplates: lists.listResourceTemplates(caller(ctx), scope) };
  });
  server.setRequestHandler('resources/read', async (request, ctx) => {
    const who = caller(ctx);
    const route = routeResource(lists, who, scope, request.params.uri);
    lists.refuseHeld(route.connector, 'resource', route.uri, request.params.uri, scope.connector !== null);
    const result = await withInputRounds(
      context,
      ctx,
      {
        session,
        clientId: who.clientId,
        connector: route.connector,
        target: route.uri,
        shown: request.params.uri,
        kind: 'resource',
        args: route.uri,
      },
      (retry, signal) =>
        connectedClient(context, route.connector).readResource(
          {
            ...request.params,
            uri: route.uri,
            _meta: { ...request.params._meta, ...envelopeFor(context, session, ctx, route.connector) },
            ...retry,
          },
          {
            signal,
            timeout: context.callTimeoutMs(route.connector),
            allowInputRequired: true,
            // Each client is asked for itself: Gatehouse's one upstream client caches nothing.
            cacheMode: 'bypass',
          },
        ),
    );
    if (isInputRequiredResult(result)) return result;
    context.opened.read(who.clientId, route.connector, route.uri);
    // Its secrets masked as a tool result's are (docs/security-model.md, "Secrets in tool calls").
    const { result: answer, detail } = inspectResult(
      withoutUpstreamServerInfo(result),
      context.sealedValues(),
      context.handlesSecrets(route.connector),
    );
    context.audit.record({
      type: 'resource.read',
      clientId: who.clientId,
      connector: route.connector,
      decision: 'allow',
      reason: `Read ${route.uri}`,
      detail: { uri: route.uri, ...detail },
    });
    if (scope.connector !== null) return answer;
    // The resource read comes back as the client asked for it; others it names as it would.
    const shown = (uri: string) =>
      uri === route.uri ? request.params.uri : lists.shownUri(route.connector, uri);
    return { ...answer, contents: showUris(answer.contents, shown) };
  });
  if (session.era === 'legacy') {
    server.setRequestHandler('resources/subscribe', async (request, ctx) => {
      const route = routeResource(lists, caller(ctx), scope, request.params.uri);
      const key = `${route.connector}\u0000${route.uri}`;
      if (session.subscriptions.has(key)) return {};
      // A held resource (or a URI a held template expands to) is not watched either.
      lists.refuseHeld(route.connector, 'resource', route.uri, request.params.uri, scope.connector !== null);
      assertSubscribable(context, route.connector);
      const shown = request.params.uri;
      const { grant } = caller(ctx);
      const release = await context.subscriptions.add(
        route.connector,
        route.uri,
        (params) => {
          // The grant record is the one the user edits: a connector taken from it says nothing more.
          if (!grantReaches(grant.connectors, route.connector)) return;
          void server.sendResourceUpdated({ ...params, uri: shown }).catch(() => undefined);
        },
        ctx.mcpReq.signal,
      );
      session.subscriptions.set(key, release);
      return {};
    });
    server.setRequestHandler('resources/unsubscribe', async (request, ctx) => {
      const route = routeResource(lists, caller(ctx), scope, request.params.uri);
      const key = `${route.connector}\u0000${route.uri}`;
      const release = session.subscriptions.get(key);
      session.subscriptions.delete(key);
      await release?.();
      return {};
    });
  }
}

/**
 * A 2026-07-28 subscriptions/listen stream wants notifications/resources/updated for `uris` (as the
 * client knows them): each one this caller can reach is subscribed upstream, and `onUpdate` hears
 * it by the same URI. Resolves to the function that releases them all.
 */
export async function watchResources(
  context: ResourceContext,
  scope: McpScope,
  caller: Caller,
  uris: readonly string[],
  onUpdate: (uri: string) => void,
): Promise<() => Promise<void>> {
  const releases: Array<() => Promise<void>> = [];
  for (const uri of new Set(uris)) {
    let route: { connector: string; uri: string };
    try {
      route = routeResource(context.lists, caller, scope, uri);
      context.lists.refuseHeld(route.connector, 'resource', route.uri, uri, scope.connector !== null);
      assertSubscribable(context, route.connector);
    } catch {
      continue; // Nothing will ever be said about a resource this caller cannot reach.
    }
    try {
      const { connector } = route;
      releases.push(
        await context.subscriptions.add(connector, route.uri, () => {
          if (grantReaches(caller.grant.connectors, connector)) onUpdate(uri);
        }),
      );
    } catch (error) {
      context.logger.warn('an upstream refused a resource subscription', {
        connector: route.connector,
        error: (error as Error).message,
      });
    }
  }
  return async () => {
    await Promise.all(releases.map((release) => release()));
  };
}

function assertSubscribable(context: Pick<ForwardContext, 'upstream'>, connector: string): void {
  if (!context.upstream(connector)?.capabilities()?.resources?.subscribe) {
    throw new ProtocolError(
      JsonRpcCode.InvalidParams,
      `gatehouse: ${connector} does not offer resource subscriptions.`,
    );
  }
}
