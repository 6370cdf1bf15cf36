// The Activity page's filters: client, connector, tool, decision and time range. Each change
// fetches again with the engine doing the filtering (audit.list).
import { useClients, useConnectors, useTools } from '../../app/stores-context.js';
import { fromLocalInput, toLocalInput } from '../../format/date-input.js';
import type { ActivityFilter, Decision, TimeRange } from '../../stores/activity-store.js';

const RANGE_LABEL: Record<TimeRange, string> = {
  '1h': 'Last hour',
  '24h': 'Last 24 hours',
  '7d': 'Last 7 days',
  '30d': 'Last 30 days',
  all: 'All time',
  custom: 'Custom range',
};

export function ActivityFilters({
  filter,
  onChange,
}: {
  filter: ActivityFilter;
  onChange: (filter: ActivityFilter) => void;
}) {
  const clients = useClients((state) => state.clients);
  const connectors = useConnectors((state) => state.connectors);
  const tools = useTools((state) => state.tools);
  const toolNames = [
    ...new Set(
      tools
        .filter((tool) => !filter.connector || tool.connector === filter.connector)
        .map((tool) => tool.name),
    ),
  ].sort();
  const update = (patch: Partial<ActivityFilter>) => {
    const next: ActivityFilter = { ...filter, ...patch };
    for (const key of Object.keys(next) as Array<keyof ActivityFilter>) {
      if (next[key] === undefined || next[key] === '') delete next[key];
    }
    onChange(next);
  };
  return (
    <form
      className="filters"
      role="search"
      aria-label="Filter activity"
      onSubmit={(event) => event.preventDefault()}
    >
      <label>
        Client
        <select
          value={filter.clientId ?? ''}
          onChange={(event) => update({ clientId: event.target.value || undefined })}
        >
          <option value="">Any client</option>
          {clients.map((client) => (
            <option key={client.clientId} value={client.clientId}>
              {client.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Connector
        <select
          value={filter.connector ?? ''}
          onChange={(event) => update({ connector: event.target.value || undefined })}
        >
          <option value="">Any connector</option>
          {connectors.map((connector) => (
            <option key={connector.name} value={connector.name}>
              {connector.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Tool
        <input
          list="activity-tool-names"
          value={filter.tool ?? ''}
          placeholder="Any tool"
          onChange={(event) => update({ tool: event.target.value.trim() || undefined })}
          spellCheck={false}
        />
        <datalist id="activity-tool-names">
          {toolNames.map((name) => (
            <option key={name} value={name} />
          ))}
        </datalist>
      </label>
      <label>
        Decision
        <select
          value={filter.decision ?? ''}
          onChange={(event) =>
            update({ decision: (event.target.value || undefined) as Decision | undefined })
          }
        >
          <option value="">Any decision</option>
          <option value="allow">Allowed</option>
          <option value="deny">Denied</option>
          <option value="info">Info</option>
        </select>
      </label>
      <label>
        Time
        <select value={filter.range} onChange={(event) => update({ range: event.target.value as TimeRange })}>
          {(Object.keys(RANGE_LABEL) as TimeRange[]).map((range) => (
            <option key={range} value={range}>
              {RANGE_LABEL[range]}
            </option>
          ))}
        </select>
      </label>
      {filter.range === 'custom' ? (
        <>
          <label>
            From
            <input
              type="datetime-local"
              value={filter.since !== undefined ? toLocalInput(filter.since) : ''}
              onChange={(event) => update({ since: fromLocalInput(event.target.value) })}
            />
          </label>
          <label>
            To
            <input
              type="datetime-local"
              value={filter.until !== undefined ? toLocalInput(filter.until) : ''}
              onChange={(event) => update({ until: fromLocalInput(event.target.value) })}
            />
          </label>
        </>
      ) : null}
    </form>
  );
}
