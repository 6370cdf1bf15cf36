// Makes the live connection for a connector from its (unsealed) settings: a supervised stdio child
// process, or an HTTP client with the right authorizer (none, bearer, or upstream OAuth). The SDK
// client behind both is loaded with the first connector, not at start-up: an engine with no connector
// (or all disabled) does not carry it (docs/decisions.md, "An idle engine loads little and wakes rarely").
import type { Clock, Fetch, Logger } from '../../effects.js';
import type { UpstreamFactory } from './connector-manager.js';
import { bearerAuth, noAuth, type UpstreamAuthorizer } from './upstream-auth.js';
import type { HttpSettings, StdioSettings } from '../../api/connector-config.js';
import type { UpstreamOptions } from './upstream-base.js';
import { startedRunner } from '../processes/package-runner.js';
import type { TreeLedger } from '../processes/tree-ledger.js';
import type { ConnectorSandbox } from '../sandbox/connector-sandbox.js';

/** What making upstreams needs from the engine. */
export interface UpstreamFactoryDeps {
  clock: Clock;
  logger: Logger;
  fetch: Fetch;
  version: string;
  /** The OAuth authorizer for a connector (shared by its live connection and its tests). */
  oauthAuthorizer(name: string, settings: HttpSettings): Promise<UpstreamAuthorizer>;
  /** Answers an upstream's requests to its client (sampling, elicitation, roots). */
  serverRequests?: (
    connector: string,
    method: string,
    params: unknown,
    signal: AbortSignal,
  ) => Promise<unknown>;
  /** Extra options for every upstream (tests shorten timeouts). */
  options?: UpstreamOptions;
  /** Where stdio connectors' process trees are written down (reaped at the next start). */
  trees?: TreeLedger;
  /** The OS sandbox every stdio connector runs in unless the user switched it off. */
  sandbox?: ConnectorSandbox;
}

/** The engine's `UpstreamFactory`: the stdio or HTTP upstream a connector's settings call for. */
export function upstreamFactory(deps: UpstreamFactoryDeps): UpstreamFactory {
  const base: UpstreamOptions = { clientInfo: { name: 'gatehouse', version: deps.version }, ...deps.options };
  return async (name, settings) => {
    const forward = deps.serverRequests;
    const options: UpstreamOptions = forward
      ? { ...base, serverRequests: (method, params, signal) => forward(name, method, params, signal) }
      : base;
    if (settings.kind === 'stdio') {
      const { createStdioUpstream } = await import('./stdio-upstream.js');
      return createStdioUpstream({
        name,
        settings,
        deps: { clock: deps.clock, logger: deps.logger },
        options: startWindow(settings, options),
        ...(deps.trees ? { ledger: deps.trees } : {}),
        ...(deps.sandbox ? { sandbox: deps.sandbox } : {}),
      });
    }
    const authorizer =
      settings.auth.type === 'bearer'
        ? bearerAuth(settings.auth.token)
        : settings.auth.type === 'oauth'
          ? await deps.oauthAuthorizer(name, settings)
          : noAuth;
    const { createHttpUpstream } = await import('./http-upstream.js');
    return createHttpUpstream({
      name,
      settings,
      authorizer,
      deps: { clock: deps.clock, logger: deps.logger, fetch: deps.fetch },
      options,
    });
  };
}

/** How long a server started through a package runner gets to start: its first start downloads it. */
const INSTALLING_START_MS = 120_000;

/**
 * A stdio server's options with its window to start: a package runner's first start installs the
 * package before the server can answer, which takes longer than the usual 30 s on a slow network or a
 * busy computer; cut short, every attempt would start the install again. Its calls keep their own timeout.
 * @internal Exported for its tests only.
 */
export function startWindow(settings: StdioSettings, options: UpstreamOptions): UpstreamOptions {
  if (startedRunner(settings.command, settings.args) === null) return options;
  const usual = options.initializeTimeoutMs ?? 30_000;
  return {
    ...options,
    initializeTimeoutMs: Math.max(usual, INSTALLING_START_MS),
    requestTimeoutMs: options.requestTimeoutMs ?? usual,
  };
}
