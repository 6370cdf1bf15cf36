// What the fake engine holds: one list per kind of record, as the engine's views, starting empty (the
// four setup clients detected, nothing connected); and the shape of one domain's operations over it.
import { setupClient, type SetupClientName } from '@core/api/client-setup-contract.js';
import type { EngineEvent, OperationOutput } from '@core/api/contract.js';
import type { OperationHandlers } from '@core/operations/engine-api.js';
import { makeSetupClient } from './fake-views.js';

/** Each record list as the operation that lists it answers (the types come from the contract). */
export interface FakeState {
  settings: OperationOutput<'settings.get'>;
  clients: OperationOutput<'clients.list'>;
  consents: OperationOutput<'consents.list'>;
  registrations: OperationOutput<'registrations.list'>;
  approvals: OperationOutput<'approvals.list'>;
  connectors: OperationOutput<'connectors.list'>;
  tools: OperationOutput<'tools.list'>;
  /** Prompts, resources and templates held on first sight. */
  heldItems: OperationOutput<'tools.heldItems'>;
  audit: OperationOutput<'audit.list'>;
  rules: OperationOutput<'rules.list'>;
  /** connectors.logs' lines, by connector name. */
  logs: Record<string, OperationOutput<'connectors.logs'>['lines']>;
  /** What setup.clients reports; setup.connect / setup.disconnect change the user files' entries. */
  setupClients: OperationOutput<'setup.clients'>;
  /** What setup.importable finds in each client's files. */
  importable: Partial<Record<SetupClientName, Omit<OperationOutput<'setup.importable'>, 'client'>>>;
  /** What status.get says seals the stored secrets. */
  secretProtection: OperationOutput<'status.get'>['secretProtection'];
}

/** One domain's operations over the fake's state; `emit` announces a change as the engine would. */
export type FakeOperations = (s: FakeState, emit: (event: EngineEvent) => void) => Partial<OperationHandlers>;

export function initialState(): FakeState {
  return {
    settings: {
      port: 4640,
      accessCeiling: 'write',
      registrationPolicy: 'open',
      paused: false,
      accessTokenTtlSeconds: 3600,
      refreshTokenTtlDays: 30,
      auditRetentionDays: 90,
      startAtLogin: false,
      rateLimitPerMinute: 120,
      rateLimitPerDay: 10_000,
      registryUrl: 'https://registry.modelcontextprotocol.io',
    },
    clients: [],
    consents: [],
    registrations: [],
    approvals: [],
    connectors: [],
    tools: [],
    heldItems: [],
    audit: [],
    rules: [],
    logs: {},
    setupClients: setupClient.options.map((client) => makeSetupClient(client)),
    importable: {},
    secretProtection: 'os-keychain',
  };
}
