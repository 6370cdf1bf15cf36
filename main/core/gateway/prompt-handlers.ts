// prompts/list and prompts/get on one served instance: the prompts the caller's grant reaches, got
// from their connector under its own name (with the input it asks for on the way, forwarding.ts),
// their secrets masked and audited as a tool result's are (result-secrets.ts), with the resource URIs
// in the messages as the client knows them (shown-uris.ts).
import { isInputRequiredResult, type Server, type ServerContext } from '@modelcontextprotocol/server';
import type { AuditLog } from '../audit/audit-log.js';
import type { Caller } from '../mcp/bearer-check.js';
import type { SealedValues } from '../secrets/sealed-values.js';
import { refuseCursor, type OfferingLists } from './offering-lists.js';
import {
  connectedClient,
  envelopeFor,
  withInputRounds,
  withoutUpstreamServerInfo,
  type ForwardContext,
} from './forwarding.js';
import type { LiveSession } from './live-session.js';
import { inspectResult } from './result-secrets.js';
import { routePrompt } from './routing.js';
import { showContentUris } from './shown-uris.js';

/** What the prompt handlers need: forwarding, the prompts list, the audit log, the sealed values. */
export interface PromptContext extends ForwardContext {
  lists: ForwardContext['lists'] & Pick<OfferingLists, 'listPrompts' | 'refuseHeld'>;
  audit: Pick<AuditLog, 'record'>;
  /** The values Gatehouse keeps sealed for its connectors, masked in the messages a prompt returns. */
  sealedValues(): SealedValues;
  /** Whether the user marked the connector as handling secrets on purpose: its prompts pass as they are. */
  handlesSecrets(connector: string): boolean;
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
    const who = caller(ctx);
    const route = routePrompt(lists, who, scope, request.params.name);
    const { connector } = route;
    lists.refuseHeld(connector, 'prompt', route.original, request.params.name);
    const result = await withInputRounds(
      context,
      ctx,
      {
        session,
        clientId: who.clientId,
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
    const { result: answer, detail } = inspectResult(
      withoutUpstreamServerInfo(result),
      context.sealedValues(),
      context.handlesSecrets(connector),
    );
    context.audit.record({
      type: 'prompt.get',
      clientId: who.clientId,
      connector,
      decision: 'allow',
      reason: `Got the prompt ${route.original}`,
      detail: { prompt: route.original, ...detail },
    });
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
