// A local server's sandbox in words for the surfaces (Connectors page, `gatehouse connectors show`):
// on, off or unavailable here; what it may write, read and reach, as granted; its secret values,
// masked or delivered plainly and why; and what the sandbox refused it, with counts. Computed without
// touching the disk beyond what the last start found.
import path from 'node:path';
import type { ConnectorSandboxView } from '../../api/contract.js';
import { sandboxOf, type StdioSettings } from '../../api/connector-config.js';
import type { ConnectorSandbox } from './connector-sandbox.js';
import { expandGrant } from './sandbox-grants.js';
import { scratchOf } from './sandbox-profile.js';

/** What `sandbox` lets the stdio connector `name` read, write and reach, and what it refused it. */
export function sandboxView(
  name: string,
  settings: StdioSettings,
  sandbox: ConnectorSandbox,
): ConnectorSandboxView {
  const own = sandboxOf(settings);
  const { place } = sandbox;
  const check = sandbox.check();
  const { refusals, others } = sandbox.refusals.of(name);
  return {
    state: !own.enabled ? 'off' : check.works ? 'on' : 'unavailable',
    workspace: own.folders.map((folder) => expandGrant(folder, place.home)),
    addedFolders: own.folders,
    readFolders: own.readFolders,
    runtime: sandbox.lastRuntime(name),
    ownFolders: [
      `${scratchOf(name, place)} (scratch, with its own package caches)`,
      `${path.join(place.tempRoot, `${name}-…`)} (temp, new at each start)`,
    ],
    allowedDomains: own.allowedDomains,
    localServices: own.localServices,
    secrets: sandbox.secretDelivery(settings),
    refusals: refusals.map(({ kind, target, reason, grant, allow, count }) => ({
      kind,
      target,
      reason,
      grant,
      allow,
      count,
    })),
    refusedOthers: others,
    blockedHosts: refusals
      .filter((refusal) => refusal.kind === 'host')
      .map((refusal) => {
        const at = refusal.target.lastIndexOf(':');
        return {
          host: refusal.target.slice(0, at),
          port: Number(refusal.target.slice(at + 1)),
          count: refusal.count,
        };
      }),
    problem: own.enabled && !check.works ? [check.problem, check.fix].filter(Boolean).join(' ') : null,
  };
}
