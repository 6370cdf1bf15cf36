// Telling the user that a connector's tools or items were just held for review while another page is
// in front: a toast naming the connector and what was held (the Tools page shows them already, and the
// navigation badge counts them; a badge alone goes unseen).
import { useEffect, useRef } from 'react';
import type { ConnectorView } from '@core/api/contract.js';
import { count } from '@core/text.js';
import type { View } from './route.js';
import { useConnectors, useStores } from './stores-context.js';

/** What a connector holds for review, by kind. */
function heldOf(connector: ConnectorView): { firstSight: number; changed: number } {
  return {
    firstSight: connector.heldOnFirstSight + connector.heldItems,
    changed: connector.heldTools - connector.heldOnFirstSight,
  };
}

/**
 * The toast for what a connector newly holds (undefined: nothing new).
 * @internal Exported for its tests only: the toast's wording for every count, checked without rendering.
 */
export function heldToast(
  name: string,
  before: { firstSight: number; changed: number },
  now: { firstSight: number; changed: number },
): string | undefined {
  const firstSight = now.firstSight - before.firstSight;
  const changed = now.changed - before.changed;
  const parts = [
    firstSight > 0 ? `${count(firstSight, 'new item')} held on first sight` : '',
    changed > 0 ? `${count(changed, 'tool')} changed upstream and held` : '',
  ].filter(Boolean);
  return parts.length === 0 ? undefined : `${name}: ${parts.join(', ')}. Review on the Tools page.`;
}

/**
 * Shows a toast when a connector holds more for review than it did, unless the Tools page is in front
 * (it shows them there). What was held before the window opened is not announced again.
 */
export function useHeldNotice(view: View): void {
  const connectors = useConnectors((state) => state.connectors);
  const { toasts } = useStores();
  const known = useRef<Map<string, { firstSight: number; changed: number }> | undefined>(undefined);
  useEffect(() => {
    const now = new Map(connectors.map((connector) => [connector.name, heldOf(connector)]));
    const before = known.current;
    known.current = now;
    // The first list is what was there already, and nothing shows on the Tools page itself.
    if (before === undefined || view === 'tools') return;
    for (const [name, held] of now) {
      const text = heldToast(name, before.get(name) ?? { firstSight: 0, changed: 0 }, held);
      if (text) toasts.getState().show(text);
    }
  }, [connectors, view, toasts]);
}
