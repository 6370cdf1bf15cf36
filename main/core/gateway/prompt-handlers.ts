// prompts/list and prompts/get on one served instance: the prompts the caller's grant reaches, got
// from their connector under its own name (with the input it asks for on the way, forwarding.ts),
// with the resource URIs in the messages as the client knows them (shown-uris.ts).
import { isInputRequiredResult, type Server, type ServerContext } from '@modelcontextprotocol/server';
import type { Caller } from '../mcp/bearer-check.js';
import { refuseCursor, type OfferingLists } from './offering-lists.js';
import {
  connectedClient,
  envelopeFor,
  withInputRounds,
  withoutUpstreamServerInfo,
  type ForwardContext,
} from './forwarding.js';
import type { LiveSession } from './live-session.js';
import { routePrompt } from './routing.js';
import { showContentUris } from './shown-uris.js';

/** What the prompt handlers need: forwarding, and the prompts list. */
export interface PromptContext extends ForwardContext {
  lists: ForwardContext['lists'] & Pick<OfferingLists, 'listPrompts' | 'refuseHeld'>;
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
    const result = await withInputRounds(
      context,
      ctx,
      {
        session,
        clientId: caller(ctx).clientId,
        connector,
        target: route.original,
        shown: request.params.name,
        kind: 'prompt',
        args: request.params.arguments,
      },
      (retry, signal) =>
        connectedClient(context, connector).getPrompt(
          {
            ...request.params,
            name: route.original,
            _meta: { ...request.params._meta, ...envelopeFor(context, session, ctx, connector) },
            ...retry,
          },
          { signal, timeout: context.callTimeoutMs(connector), allowInputRequired: true },
        ),
    );
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
