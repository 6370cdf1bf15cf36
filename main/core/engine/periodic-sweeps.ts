// The engine's periodic work, each on its own timer: clients' last-used times written out, expired
// artifacts and idle MCP sessions swept, the activity log cut to its retention. A failing sweep is
// logged and tried again next time; the timers never keep the process alive.
import type { AuditLog } from '../audit/audit-log.js';
import type { Logger } from '../effects.js';
import type { McpEndpoint } from '../mcp/mcp-endpoint.js';
import type { ClientStore } from '../store/client-store.js';
import type { OidcStore } from '../store/oidc-store.js';
import type { Settings } from '../store/settings-store.js';

/** Last-used times are kept in memory between these writes (a token check must not write). */
const LAST_USED_FLUSH_MS = 30_000;
/** Expired tokens, codes and sessions, and MCP sessions idle too long. */
const EXPIRY_SWEEP_MS = 60_000;
/** The activity log's retention is applied this often. */
const AUDIT_RETENTION_MS = 6 * 3_600_000;

/** What the sweeps touch. */
export interface SweepContext {
  clients: Pick<ClientStore, 'flushLastUsed'>;
  oidcStore: Pick<OidcStore, 'sweep'>;
  mcp: Pick<McpEndpoint, 'closeIdleSessions'>;
  audit: Pick<AuditLog, 'prune'>;
  settings: Pick<Settings, 'get'>;
  logger: Logger;
}

/** Starts every periodic sweep; returns the function that stops them. */
export function startSweeps(context: SweepContext): () => void {
  const timers: NodeJS.Timeout[] = [];
  const every = (ms: number, work: () => unknown): void => {
    const timer = setInterval(() => {
      try {
        void work();
      } catch (error) {
        context.logger.warn('periodic task failed', { error: (error as Error).message });
      }
    }, ms);
    timer.unref();
    timers.push(timer);
  };
  every(LAST_USED_FLUSH_MS, () => context.clients.flushLastUsed());
  every(EXPIRY_SWEEP_MS, () => {
    context.oidcStore.sweep();
    return context.mcp.closeIdleSessions();
  });
  every(AUDIT_RETENTION_MS, () => context.audit.prune(context.settings.get().auditRetentionDays));
  return () => {
    for (const timer of timers) clearInterval(timer);
  };
}
