// Connect a client in one click: detect Claude Desktop, Claude Code, VS Code and Cursor; write (and
// undo) the one entry that points each at Gatehouse; list and import the MCP servers they already
// have. `ClientSetup` holds the host's layout, the config writer and the undo journal, and hands each
// job the part it uses: client-status.ts, client-connect.ts, client-import.ts.
import type { GrantProposalView } from '../api/connectors-contract.js';
import type { ConnectorSettings } from '../api/connector-config.js';
import type { HostLayout, SetupClient, SetupScope } from './client-locations.js';
import type { GatehouseTarget } from './client-formats.js';
import {
  connectClient,
  disconnectClient,
  type ConnectResult,
  type DisconnectResult,
} from './client-connect.js';
import {
  importableServers,
  importServers,
  type ConnectorAdder,
  type ExistingConnector,
  type ImportableResult,
  type ImportResult,
} from './client-import.js';
import { detectClient, type ClientStatusView, type RegisteredClient } from './client-status.js';
import type { ConfigWriter } from './config-writer.js';
import type { SetupJournal } from './setup-journal.js';

/** What "Connect a client" works on: the machine's layout, the writer for client files, the journal. */
export interface ClientSetupDeps {
  layout: HostLayout;
  writer: ConfigWriter;
  journal: SetupJournal;
}

/**
 * "Connect a client" for one machine: detection, connect / disconnect (undo) and import. Every write
 * goes through the config writer (atomic, backed up) and the undo journal, and touches only the
 * entries it names.
 */
export class ClientSetup {
  readonly #deps: ClientSetupDeps;

  constructor(deps: ClientSetupDeps) {
    this.#deps = deps;
  }

  /** The app's state (installed, configured, connected), its files and its paste-by-hand entry. */
  detect(
    client: SetupClient,
    target: GatehouseTarget,
    registered: readonly RegisteredClient[],
    projectDir?: string,
  ): Promise<ClientStatusView> {
    const context = { layout: this.#deps.layout, fs: this.#deps.writer.fs, journal: this.#deps.journal };
    return detectClient(context, client, target, registered, projectDir);
  }

  /** Writes the Gatehouse entry into the client's file for `scope` (nothing when it is already there). */
  connect(
    client: SetupClient,
    scope: SetupScope,
    target: GatehouseTarget,
    projectDir?: string,
  ): Promise<ConnectResult> {
    return connectClient(this.#deps, client, scope, target, projectDir);
  }

  /** Undoes what Gatehouse wrote in the client's file for `scope` (see `disconnectClient`). */
  disconnect(
    client: SetupClient,
    scope: SetupScope,
    target: GatehouseTarget,
    projectDir?: string,
  ): Promise<DisconnectResult> {
    return disconnectClient(this.#deps, client, scope, target, projectDir);
  }

  /** Every server in the client's files (user, and the project's when given), with what blocks any. */
  importable(
    client: SetupClient,
    target: GatehouseTarget,
    projectDir?: string,
    existing: readonly ExistingConnector[] = [],
    proposeGrants?: (settings: ConnectorSettings) => GrantProposalView[],
  ): Promise<ImportableResult> {
    return importableServers(this.#deps, client, target, projectDir, existing, proposeGrants);
  }

  /** Imports the chosen servers as connectors, optionally replacing them with the Gatehouse entry. */
  import(
    client: SetupClient,
    target: GatehouseTarget,
    selection: readonly string[],
    options: {
      replace: boolean;
      projectDir?: string;
      takenNames: readonly string[];
      add: ConnectorAdder;
      existing?: readonly ExistingConnector[];
    },
  ): Promise<ImportResult> {
    return importServers(this.#deps, client, target, selection, options);
  }
}
