// prompts/list and prompts/get on one served instance: the prompts the caller's grant reaches, got
// from their connector under its own name, with the resource URIs in the messages as the client
// knows them (shown-uris.ts).
import { isInputRequiredResult, type Server, type ServerContext } from '@modelcontextprotocol/server';
import type { Caller } from '../mcp/bearer-check.js';
import { refuseCursor, type CatalogLists } from './catalog-lists.js';
import {
  connectedClient,
  envelopeFor,
  withInputRounds,
  withoutUpstreamServerInfo,
  type ForwardContext,
} from './forwarding.js';
import { trackInFlight, type LiveSession } from './live-session.js';
import { routePrompt } from './routing.js';
import { showContentUris } from './shown-uris.js';

/** What the prompt handlers need: forwarding, and the prompts list. */
export interface PromptContext extends ForwardContext {
  lists: ForwardContext['lists'] & Pick<CatalogLists, 'listPrompts' | 'refuseHeld'>;
}

/** Sets the prompts handlers on a served instance that declares prompts. */
export function installPrompts(
  server: Server,
  session: LiveSession,
  caller: (ctx: ServerContext) => Caller,
  context: PromptContext,
): void {
  const { scope } = session;
  const { lists } = context;
  server.setRequestHandler('prompts/list', async (request, ctx) => {
    refuseCursor(request.params);
    return { prompts: lists.listPrompts(caller(ctx), scope) };
  });
  server.setRequestHandler('prompts/get', async (request, ctx) => {
    const route = routePrompt(lists, caller(ctx), scope, request.params.name);
    const { connector } = route;
    lists.refuseHeld(connector, 'prompt', route.original, request.params.name);
    // In flight for the connector while the prompt is built, as a tool call is: a 2025-era upstream
    // that asks for input (elicitation/create) is asked on this session (upstream-traffic.ts).
    const untrack = trackInFlight(session, connector, ctx.mcpReq.id);
    const result = await withInputRounds(
      context.codec,
      ctx,
      {
        connector,
        target: route.original,
        args: request.params.arguments,
        shown: request.params.name,
      },
      (retry) =>
        connectedClient(context, connector).getPrompt(
          {
            ...request.params,
            name: route.original,
            _meta: { ...request.params._meta, ...envelopeFor(context, session, ctx, connector) },
            ...retry,
          },
          {
            signal: ctx.mcpReq.signal,
            timeout: context.callTimeoutMs(connector),
            allowInputRequired: true,
          },
        ),
    ).finally(untrack);
    if (isInputRequiredResult(result)) return result;
    const answer = withoutUpstreamServerInfo(result);
    if (scope.connector !== null) return answer;
    return {
      ...answer,
      messages: answer.messages.map((message) => {
        const [content] = showContentUris([message.content], (uri) => lists.shownUri(connector, uri));
        return content === message.content ? message : { ...message, content: content! };
      }),
    };
  });
}
