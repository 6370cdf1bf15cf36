// Overview: what needs the user now, what is connected, and — for a new user — how to start.
import { useEffect, type ReactNode } from 'react';
import type { SetupClientName } from '@core/api/client-setup-contract.js';
import { routeHref, type View } from '../../app/route.js';
import {
  useClients,
  useClientSetup,
  useConnectors,
  useSettings,
  useStores,
} from '../../app/stores-context.js';
import { CopyButton } from '../../components/copy-button.js';
import { WrappingName } from '../../components/wrapping-name.js';
import { count } from '@core/text.js';

function SummaryCard({ view, title, children }: { view: View; title: string; children: ReactNode }) {
  return (
    <a className="card summary-card" href={routeHref(view)}>
      <span className="card-title">
        <WrappingName name={title} />
      </span>
      <span className="card-body">{children}</span>
    </a>
  );
}

/**
 * The entry for one client, exactly as "Connect a client" and `gatehouse connect CLIENT --print` give
 * it (the engine makes it: the bridge command of this install, the marker header), or where it stands.
 */
function Snippet({
  text,
  loading,
  error,
}: {
  text: string | undefined;
  loading: boolean;
  error: string | null;
}) {
  if (text !== undefined) {
    return (
      <div className="snippet">
        <pre>{text}</pre>
        <CopyButton text={text} />
      </div>
    );
  }
  return <p className="muted">{loading ? 'Loading…' : (error ?? 'Open Connect a client for this entry.')}</p>;
}

function ConnectAClient({ mcpUrl }: { mcpUrl: string }) {
  const { clientSetup } = useStores();
  const recipes = useClientSetup((state) => state.recipes);
  const loadError = useClientSetup((state) => state.recipesError);
  // The recipes are the engine's, so each is given once and works from this install (Claude Desktop's
  // runs this install's bridge); no client's file is read for them.
  useEffect(() => {
    if (clientSetup.getState().recipes === null) void clientSetup.getState().loadRecipes();
  }, [clientSetup]);
  const of = (client: SetupClientName) => recipes?.find((recipe) => recipe.client === client);
  const loading = recipes === null && loadError === null;
  // --scope user: every folder Claude Code runs in, as the Connect page sets it up (without it, only
  // the folder the command ran in).
  const claudeCode = of('claude-code')?.commands?.user;
  return (
    <section className="panel" aria-labelledby="connect-a-client">
      <h2 id="connect-a-client">Connect a client</h2>
      <p>
        <a href={routeHref('client-setup')}>
          Set up Claude Desktop, Claude Code, VS Code or Cursor in one click
        </a>{' '}
        — Gatehouse writes the entry into the client&apos;s settings for you, and can import the servers it
        already has.
      </p>
      <p>
        Or by hand: point any MCP client at <code>{mcpUrl}</code>. It registers, opens your browser, and asks
        for access here: you choose which connectors it gets, read-only or read &amp; write.
      </p>
      <h3>Claude Code</h3>
      <Snippet text={claudeCode} loading={loading} error={loadError} />
      <h3>VS Code (mcp.json)</h3>
      <p>Cursor and other clients: the same URL and header in their MCP settings.</p>
      <Snippet text={of('vscode')?.snippet} loading={loading} error={loadError} />
      <h3>Claude Desktop</h3>
      <p>
        Claude Desktop runs local servers, so it reaches Gatehouse through <code>gatehouse bridge</code>:{' '}
        <a href={routeHref('client-setup')}>Connect a client</a> writes it into Claude Desktop&apos;s config
        for you, or add it by hand:
      </p>
      <Snippet text={of('claude-desktop')?.snippet} loading={loading} error={loadError} />
    </section>
  );
}

/** What was held on first sight, in words: "2 tools and 1 prompt or resource". */
function heldOnFirstSightWords(tools: number, items: number): string {
  const parts = [
    tools > 0 ? count(tools, 'tool') : '',
    items > 0 ? count(items, 'prompt, resource or instructions', 'prompts, resources or instructions') : '',
  ].filter(Boolean);
  return `${parts.join(' and ')} ${tools + items === 1 ? 'has a definition that' : 'have definitions that'}`;
}

