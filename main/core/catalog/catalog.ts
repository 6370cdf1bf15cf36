// The catalog: search the MCP Registry, show one server with the ways it can be added here, and plan
// the connector a server becomes from the user's answers. The plan is complete and valid before
// anything is saved, so adding from the catalog never leaves half a connector behind.
import type {
  CatalogAnswers,
  CatalogOptionView,
  CatalogServerDetail,
  CatalogServerSummary,
} from '../api/catalog-contract.js';
import { connectorSettings, DEFAULT_SANDBOX, type ConnectorSettings } from '../api/connector-config.js';
import { proposalText, proposedGrants, withGrants } from '../connectors/sandbox/grant-proposals.js';
import type { GrantPlace } from '../connectors/sandbox/sandbox-grants.js';
import type { ResolveCommand } from '../connectors/processes/stdio-launch.js';
import type { Fetch } from '../effects.js';
import { GatehouseError } from '../errors.js';
import { connectorsRunning, type AddedConnector } from './already-added.js';
import { checkAnswers } from './answer-check.js';
import { serverSummary, versionView } from './catalog-views.js';
import { suggestConnectorName } from './connector-name.js';
import { installOptions, type InstallOption } from './install-options.js';
import { chooseOption } from './option-choice.js';
import { RegistryClient } from './registry-client.js';
import { runtimeCheck, type RuntimeCheck } from './runtime-check.js';
import { officialMetaOf, type ServerResponse } from './server-json.js';

/**
 * What the catalog uses of the engine: fetch, the registry setting, how commands are found, and the
 * connector names taken.
 */
export interface CatalogOptions {
  fetch: Fetch;
  /** The registry to ask, read at each call (the setting may change). */
  registryUrl: () => string;
  /** Finds a runtime the way connectors are started. */
  resolveCommand: ResolveCommand;
  /** The connectors Gatehouse has, for a free suggested name and to know a server added before. */
  connectors: () => readonly AddedConnector[];
  /** Where this machine's grants are judged (its home folder, Gatehouse's data folder). */
  grantPlace: () => GrantPlace;
  timeoutMs?: number;
}

/** One page of search results. */
export interface CatalogSearchResult {
  registryUrl: string;
  servers: CatalogServerSummary[];
  nextCursor: string | null;
  /** Entries on this page that were not valid server.json documents. */
  skipped: number;
}

/** What adding a server will save: a connector name and its settings, and what the user should know. */
export interface CatalogPlan {
  connector: string;
  settings: ConnectorSettings;
  server: CatalogServerSummary;
  option: CatalogOptionView;
  warnings: string[];
}

/**
 * "Add from catalog" as the user chose it: the server and version, one of its ways to run (`option`), the
 * connector name, the answers to its inputs, and the authorization.
 */
export interface CatalogAddRequest {
  name: string;
  version?: string | undefined;
  option?: string | undefined;
  connector?: string | undefined;
  answers: CatalogAnswers;
  auth: 'none' | 'oauth';
  /** The digest (`reviewed`) of the option the user was shown. */
  reviewed: string;
  /** The user read the option's risks and wants it anyway. */
  acceptRisks: boolean;
  /** The user agrees to the grants the entry's fixed arguments and environment ask for. */
  acceptGrants?: boolean | undefined;
  /** The server is already a connector and the user wants another one for it. */
  again?: boolean | undefined;
}

/**
 * The MCP Registry as the Connectors page sees it: search, one server with its options, and the connector
 * plan for the user's answers.
 */
export class Catalog {
  readonly #options: CatalogOptions;
  readonly #runtime: RuntimeCheck;

  constructor(options: CatalogOptions) {
    this.#options = options;
    this.#runtime = runtimeCheck(options.resolveCommand);
  }

  #client(): RegistryClient {
    return new RegistryClient({
      fetch: this.#options.fetch,
      baseUrl: this.#options.registryUrl(),
      ...(this.#options.timeoutMs !== undefined ? { timeoutMs: this.#options.timeoutMs } : {}),
    });
  }

