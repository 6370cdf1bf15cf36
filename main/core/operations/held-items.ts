// Operations on prompts, resources and resource templates held on first sight: the list the Tools page
// and `gatehouse tools` show (each with its findings), and the user's answers — accept the definition,
// or keep it blocked. An item first sight has yet to judge (its scanner still loading) is listed as being
// checked, with no findings: it waits for first sight, not for the user, so no count of what waits for
// the user includes it and it cannot be answered until it is judged.
import type { HeldItemView } from '../api/contract.js';
import type { OperationHandlers } from './engine-api.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { ConnectorManager } from '../connectors/runtime/connector-manager.js';
import { GatehouseError } from '../errors.js';
import type { Gateway } from '../gateway/gateway.js';
import { heldItemCandidates, heldItemKey, type HeldItems } from '../gateway/held-items.js';
import type { ConnectorStore } from '../store/connector-store.js';
import type { HeldItemKind } from '../store/first-sight-answers.js';
import { definitionHash } from '../policy/tool-fingerprint.js';
import { FIRST_SIGHT_CHECKING_TEXT } from '../text.js';
import { refuseUnread } from './tools.js';

/** What the held-item operations use of the engine. */
export interface HeldItemsContext {
  readonly connectors: Pick<ConnectorManager, 'offering' | 'upstream'>;
  readonly connectorStore: Pick<ConnectorStore, 'list' | 'require'>;
  readonly heldItems: HeldItems;
  readonly gateway: Pick<Gateway, 'heldItemAnswered'>;
  readonly audit: Pick<AuditLog, 'record'>;
}

/** Each held kind in words, as a sentence names it: "resource template". */
export const KIND_WORD = {
  prompt: 'prompt',
  resource: 'resource',
  'resource-template': 'resource template',
  instructions: 'instructions',
} as const;

/** An item in words: "prompt review", "resource template notes://{id}", "instructions". */
const itemWords = (kind: HeldItemKind, key: string) =>
  kind === 'instructions' ? 'instructions' : `${KIND_WORD[kind]} ${key}`;

/** A connector's prompts, resources, templates and instructions, each as first sight reads it. */
export function connectorItems(
  context: Pick<HeldItemsContext, 'connectors' | 'heldItems'>,
  connector: string,
): Array<{ kind: HeldItemKind; item: object }> {
  const instructions = context.connectors.upstream(connector)?.instructions();
  return heldItemCandidates(
    context.connectors.offering(connector),
    context.heldItems.instructionsItem(connector, instructions),
  );
}

/**
 * How many of a connector's prompts, resources, templates and instructions wait for the user's review:
 * held on first sight, neither accepted nor kept blocked — and judged: one still being checked waits
 * for first sight, not for the user.
 */
export function waitingItems(
  context: Pick<HeldItemsContext, 'connectors' | 'heldItems'>,
  connector: string,
): number {
  const items = connectorItems(context, connector);
  return context.heldItems.together(
    () =>
      items.filter(
        ({ kind, item }) =>
          context.heldItems.isHeld(connector, kind, item) &&
          !context.heldItems.isChecking(connector, kind, item) &&
          context.heldItems.answer(connector, kind, item) !== 'blocked',
      ).length,
  );
}

function view(context: HeldItemsContext, connector: string, kind: HeldItemKind, item: object): HeldItemView {
  const { name, description, instructions } = item as {
    name?: string;
    description?: string;
    instructions?: string;
  };
  // Being checked, it has no findings yet: the one a waiting scan carries only says it is not judged.
  const checking = context.heldItems.isChecking(connector, kind, item);
  return {
    connector,
    kind,
    key: heldItemKey(kind, item),
    name: name ?? heldItemKey(kind, item),
    description: description ?? instructions ?? '',
    findings: checking ? [] : context.heldItems.scan(connector, kind, item).findings,
    keptBlocked: context.heldItems.answer(connector, kind, item) === 'blocked',
    checking,
    definition: definitionHash(item),
  };
}

/**
 * The held item a request names, or a `not_found` / `conflict` error saying why not. One still being
 * checked is refused: an answer would be recorded for its definition, which first sight has not read,
 * and would stand for whatever it then finds.
 */
function heldItem(
  context: HeldItemsContext,
  input: { connector: string; kind: HeldItemKind; key: string; definition?: string | undefined },
  answer: 'accepted' | 'kept blocked',
) {
  context.connectorStore.require(input.connector);
  const found = connectorItems(context, input.connector).find(
    ({ kind, item }) => kind === input.kind && heldItemKey(kind, item) === input.key,
  );
  if (!found)
    throw new GatehouseError(
      'not_found',
      `Connector ${input.connector} lists no ${KIND_WORD[input.kind]} ${input.key} right now.`,
    );
  if (!context.heldItems.isHeld(input.connector, found.kind, found.item))
    throw new GatehouseError(
      'conflict',
      `${input.connector}'s ${KIND_WORD[input.kind]} ${input.key} is not held; there is nothing to review.`,
    );
  if (context.heldItems.isChecking(input.connector, found.kind, found.item))
    throw new GatehouseError(
      'conflict',
      `${input.connector}'s ${itemWords(found.kind, input.key)} ${found.kind === 'instructions' ? 'are' : 'is'} ${FIRST_SIGHT_CHECKING_TEXT.label.toLowerCase()}: there is nothing to review yet.`,
    );
  refuseUnread(
    `${input.connector}'s ${itemWords(found.kind, input.key)}`,
    answer,
    input.definition,
    found.item,
  );
  return found;
}

/** The handlers of tools.heldItems, tools.acceptItem and tools.blockItem. */
export function heldItemOperations(
  context: HeldItemsContext,
): Pick<OperationHandlers, 'tools.heldItems' | 'tools.acceptItem' | 'tools.blockItem'> {
  return {
    'tools.heldItems': ({ connector }) => {
      const names = connector
        ? [context.connectorStore.require(connector).name]
        : context.connectorStore.list().map((record) => record.name);
      return context.heldItems.together(() =>
        names.flatMap((name) =>
          connectorItems(context, name)
            .filter(({ kind, item }) => context.heldItems.isHeld(name, kind, item))
            .map(({ kind, item }) => view(context, name, kind, item)),
        ),
      );
    },
    'tools.acceptItem': (input) => {
      const { kind, item } = heldItem(context, input, 'accepted');
      context.heldItems.answerWith(input.connector, kind, item, 'accepted');
      context.audit.record({
        type: 'tool.change_accepted',
        connector: input.connector,
        decision: 'info',
        reason: `The user reviewed ${input.connector}'s ${itemWords(kind, input.key)}, held on first sight, and accepted ${kind === 'instructions' ? 'them' : 'it'}`,
      });
      context.gateway.heldItemAnswered(input.connector);
      return { connector: input.connector, key: input.key };
    },
    'tools.blockItem': (input) => {
      const { kind, item } = heldItem(context, input, 'kept blocked');
      context.heldItems.answerWith(input.connector, kind, item, 'blocked');
      context.audit.record({
        type: 'tool.change_refused',
        connector: input.connector,
        decision: 'info',
        reason: `The user reviewed ${input.connector}'s ${itemWords(kind, input.key)}, held on first sight, and kept ${kind === 'instructions' ? 'them' : 'it'} blocked`,
      });
      return view(context, input.connector, kind, item);
    },
  };
}
