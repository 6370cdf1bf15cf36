// The ways one server.json can become a connector: each package (npm, PyPI, OCI, or a kind Gatehouse
// cannot run) and each remote, in the server.json's order, with a stable id the CLI and the window
// name it by — the kind (`npm`, `remote`), numbered from the second of a kind on (`remote-2`).
import type { CatalogOptionKind, CatalogOptionView } from '../api/catalog-contract.js';
import type { ConnectorSettings } from '../connectors/connector-config.js';
import type { InputValues } from './catalog-inputs.js';
import { packagePlan } from './package-command.js';
import { remotePlan } from './remote-connection.js';
import type { ServerDetail } from './server-json.js';

/** One way to add the server: its view, and its connector settings once the answers are checked. */
export interface InstallOption {
  view: CatalogOptionView;
  settings(values: InputValues, auth: 'none' | 'oauth'): ConnectorSettings;
}

/** Every option of a server, packages first, then remotes. Runtime availability is checked later. */
export function installOptions(server: ServerDetail): InstallOption[] {
  const seen = new Map<string, number>();
  const idFor = (kind: string): string => {
    const count = (seen.get(kind) ?? 0) + 1;
    seen.set(kind, count);
    return count === 1 ? kind : `${kind}-${count}`;
  };
  const packages = (server.packages ?? []).map((pkg): InstallOption => {
    const plan = packagePlan(pkg);
    const kind: CatalogOptionKind = plan.kind;
    return {
      view: {
        id: idFor(kind === 'other' ? pkg.registryType.toLowerCase().replace(/[^a-z0-9]+/g, '-') : kind),
        kind,
        label: plan.label,
        runtime: plan.runtime,
        problem: plan.problem,
        preview: plan.preview,
        inputs: plan.inputs,
      },
      settings: (values) => plan.settings(values),
    };
  });
  const remotes = (server.remotes ?? []).map((remote): InstallOption => {
    const plan = remotePlan(remote);
    return {
      view: {
        id: idFor('remote'),
        kind: 'remote',
        label: plan.label,
        runtime: null,
        problem: plan.problem,
        preview: plan.preview,
        inputs: plan.inputs,
      },
      settings: (values, auth) => plan.settings(values, auth),
    };
  });
  return [...packages, ...remotes];
}
