// Tools: per connector, which tools clients may see and call, which ask first, and the changes held
// for review; apart from those, the items first sight is still checking — shown even while no tool is.
import { useMemo, useState } from 'react';
import type { ToolView } from '@core/api/contract.js';
import { TOOLS_BEING_CHECKED_TEXT } from '@core/text.js';
import { navigate, routeHref } from '../../app/route.js';
import { useConnectors, useStores, useTools } from '../../app/stores-context.js';
import { WriteApproval } from './write-approval.js';
import { EmptyState } from '../../components/empty-state.js';
import { LoadGate } from '../../components/load-gate.js';
import { FirstSightReview } from './first-sight-review.js';
import { HeldItemReview } from './held-item-review.js';
import { HeldToolReview } from './held-tool-review.js';
import { ItemsBeingChecked } from './items-being-checked.js';
import { SameFindings, sameFindingGroups } from './same-findings.js';
import { ToolsTable } from './tools-table.js';

export function ToolsView({ param }: { param: string | null }) {
  const { tools: store } = useStores();
  const tools = useTools((state) => state.tools);
  const heldItems = useTools((state) => state.heldItems);
  const loadState = useTools((state) => state.loadState);
  const loadError = useTools((state) => state.loadError);
  const connectors = useConnectors((state) => state.connectors);
  const [search, setSearch] = useState('');
  const shownConnector = param && connectors.some((connector) => connector.name === param) ? param : '';

  const groups = useMemo(() => {
    const needle = search.trim().toLowerCase();
    const byConnector = new Map<string, ToolView[]>();
    for (const tool of tools) {
      if (shownConnector && tool.connector !== shownConnector) continue;
      if (needle && !`${tool.exposedName} ${tool.description}`.toLowerCase().includes(needle)) continue;
      byConnector.set(tool.connector, [...(byConnector.get(tool.connector) ?? []), tool]);
    }
    return [...byConnector.entries()].sort(([a], [b]) => a.localeCompare(b));
  }, [tools, shownConnector, search]);
  // Held changes wait for the user: they go first, above every connector's list (search aside).
  const held = tools.filter(
    (tool) => (tool.held || tool.firstSight) && (!shownConnector || tool.connector === shownConnector),
  );
  // Tools held for the very same findings (a server's boilerplate in every tool) get one answer too.
  const sameFindings = sameFindingGroups(held);
  const shownItems = heldItems.filter((item) => !shownConnector || item.connector === shownConnector);
  // An item first sight is still checking is not held for review: it is named apart, with no answers.
  const heldForReview = shownItems.filter((item) => !item.checking);
  const beingChecked = shownItems.filter((item) => item.checking);
  // While first sight checks anything, a connector's new tools wait out of the list with it (they join
  // once judged): an empty list then must not say that no connector listed any, whichever one is shown.
  const firstSightChecking = heldItems.some((item) => item.checking);

  return (
    <div className="page">
      <div className="page-header">
        <h1>Tools</h1>
        <div className="toolbar">
          <label className="inline-label">
            Connector{' '}
            <select
              value={shownConnector}
              onChange={(event) =>
                event.target.value ? navigate('tools', event.target.value) : navigate('tools')
              }
            >
              <option value="">All connectors</option>
              {connectors.map((connector) => (
                <option key={connector.name} value={connector.name}>
                  {connector.name}
                </option>
              ))}
            </select>
          </label>
          <input
            type="search"
            aria-label="Search tools"
            placeholder="Search tools"
            value={search}
            onChange={(event) => setSearch(event.target.value)}
          />
        </div>
      </div>
      <LoadGate state={loadState} error={loadError} onRetry={() => void store.getState().refresh()}>
        {held.length > 0 || heldForReview.length > 0 ? (
          <section className="tool-group" aria-labelledby="tools-held">
            <h2 id="tools-held">Held for review</h2>
            {sameFindings.map((group) => (
              <SameFindings key={`same-${group[0]!.connector}-${group[0]!.name}`} tools={group} />
            ))}
            {held.map((tool) =>
              tool.firstSight && !tool.held ? (
                <FirstSightReview
                  key={`first-sight-${tool.connector}-${tool.name}`}
                  tool={tool}
                  firstSight={tool.firstSight}
                />
              ) : tool.held ? (
                <HeldToolReview key={`held-${tool.connector}-${tool.name}`} tool={tool} held={tool.held} />
              ) : null,
            )}
            {heldForReview.map((item) => (
              <HeldItemReview key={`held-item-${item.connector}-${item.kind}-${item.key}`} item={item} />
            ))}
          </section>
        ) : null}
        {beingChecked.length > 0 ? <ItemsBeingChecked items={beingChecked} /> : null}
        {tools.length === 0 ? (
          <EmptyState title="No tools yet">
            {connectors.length === 0 ? (
              <p>
                Tools come from connectors. <a href={routeHref('connectors', 'new')}>Add a connector</a>, and
                its tools appear here once it connects.
              </p>
            ) : firstSightChecking ? (
              <p>{TOOLS_BEING_CHECKED_TEXT}</p>
            ) : (
              <p>
                None of your connectors has listed tools yet. Check their status on the{' '}
                <a href={routeHref('connectors')}>Connectors</a> page: a connector that needs sign-in or
                failed to start lists none.
              </p>
            )}
          </EmptyState>
        ) : groups.length === 0 ? (
          <EmptyState title="No tool matches">
            <p>Clear the search or choose another connector.</p>
          </EmptyState>
        ) : (
          groups.map(([connector, connectorTools]) => (
            <section key={connector} className="tool-group" aria-labelledby={`tools-${connector}`}>
              <h2 id={`tools-${connector}`}>{connector}</h2>
              <WriteApproval connector={connector} />
              <ToolsTable connector={connector} tools={connectorTools} />
            </section>
          ))
        )}
      </LoadGate>
    </div>
  );
}
