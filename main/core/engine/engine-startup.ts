// What an engine checks and clears before it serves: the data directory is its own (no other live
// engine holds it), and connector processes and sandbox bridges a killed Gatehouse left behind are
// ended first. Also makes the engine's connector sandbox.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { EngineEvent } from '../api/contract.js';
import type { AuditLog } from '../audit/audit-log.js';
import { ConnectorSandbox } from '../connectors/sandbox/connector-sandbox.js';
import { grantingCommandLine, proposalText } from '../connectors/sandbox/grant-proposals.js';
import type { GrantPlace } from '../connectors/sandbox/sandbox-grants.js';
import type { ConnectorStore } from '../store/connector-store.js';
import { TreeLedger } from '../connectors/processes/tree-ledger.js';
import { knownSearchDirs } from '../connectors/processes/stdio-launch.js';
import { reapLeftoverBridges } from '../connectors/sandbox/sandbox-leftovers.js';
import type { Clock, Effects, Logger, ProxyRoute } from '../effects.js';
import type { EngineOptions } from './engine-options.js';
import { readEngineRecord } from './engine-record.js';
import { GatehouseError } from '../errors.js';

/** The ledger of running stdio connector trees (connectors/processes/tree-ledger.ts). */
const CONNECTOR_PROCESSES_DIR = 'connector-processes';

/** Makes the data directory (0700) and refuses it when another live engine holds it. */
export function claimDataDir(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  // Two engines on one data directory would share a database and overwrite each other's record;
  // the port only catches that when both use the same one.
  const running = readEngineRecord(dataDir);
  if (running.state === 'alive' && running.record.pid !== process.pid) {
    throw new GatehouseError(
      'conflict',
      `Gatehouse is already running for ${dataDir} (pid ${running.record.pid}, port ${running.record.port}). Stop it first, or use another data directory.`,
    );
  }
}

/**
 * Ends the connector processes a killed Gatehouse left behind, before new ones start; resolves to
 * the ledger this run records its own in.
 */
export async function reapLeftoverConnectors(
  dataDir: string,
  logger: Logger,
  clock: Clock,
): Promise<TreeLedger> {
  const trees = new TreeLedger(join(dataDir, CONNECTOR_PROCESSES_DIR), clock);
  const reaped = (await trees.reap()).filter((outcome) => outcome.action === 'killed');
  if (reaped.length > 0) {
    logger.warn('ended connector processes left running by an earlier Gatehouse', {
      pids: reaped.map((outcome) => outcome.pid),
    });
  }
  const bridges = await reapLeftoverBridges(dataDir);
  if (bridges > 0)
    logger.warn('ended sandbox network bridges left running by an earlier Gatehouse', { bridges });
  return trees;
}

/**
 * The OS sandbox of this engine's local servers: what it refuses a server is audited once per target
 * and minute (with the count), and the Connectors page is told. Its servers' connections leave the way
 * the machine's proxy settings say (`route`), as the engine's own do.
 */
export function engineSandbox(
  options: EngineOptions,
  effects: Pick<Effects, 'logger' | 'random' | 'clock'>,
  port: number,
  audit: () => AuditLog,
  emit: (event: EngineEvent) => void,
  route: (url: URL) => Promise<ProxyRoute>,
): ConnectorSandbox {
  return new ConnectorSandbox({
    dataDir: options.dataDir,
    logger: effects.logger,
    random: effects.random,
    clock: effects.clock,
    gatehousePort: () => port,
    route,
    ...(options.sandbox?.place ? { place: options.sandbox.place } : {}),
    ...(options.sandbox?.check ? { check: options.sandbox.check } : {}),
    ...(options.sandbox?.bounds ? { bounds: options.sandbox.bounds } : {}),
    ...(options.sandbox?.boundsTiming ? { boundsTiming: options.sandbox.boundsTiming } : {}),
    onRefusal: ({ connector, refusal, since, sentence }) => {
      audit().record({
        type: refusal.kind === 'host' ? 'connector.host_blocked' : 'connector.sandbox_refused',
        connector,
        decision: 'deny',
        reason: sentence,
        detail: {
          kind: refusal.kind,
          target: refusal.target,
          tries: since,
          ...(refusal.grant ? { grant: refusal.grant } : {}),
        },
      });
      emit({ type: 'connectors.changed', name: connector });
    },
  });
}

/**
 * Connectors saved before grants were explicit had what their command line names granted implicitly;
 * that is written into their sandbox once (audited), so they keep working and from then on grant
 * nothing their settings do not list.
 */
export function explicitLegacyGrants(store: ConnectorStore, place: GrantPlace, audit: AuditLog): void {
  for (const record of store.withImplicitGrants()) {
    if (record.settings.kind !== 'stdio') continue;
    const { settings, granted } = grantingCommandLine(record.settings, place, {
      cwd: process.cwd(),
      pathDirs: knownSearchDirs(),
    });
    store.edit(record.name, settings);
    if (granted.length > 0) {
      audit.record({
        type: 'connector.sandbox_changed',
        connector: record.name,
        decision: 'info',
        reason: `${record.name}'s grants are now listed, as its command line named them before: ${granted.map(proposalText).join('; ')}`,
      });
    }
  }
}
