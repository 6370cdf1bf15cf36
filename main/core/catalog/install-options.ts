// The ways one server.json can become a connector: each package (npm, PyPI, OCI, or a kind Gatehouse
// cannot run) and each remote, in the server.json's order, with a stable id the CLI and the window
// name it by — the kind (`npm`, `remote`), numbered from the second of a kind on (`remote-2`). Each
// carries a digest of what the registry sent for it, so an add can prove it runs what was reviewed,
// and its registry text made visible (visible-text.ts) before any surface shows it.
import { createHash } from 'node:crypto';
import type { CatalogInputView, CatalogOptionKind, CatalogOptionView } from '../api/catalog-contract.js';
import type { ConnectorSettings } from '../api/connector-config.js';
import type { InputValues } from './catalog-inputs.js';
import { packagePlan } from './package-command.js';
import { visibleText, visibleValue } from '../visible-text.js';
import { remotePlan } from './remote-connection.js';
import type { ServerDetail } from './server-json.js';

/** One way to add the server: its view, and its connector settings once the answers are checked. */
export interface InstallOption {
  view: CatalogOptionView;
  /** What the entry fixes of a package's command line and environment (a remote fixes none). */
  fixed: { args: string[]; env: Record<string, string> };
  settings(values: InputValues, auth: 'none' | 'oauth'): ConnectorSettings;
}

/** JSON with object keys sorted, so the same document always gives the same digest. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonical(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** SHA-256 of the server's name and version and the package or remote exactly as the registry sent it. */
function digestOf(server: ServerDetail, source: unknown): string {
  return createHash('sha256')
    .update(canonical({ name: server.name, version: server.version, source }))
    .digest('hex');
}

/** An input's registry text made visible; values that are checked against answers are kept as sent. */
function visibleInput(input: CatalogInputView): CatalogInputView {
  return {
    ...input,
    name: visibleValue(input.name),
    description: input.description === null ? null : visibleText(input.description),
    placeholder: input.placeholder === null ? null : visibleText(input.placeholder),
  };
}

/** The view as a surface may show it: every word from the registry with its hidden characters visible. */
function visibleView(view: CatalogOptionView): CatalogOptionView {
  return {
    ...view,
    label: visibleValue(view.label),
    preview: visibleValue(view.preview),
    source: visibleValue(view.source),
    environment: view.environment.map((entry) => ({
      ...entry,
      name: visibleValue(entry.name),
      value: entry.value === null ? null : visibleValue(entry.value),
    })),
    risks: view.risks.map((risk) => ({
      setting: visibleValue(risk.setting),
      explanation: visibleValue(risk.explanation),
    })),
    grants: view.grants.map((grant) => ({ ...grant, target: visibleValue(grant.target) })),
    problem: view.problem === null ? null : visibleValue(view.problem),
    inputs: view.inputs.map(visibleInput),
  };
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
      view: visibleView({
        id: idFor(kind === 'other' ? pkg.registryType.toLowerCase().replace(/[^a-z0-9]+/g, '-') : kind),
        kind,
        label: plan.label,
        runtime: plan.runtime,
        problem: plan.problem,
        preview: plan.preview,
        source: plan.source,
        environment: plan.environment,
        risks: plan.risks,
        // Filled in by the catalog, which knows where this machine's home folder is.
        grants: [],
        reviewed: digestOf(server, pkg),
        inputs: plan.inputs,
      }),
      fixed: plan.fixed,
      settings: (values) => plan.settings(values),
    };
  });
  const remotes = (server.remotes ?? []).map((remote): InstallOption => {
    const plan = remotePlan(remote);
    return {
      view: visibleView({
        id: idFor('remote'),
        kind: 'remote',
        label: plan.label,
        runtime: null,
        problem: plan.problem,
        preview: plan.preview,
        source: `Remote server at ${remote.url}`,
        environment: [],
        risks: plan.risks,
        grants: [],
        reviewed: digestOf(server, remote),
        inputs: plan.inputs,
      }),
      fixed: { args: [], env: {} },
      settings: (values, auth) => plan.settings(values, auth),
    };
  });
  return [...packages, ...remotes];
}
