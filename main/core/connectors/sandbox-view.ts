// A local server's sandbox in words for the surfaces (Connectors page, `gatehouse connectors show`):
// on, off or unavailable here, the folders it may write to, the hosts it may reach and the ones it
// was refused. Computed without touching the disk beyond looking at which folders exist.
import path from 'node:path';
import type { ConnectorSandboxView } from '../api/contract.js';
import { sandboxOf, type StdioSettings } from '../api/connector-config.js';
import type { ConnectorSandbox } from './connector-sandbox.js';
import { workspaceFolders } from './sandbox-profile.js';

/** What `sandbox` lets the stdio connector `name` read, write and reach. */
export function sandboxView(
  name: string,
  settings: StdioSettings,
  sandbox: ConnectorSandbox,
): ConnectorSandboxView {
  const own = sandboxOf(settings);
  const { place } = sandbox;
  const check = sandbox.check();
  const hostList = own.allowedDomains !== null;
  const works = check.works && (!hostList || check.hostLists);
  return {
    state: !own.enabled ? 'off' : works ? 'on' : 'unavailable',
    workspace: workspaceFolders(settings, place, settings.cwd ?? process.cwd()),
    addedFolders: own.folders,
    ownFolders: [
      path.join(place.scratchRoot, name),
      `${place.tempRoot}/${name}-…`,
      'package caches (~/.npm, ~/.cache/uv, ~/.cache/pip…)',
    ],
    allowedDomains: own.allowedDomains,
    blockedHosts: sandbox.blockedHosts(name),
    problem: own.enabled && !works ? [check.problem, check.fix].filter(Boolean).join(' ') : null,
  };
}
