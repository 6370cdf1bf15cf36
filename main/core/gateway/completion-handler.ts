// completion/complete on one served instance: a prompt's argument or a resource template's variable,
// completed by the connector that owns the prompt or template, forwarded as prompts/get is
// (forwarding.ts: in flight while it answers, its logs before its answer). On /mcp the reference is the name or
// template the client was shown there (routed like prompts/get and resources/read); on
// /mcp/<connector> the upstream's own.
import {
  isInputRequiredResult,
  ProtocolError,
  type Server,
  type ServerContext,
} from '@modelcontextprotocol/server';
import { JsonRpcCode } from '../json-rpc-errors.js';
import type { Caller } from '../mcp/bearer-check.js';
import type { OfferingLists } from './offering-lists.js';
import {
  connectedClient,
  envelopeFor,
  withInputRounds,
  withoutUpstreamServerInfo,
  type ForwardContext,
} from './forwarding.js';
import type { LiveSession } from './live-session.js';
import { routePrompt } from './routing.js';

/** What completion needs: forwarding, and which connectors the caller reaches. */
export interface CompletionContext extends ForwardContext {
  lists: ForwardContext['lists'] &
    Pick<OfferingLists, 'visibleConnectors' | 'refuseHeld' | 'refuseHeldTemplate'>;
}

/** Sets completion/complete on a served instance that declares completions. */
export function installCompletion(
  server: Server,
  session: LiveSession,
  caller: (ctx: ServerContext) => Caller,
  context: CompletionContext,
): void {
  const { scope } = session;
  server.setRequestHandler('completion/complete', async (request, ctx) => {
    const who = caller(ctx);
    const { ref } = request.params;
    const route =
      ref.type === 'ref/prompt'
        ? (({ connector, original }) => ({ connector, ref: { ...ref, name: original } }))(
            routePrompt(context.lists, who, scope, ref.name),
          )
        : templateRoute(context, who, session, ref.uri);
    // Nothing about an item held on first sight is asked of its server, completions included.
    if (route.ref.type === 'ref/prompt')
      context.lists.refuseHeld(
        route.connector,
        'prompt',
        route.ref.name,
        ref.type === 'ref/prompt' ? ref.name : '',
      );
    else
      context.lists.refuseHeldTemplate(
        route.connector,
        route.ref.uri,
        ref.type === 'ref/resource' ? ref.uri : '',
      );
    const target = route.ref.type === 'ref/prompt' ? route.ref.name : route.ref.uri;
    // As prompts/get is: in flight for the connector while it answers (a 2025-era upstream's question
    // goes to this session, or, for a 2026-07-28 client, ends it: parked with nothing to answer), and
    // its logs out before its answer.
    const result = await withInputRounds(
      context,
      ctx,
      {
        session,
        clientId: who.clientId,
        connector: route.connector,
        target,
        shown: ref.type === 'ref/prompt' ? ref.name : ref.uri,
        kind: 'completion',
        args: { argument: request.params.argument, context: request.params.context },
      },
      (_retry, signal) =>
        connectedClient(context, route.connector).complete(
          {
            ...request.params,
            ref: route.ref,
            _meta: { ...request.params._meta, ...envelopeFor(context, session, ctx, route.connector) },
          },
          { signal, timeout: context.callTimeoutMs(route.connector) },
        ),
    );
    // A 2026-07-28 upstream answers completion/complete in one round (no input_required for it).
    if (isInputRequiredResult(result))
      throw new ProtocolError(
        JsonRpcCode.InternalError,
        `gatehouse: ${route.connector} answered completion/complete with input_required, which that method cannot carry`,
      );
    return withoutUpstreamServerInfo(result);
  });
}

/** The connector and its own template of a `ref/resource` reference; InvalidParams for any other. */
function templateRoute(
  context: CompletionContext,
  caller: Caller,
  session: LiveSession,
  uri: string,
): { connector: string; ref: { type: 'ref/resource'; uri: string } } {
  const { scope } = session;
  const reachable = context.lists.visibleConnectors(caller, scope);
  if (scope.connector !== null) {
    if (reachable.includes(scope.connector))
      return { connector: scope.connector, ref: { type: 'ref/resource', uri } };
  } else {
    const entry = context.lists.view().resourceTemplates.find((e) => e.exposed === uri);
    if (entry && reachable.includes(entry.connector))
      return { connector: entry.connector, ref: { type: 'ref/resource', uri: entry.item.uriTemplate } };
  }
  throw new ProtocolError(
    JsonRpcCode.InvalidParams,
    `gatehouse: there is no resource template ${uri} for this client.`,
  );
}
