// The one API contract between Gatehouse's engine and its trusted surfaces (CLI, desktop window,
// browser UI). Each domain declares its operations as zod schemas in its own file; this table puts
// them together, and the HTTP API, the IPC bridge and every client derive their types and
// validation from it. Imports nothing from Node, so the renderer uses it too.
import type { z } from 'zod';
import { auditContract } from './audit-contract.js';
import { catalogContract } from './catalog-contract.js';
import { clientSetupContract } from './client-setup-contract.js';
import { clientsContract } from './clients-contract.js';
import { connectorsContract } from './connectors-contract.js';
import { settingsContract } from './settings-contract.js';
import { toolsContract } from './tools-contract.js';

export type {
  AccessLevel,
  ClientView,
  ConnectorSelection,
  GrantView,
  PendingConsentView,
  PendingRegistrationView,
  RegistrationKind,
} from './clients-contract.js';
export type { AuditEventView } from './audit-contract.js';
export type { ConnectorView } from './connectors-contract.js';
export type { ConnectorSandboxView } from './connectors-contract.js';
export type { EngineEvent } from './events-contract.js';
export {
  settingsPatch,
  type AccessCeiling,
  type RegistrationPolicy,
  type SettingsPatch,
  type SettingsView,
  type StatusView,
} from './settings-contract.js';
export {
  findingsKey,
  type HeldItemView,
  type PendingApprovalView,
  type RuleProblemView,
  type ToolView,
} from './tools-contract.js';

/** Every operation a trusted surface can perform: name → input and output schemas. */
export const operations = {
  ...settingsContract,
  ...clientsContract,
  ...connectorsContract,
  ...toolsContract,
  ...auditContract,
  ...clientSetupContract,
  ...catalogContract,
} as const;

/** The name of an operation, as `POST /api/rpc/<op>` and the IPC channel carry it. */
export type OperationName = keyof typeof operations;
/** What a caller may send an operation (zod defaults not yet applied, so defaulted fields are optional). */
export type OperationInput<N extends OperationName> = z.input<(typeof operations)[N]['input']>;
/** An operation's input after its schema parsed it (defaults applied): what its handler receives. */
export type ParsedInput<N extends OperationName> = z.output<(typeof operations)[N]['input']>;
/** What an operation answers. */
export type OperationOutput<N extends OperationName> = z.output<(typeof operations)[N]['output']>;

/** Errors a trusted surface sees: a stable code and a sentence for the user. */
export interface ApiErrorBody {
  code: string;
  message: string;
}
