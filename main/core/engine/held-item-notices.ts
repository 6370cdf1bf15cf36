// Prompts, resources, templates and instructions held on first sight are told to the user the way a
// held tool is (engine-events.ts): an audit row each, and one notification per connector and batch.
import type { AuditLog } from '../audit/audit-log.js';
import type { ConnectorManager } from '../connectors/runtime/connector-manager.js';
import type { Notifier } from '../effects.js';
import type { HeldItems } from '../gateway/held-items.js';
import { connectorItems, KIND_WORD } from '../operations/held-items.js';
import { heldItemKey } from '../gateway/held-items.js';
import { firstReason } from './engine-events.js';

/** What the notices read and write. */
export interface HeldItemNoticeSources {
  connectors: Pick<ConnectorManager, 'on' | 'offering' | 'upstream'>;
  heldItems: HeldItems;
  audit: Pick<AuditLog, 'record'>;
  notifier: Notifier;
}

/**
 * After each listing of a connector, and each change of its status (its instructions come with the
 * connection), tells the user about its newly held items, once per definition.
 */
export function announceHeldItems(sources: HeldItemNoticeSources): void {
  sources.connectors.on((event) => {
    if (event.type !== 'offering' && event.type !== 'status') return;
    const held = sources.heldItems.unannounced(event.connector, connectorItems(sources, event.connector));
    if (held.length === 0) return;
    const names: string[] = [];
    for (const { kind, item, findings } of held) {
      const named =
        kind === 'instructions' ? 'its instructions' : `${KIND_WORD[kind]} ${heldItemKey(kind, item)}`;
      names.push(named);
      sources.audit.record({
        type: 'tool.held',
        connector: event.connector,
        decision: 'info',
        reason: `Held on first sight: ${named}: ${findings.map((finding) => finding.reason).join(' ')}`,
        detail: { kind, key: heldItemKey(kind, item) },
      });
    }
    sources.notifier.notify({
      kind: 'info',
      title: `${event.connector}: ${names.length === 1 ? names[0] : `${names.length} items`} held on first sight`,
      body: `${firstReason(held.flatMap(({ findings }) => findings.map((finding) => finding.reason)))} Clients do not see ${held.length === 1 ? 'it' : 'them'}; review ${held.length === 1 ? 'it' : 'them'} in Gatehouse.`,
    });
  });
}