export function OverviewView() {
  const status = useSettings((state) => state.status);
  const clients = useClients((state) => state.clients);
  const connectors = useConnectors((state) => state.connectors);
  if (!status) return null;
  // A tool held (on first sight, or changed upstream) waits for review on the Tools page, as much as a
  // request does; so does a prompt, resource or template held on first sight.
  const held = connectors.reduce((sum, connector) => sum + connector.heldTools, 0);
  const firstSight = connectors.reduce((sum, connector) => sum + connector.heldOnFirstSight, 0);
  const items = connectors.reduce((sum, connector) => sum + connector.heldItems, 0);
  const changed = held - firstSight;
  const waiting =
    status.pendingConsents + status.pendingApprovals + status.pendingRegistrations + held + items;
  const newUser = connectors.length === 0 || clients.length === 0;
  return (
    <div className="page">
      <h1>Overview</h1>
      {waiting === 0 && !newUser ? (
        <p className="muted">
          Nothing is waiting for you. Requests and approvals appear here as they arrive.
        </p>
      ) : null}
      {firstSight + items > 0 ? (
        <p>
          <a href={routeHref('tools')}>
            <strong>
              {firstSight + items === 1 ? '1 item was' : `${firstSight + items} items were`} held on first
              sight
            </strong>
          </a>{' '}
          — {heldOnFirstSightWords(firstSight, items)} asked the AI for something beyond the tool; clients do
          not see {firstSight + items === 1 ? 'it' : 'them'} until you review{' '}
          {firstSight + items === 1 ? 'it' : 'them'} on the Tools page.
        </p>
      ) : null}
      {changed > 0 ? (
        <p>
          <a href={routeHref('tools')}>
            <strong>
              {changed === 1 ? '1 tool changed upstream and is' : `${changed} tools changed upstream and are`}{' '}
              held for your review
            </strong>
          </a>{' '}
          — clients do not see {changed === 1 ? 'it' : 'them'} until you accept the change on the Tools page.
        </p>
      ) : null}
      <div className="card-grid">
        <SummaryCard view="consents" title="Consent requests">
          {status.pendingConsents > 0 ? (
            <strong>{count(status.pendingConsents, 'waiting', 'waiting')}</strong>
          ) : (
            'None waiting'
          )}
        </SummaryCard>
        <SummaryCard view="approvals" title="Approvals">
          {status.pendingApprovals > 0 ? (
            <strong>{count(status.pendingApprovals, 'tool call', 'tool calls')} waiting</strong>
          ) : (
            'None waiting'
          )}
        </SummaryCard>
        <SummaryCard view="registrations" title="Registrations">
          {status.pendingRegistrations > 0 ? (
            <strong>{count(status.pendingRegistrations, 'client', 'clients')} waiting</strong>
          ) : status.registrationPolicy === 'ask' ? (
            'None waiting'
          ) : (
            `Policy: ${status.registrationPolicy}`
          )}
        </SummaryCard>
        <SummaryCard view="clients" title="Clients">
          {count(status.clients, 'client')} · {count(status.openSessions, 'open session')}
        </SummaryCard>
        <SummaryCard view="connectors" title="Connectors">
          {count(status.connectors, 'connector')}
          {status.connectorsNeedingAction > 0 ? (
            <strong> · {status.connectorsNeedingAction} need attention</strong>
          ) : null}
        </SummaryCard>
      </div>
      {newUser ? (
        <section className="panel" aria-labelledby="get-started">
          <h2 id="get-started">Get started</h2>
          <ol className="steps">
            <li className={connectors.length > 0 ? 'done' : undefined}>
              <a href={routeHref('connectors', 'new')}>Add a connector</a> — an MCP server Gatehouse runs or
              reaches for your clients (a local <code>npx …</code> command or a remote URL).
            </li>
            <li className={clients.length > 0 ? 'done' : undefined}>
              <a href={routeHref('client-setup')}>Connect an AI client</a> to the MCP URL, then approve its
              request here.
            </li>
            <li>Decide per tool which ones are on and which ask you first, on the Tools page.</li>
          </ol>
        </section>
      ) : null}
      <ConnectAClient mcpUrl={status.mcpUrl} />
    </div>
  );
}
