// The other half of the contract: what the engine pushes to trusted surfaces unasked (SSE on
// /api/events, IPC in the desktop app), so a window refetches only what changed.
import type { AuditEventView } from './audit-contract.js';

/** Events pushed from the engine to trusted surfaces (SSE over HTTP, IPC in the desktop app). */
export type EngineEvent =
  | { type: 'clients.changed' }
  | { type: 'client.used'; clientId: string; at: number }
  | { type: 'sessions.changed' }
  | { type: 'connectors.changed'; name: string }
  | { type: 'tools.changed'; connector: string }
  | { type: 'approvals.changed' }
  | { type: 'consents.changed' }
  | { type: 'registrations.changed' }
  | { type: 'settings.changed' }
  | { type: 'audit.appended'; event: AuditEventView };