  /** Latest versions of the servers whose name contains `query`; every server when it is empty. */
  async search(query: string, cursor: string | undefined, limit: number): Promise<CatalogSearchResult> {
    const client = this.#client();
    const page = await client.search({ text: query, cursor, limit });
    // A registry that ignores version=latest lists every version: keep the first of each server.
    const servers = new Map<string, CatalogServerSummary>();
    for (const entry of page.entries) {
      const server = this.#summary(entry);
      if (!servers.has(server.name)) servers.set(server.name, server);
    }
    return {
      registryUrl: client.baseUrl,
      servers: [...servers.values()],
      nextCursor: page.nextCursor,
      skipped: page.skipped,
    };
  }

  /** One version of a server (the latest by default) with its versions and options. */
  async show(name: string, version?: string): Promise<CatalogServerDetail> {
    const client = this.#client();
    const [entry, versions] = await Promise.all([
      client.get(name, version),
      // The list is a help, not a need: a registry that will not list versions still shows the server.
      client.versions(name).catch(() => null),
    ]);
    const options = await this.#withGrants(await this.#withRuntimes(installOptions(entry.server)));
    const meta = officialMetaOf(entry);
    return {
      ...this.#summary(entry),
      registryUrl: client.baseUrl,
      isLatest: meta.isLatest ?? version === undefined,
      versions: versions?.entries.map(versionView) ?? [],
      options: options.map((option) => option.view),
      suggestedConnectorName: suggestConnectorName(name, this.#names()),
    };
  }

  /** The connector a server becomes with these answers; every problem is a bad_request sentence. */
  async plan(request: CatalogAddRequest): Promise<CatalogPlan> {
    const entry = await this.#client().get(request.name, request.version);
    const server = this.#summary(entry);
    const about = `${server.name} ${server.version}`;
    if (server.status === 'deleted') {
      throw new GatehouseError(
        'bad_request',
        `${about} was deleted from the registry${server.statusMessage ? ` (${server.statusMessage})` : ''}; Gatehouse will not add it.`,
      );
    }
    const options = await this.#withGrants(await this.#withRuntimes(installOptions(entry.server)));
    const chosen = chooseOption(
      about,
      options.map((candidate) => candidate.view),
      request.option,
    );
    const option = options.find((candidate) => candidate.view.id === chosen.id)!;
    // What is added is what was shown: the registry may serve something else by now.
    if (option.view.reviewed !== request.reviewed) {
      throw new GatehouseError(
        'conflict',
        `The registry now serves ${about} (${option.view.label}) differently from what you reviewed, so Gatehouse added nothing. Look at it again (gatehouse catalog show ${server.name}) and add what you see.`,
      );
    }
    if (option.view.risks.length > 0 && !request.acceptRisks) {
      throw new GatehouseError(
        'bad_request',
        `${about} (${option.view.label}) changes how its runtime behaves: ${option.view.risks.map((risk) => `${risk.setting}: ${risk.explanation}`).join(' ')} Add it only if you trust its publisher, and confirm that you accept this.`,
      );
    }
    const askedFor = option.view.grants.filter((grant) => grant.refused === null);
    if (askedFor.length > 0 && !request.acceptGrants) {
      throw new GatehouseError(
        'bad_request',
        `${about} (${option.view.label}) asks for its sandbox to grant: ${askedFor.map(proposalText).join('; ')}. These come from the entry itself, not from you; add it only if you want it to have them, and confirm that you agree to them.`,
      );
    }
    if (request.auth === 'oauth' && option.view.kind !== 'remote') {
      throw new GatehouseError(
        'bad_request',
        `OAuth sign-in is for remote servers; ${option.view.label} runs on this machine.`,
      );
    }
    const checked = checkAnswers(option.view.inputs, request.answers);
    if (checked.problems.length > 0) {
      throw new GatehouseError(
        'bad_request',
        `Cannot add ${about}: ${checked.problems.map((problem) => problem.message).join('; ')}.`,
      );
    }
    if (server.addedAs.length > 0 && !request.again) {
      const names = server.addedAs.join(', ');
      throw new GatehouseError(
        'conflict',
        `${server.name} is already added as ${names}, so Gatehouse added nothing. Use ${names}, or add it again to have another connector for it (say so with --again, or "Add another" in the window).`,
      );
    }
    let settings: ConnectorSettings;
    try {
      settings = await this.#granted(
        option,
        connectorSettings.parse(option.settings(checked.values, request.auth)),
      );
    } catch (error) {
      const reason =
        error instanceof Error && 'issues' in error
          ? (error as { issues: Array<{ message: string }> }).issues.map((issue) => issue.message).join('; ')
          : (error as Error).message;
      throw new GatehouseError('bad_request', `Cannot add ${about}: ${reason}`, { cause: error });
    }
    const warnings: string[] = [];
    if (server.status === 'deprecated') {
      const why = server.statusMessage ? `: ${server.statusMessage.replace(/\.$/, '')}` : '';
      warnings.push(`${about} is deprecated${why}.`);
    }
    if (officialMetaOf(entry).isLatest === false) {
      warnings.push(`${about} is not the latest version of ${server.name}.`);
    }
    return {
      connector: request.connector ?? suggestConnectorName(server.name, this.#names()),
      settings,
      server,
      option: option.view,
      warnings,
    };
  }

  /**
   * A package's sandbox: what the entry's fixed words ask for (agreed to by now), what the user's own
   * answers name, and the variables the entry marks secret (masked where its hosts are listed).
   */
  async #granted(option: InstallOption, settings: ConnectorSettings): Promise<ConnectorSettings> {
    if (settings.kind !== 'stdio') return settings;
    const place = this.#options.grantPlace();
    const proposals = proposedGrants(settings, place, await this.#grantContext());
    const secretVariables = option.view.environment
      .filter((entry) => entry.secret)
      .map((entry) => entry.name);
    return {
      ...settings,
      sandbox: withGrants({ ...DEFAULT_SANDBOX, secretVariables }, proposals),
    };
  }

  /** The options with the grants their fixed words ask for, judged on this machine. */
  async #withGrants(options: InstallOption[]): Promise<InstallOption[]> {
    const place = this.#options.grantPlace();
    const context = await this.#grantContext();
    return options.map((option) =>
      option.view.runtime === null
        ? option
        : {
            ...option,
            view: {
              ...option.view,
              grants: proposedGrants(
                { args: option.fixed.args, env: option.fixed.env, cwd: null },
                place,
                context,
              ),
            },
          },
    );
  }

