// The catalog's operations for the fake engine: the registry fixtures (test/fixtures/registry, the
// same server.json documents the engine's tests serve over HTTP) turned into views by the engine's own
// code (catalog-views.ts, install-options.ts, answer-check.ts), so the window sees what the engine
// would send. A test can take the registry offline, or make a runtime missing.
import type { CatalogServerDetail } from '@core/api/catalog-contract.js';
import type { OperationOutput, ParsedInput } from '@core/api/contract.js';
import { connectorsRunning } from '@core/catalog/already-added.js';
import { checkAnswers } from '@core/catalog/answer-check.js';
import { serverSummary, versionView } from '@core/catalog/catalog-views.js';
import { suggestConnectorName } from '@core/catalog/connector-name.js';
import { installOptions } from '@core/catalog/install-options.js';
import { chooseOption } from '@core/catalog/option-choice.js';
import { officialMetaOf, serverResponse, type ServerResponse } from '@core/catalog/server-json.js';
import { GatehouseError } from '@core/errors.js';
import type { FakeGatehouse } from './fake-gatehouse.js';
import { makeConnector } from './fake-views.js';

const documents = import.meta.glob<ServerResponse>('../../fixtures/registry/*.json', {
  eager: true,
  import: 'default',
});

/** Every fixture entry, parsed as the engine parses them. */
export const registryEntries: ServerResponse[] = Object.values(documents).map((document) =>
  serverResponse.parse(document),
);

export interface FakeCatalog {
  /** Every call answers as an unreachable registry while set. */
  offline: boolean;
  /** Runtimes this machine lacks, e.g. `uvx`. */
  missingRuntimes: Set<string>;
  registryUrl: string;
  /** Entries served besides the fixtures (e.g. to fill pages). */
  entries: ServerResponse[];
}

const isLatest = (entry: ServerResponse) => officialMetaOf(entry).isLatest === true;

/** Installs catalog.search / show / add on the fake, backed by the registry fixtures. */
export function installFakeCatalog(fake: FakeGatehouse): FakeCatalog {
  const catalog: FakeCatalog = {
    offline: false,
    missingRuntimes: new Set(),
    registryUrl: 'https://registry.modelcontextprotocol.io',
    entries: [...registryEntries],
  };
  const reachable = () => {
    if (catalog.offline) {
      throw new GatehouseError(
        'registry_unavailable',
        `Cannot reach the registry at ${catalog.registryUrl} (its name could not be looked up). You may be offline; check your connection, or the registry URL in Settings.`,
      );
    }
  };
  const find = (name: string, version?: string) => {
    const versions = catalog.entries.filter((entry) => entry.server.name === name);
    const entry = versions.find((candidate) =>
      version === undefined ? isLatest(candidate) : candidate.server.version === version,
    );
    if (!entry) throw new GatehouseError('not_found', `The registry has no ${name}.`);
    return { entry, versions };
  };
  const summary = (entry: ServerResponse) => ({
    ...serverSummary(entry),
    addedAs: connectorsRunning(entry.server, fake.state.connectors),
  });
  const detail = (name: string, version?: string): CatalogServerDetail => {
    const { entry, versions } = find(name, version);
    return {
      ...summary(entry),
      registryUrl: catalog.registryUrl,
      isLatest: isLatest(entry),
      versions: versions.map(versionView),
      options: installOptions(entry.server).map(({ view }) =>
        view.problem === null && view.runtime !== null && catalog.missingRuntimes.has(view.runtime)
          ? { ...view, problem: `${view.runtime} is not installed on this machine.` }
          : view,
      ),
      suggestedConnectorName: suggestConnectorName(
        name,
        new Set(fake.state.connectors.map((one) => one.name)),
      ),
    };
  };

  fake.overrides['catalog.search'] = ({ query, cursor, limit }: ParsedInput<'catalog.search'>) => {
    reachable();
    const matching = catalog.entries
      .filter((entry) => isLatest(entry) && serverSummary(entry).status !== 'deleted')
      .filter((entry) => entry.server.name.toLowerCase().includes(query.toLowerCase()))
      .sort((a, b) => a.server.name.localeCompare(b.server.name));
    const start = cursor === undefined ? 0 : Number(cursor);
    const page = matching.slice(start, start + limit);
    const result: OperationOutput<'catalog.search'> = {
      registryUrl: catalog.registryUrl,
      servers: page.map(summary),
      nextCursor: start + limit < matching.length ? String(start + limit) : null,
      skipped: 0,
    };
    return result;
  };
  fake.overrides['catalog.show'] = ({ name, version }: ParsedInput<'catalog.show'>) => {
    reachable();
    return detail(name, version);
  };
  fake.overrides['catalog.add'] = (input: ParsedInput<'catalog.add'>) => {
    reachable();
    const server = detail(input.name, input.version);
    const about = `${server.name} ${server.version}`;
    if (server.status === 'deleted') {
      throw new GatehouseError(
        'bad_request',
        `${about} was deleted from the registry; Gatehouse will not add it.`,
      );
    }
    if (server.addedAs.length > 0 && !input.again) {
      throw new GatehouseError(
        'conflict',
        `${server.name} is already added as ${server.addedAs.join(', ')}.`,
      );
    }
    const option = chooseOption(about, server.options, input.option);
    if (option.reviewed !== input.reviewed) {
      throw new GatehouseError(
        'conflict',
        `The registry now serves ${about} differently from what you reviewed.`,
      );
    }
    if (option.risks.length > 0 && !input.acceptRisks) {
      throw new GatehouseError('bad_request', `${about} changes how its runtime behaves.`);
    }
    const { problems } = checkAnswers(option.inputs, input.answers);
    if (problems.length > 0) {
      throw new GatehouseError(
        'bad_request',
        `Cannot add ${about}: ${problems.map((p) => p.message).join('; ')}.`,
      );
    }
    const name = input.connector ?? server.suggestedConnectorName;
    if (fake.state.connectors.some((one) => one.name === name)) {
      throw new GatehouseError(
        'conflict',
        `A connector named ${name} already exists; names are unique (edit it, or choose another name).`,
      );
    }
    const connector = makeConnector({ name, enabled: input.enabled, toolCount: 4 });
    fake.state.connectors = [...fake.state.connectors, connector];
    fake.emit({ type: 'connectors.changed', name });
    const result: OperationOutput<'catalog.add'> = {
      connector,
      server,
      option,
      warnings: server.status === 'deprecated' ? [`${about} is deprecated: ${server.statusMessage}`] : [],
    };
    return result;
  };
  return catalog;
}