  /**
   * Where a path an entry names is judged from: the engine's folder, and the folders the user's commands are
   * found in (the login shell's PATH, as connectors are started: a desktop app's own PATH is launchd's).
   */
  async #grantContext(): Promise<{ cwd: string; pathDirs: string[] }> {
    return { cwd: process.cwd(), pathDirs: await this.#options.resolveCommand.searchDirs() };
  }

  #names(): Set<string> {
    return new Set(this.#options.connectors().map((connector) => connector.name));
  }

  /** The entry as a search lists it, with the connectors that already run it. */
  #summary(entry: ServerResponse): CatalogServerSummary {
    return { ...serverSummary(entry), addedAs: connectorsRunning(entry.server, this.#options.connectors()) };
  }

  /** The options with each runtime's absence added as the option's problem. */
  async #withRuntimes(options: InstallOption[]): Promise<InstallOption[]> {
    const runtimes = [...new Set(options.map((option) => option.view.runtime))].filter(
      (runtime): runtime is string => runtime !== null,
    );
    const problems = new Map(
      await Promise.all(runtimes.map(async (runtime) => [runtime, await this.#runtime(runtime)] as const)),
    );
    return options.map((option) => {
      const missing = option.view.runtime === null ? null : (problems.get(option.view.runtime) ?? null);
      return option.view.problem === null && missing !== null
        ? { ...option, view: { ...option.view, problem: missing } }
        : option;
    });
  }
}
