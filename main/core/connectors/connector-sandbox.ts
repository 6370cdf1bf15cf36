// Runs a stdio connector's launch inside the OS sandbox (@anthropic-ai/sandbox-runtime, in process):
// bubblewrap on Linux, sandbox-exec on macOS, with the profile of sandbox-profile.ts. The wrapped
// command is exec'd by the lifeline watcher's shell, so bubblewrap is the engine's direct child and
// its --die-with-parent ends the tree on any death of the engine, kill -9 included. The runtime's
// network proxy (and on Linux its socat bridge) starts only for the first connector with a host
// list; a host it refuses is reported with the connector's name (docs/decisions.md, issue 25).
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
// Types only: the runtime itself is loaded at the first sandboxed start (sandboxRuntime below).
import type { SandboxManager } from '@anthropic-ai/sandbox-runtime';
import type * as LinuxSandbox from '@anthropic-ai/sandbox-runtime/dist/sandbox/linux-sandbox-utils.js';
import type * as MacosSandbox from '@anthropic-ai/sandbox-runtime/dist/sandbox/macos-sandbox-utils.js';
import type { decodeSandboxedCommand } from '@anthropic-ai/sandbox-runtime/dist/sandbox/sandbox-utils.js';
import type { Logger, Random } from '../effects.js';
import { sandboxOf, type StdioSettings } from '../api/connector-config.js';
import { checkSandbox, type SandboxCheck } from './sandbox-check.js';
import { endBridges, forgetBridge, recordBridge } from './sandbox-leftovers.js';
import { sandboxRuntimeFiles } from './sandbox-runtime-files.js';
import { sandboxProfile, type SandboxPlace, type SandboxProfile } from './sandbox-profile.js';
import { SECRET_VARIABLES } from '../secrets/environment.js';
import { LaunchError, type LaunchPlan } from './stdio-launch.js';

/** The connector is sandboxed, and the sandbox cannot run here; the message says why and what to do. */
class SandboxUnavailableError extends LaunchError {
  constructor(message: string) {
    super(message);
    this.name = 'SandboxUnavailableError';
  }
}

/** The parts of the sandbox runtime Gatehouse uses. */
interface SandboxRuntime {
  manager: typeof SandboxManager;
  linux: typeof LinuxSandbox;
  macos: typeof MacosSandbox;
  decode: typeof decodeSandboxedCommand;
}

let loadedRuntime: Promise<SandboxRuntime> | undefined;

/**
 * The sandbox runtime, loaded at the first sandboxed start: some 35 MB of resident memory that an
 * engine with no local server running does not carry (the idle-memory target, docs/benchmarks.md).
 */
function sandboxRuntime(): Promise<SandboxRuntime> {
  loadedRuntime ??= Promise.all([
    import('@anthropic-ai/sandbox-runtime'),
    import('@anthropic-ai/sandbox-runtime/dist/sandbox/linux-sandbox-utils.js'),
    import('@anthropic-ai/sandbox-runtime/dist/sandbox/macos-sandbox-utils.js'),
    import('@anthropic-ai/sandbox-runtime/dist/sandbox/sandbox-utils.js'),
  ]).then(([main, linux, macos, utils]) => ({
    manager: main.SandboxManager,
    linux,
    macos,
    decode: utils.decodeSandboxedCommand,
  }));
  return loadedRuntime;
}

/** A launch confined to its profile, and what to undo when its process is gone. */
export interface ConfinedLaunch {
  plan: LaunchPlan;
  profile: SandboxProfile;
  /** Removes its temp folder and its host list; call once the process has exited. */
  release(): void;
}

/** What the engine's sandbox needs: where Gatehouse's data is, and who hears of a refused host. */
export interface ConnectorSandboxOptions {
  dataDir: string;
  logger: Logger;
  /** Draws each launch's temp folder name and the id its network traffic is told apart by. */
  random: Random;
  /** Home, scratch and temp roots; tests give a fake home. */
  place?: Partial<Omit<SandboxPlace, 'dataDir'>>;
  /** A sandboxed server tried to reach a host not on its list. */
  onBlockedHost?: (connector: string, host: string, port: number) => void;
  /** A sandboxed server ended after the sandbox refused it something; the sentence says what. */
  onDenial?: (connector: string, sentence: string) => void;
  /** The machine's check; tests pass one to play a machine without bubblewrap. */
  check?: () => SandboxCheck;
}

interface NetworkBridge {
  httpSocketPath?: string;
  socksSocketPath?: string;
  httpProxyPort: number;
  socksProxyPort: number;
  proxyAuthToken?: string;
}

/** POSIX shell quoting: single quotes, each quote inside as '\''. */
const shellQuote = (words: string[]) => words.map((word) => `'${word.replace(/'/g, `'\\''`)}'`).join(' ');

/**
 * The engine's sandbox for local servers: checks the machine once, confines each launch to its
 * profile, and runs the network filter for connectors with a host list.
 */
export class ConnectorSandbox {
  readonly #place: SandboxPlace;
  readonly #logger: Logger;
  readonly #random: Random;
  readonly #checkImpl: () => SandboxCheck;
  readonly #onBlockedHost: ConnectorSandboxOptions['onBlockedHost'];
  readonly #onDenial: ConnectorSandboxOptions['onDenial'];
  /** The runtime's helpers at paths a process can run (outside app.asar in the packaged app). */
  readonly #files = sandboxRuntimeFiles();
  readonly #blocked = new Map<string, Map<string, number>>();
  #check: SandboxCheck | undefined;
  #network: Promise<NetworkBridge> | undefined;
  /** The runtime, once the first sandboxed start has loaded it. */
  #runtime: SandboxRuntime | undefined;
  readonly #connectorOf = new Map<string, string>();
  #unsubscribe: (() => void) | undefined;
  #seenViolations = 0;

  constructor(options: ConnectorSandboxOptions) {
    const home = options.place?.home ?? process.env.HOME ?? '/';
    const platform = options.place?.platform ?? process.platform;
    const cacheHome =
      platform === 'darwin'
        ? path.join(home, 'Library', 'Caches')
        : (process.env.XDG_CACHE_HOME ?? path.join(home, '.cache'));
    this.#place = {
      platform,
      home,
      dataDir: path.resolve(options.dataDir),
      scratchRoot: options.place?.scratchRoot ?? path.join(cacheHome, 'gatehouse', 'connectors'),
      tempRoot:
        options.place?.tempRoot ??
        path.join(process.env.TMPDIR ?? '/tmp', `gatehouse-${process.getuid?.() ?? 'user'}`),
    };
    this.#logger = options.logger;
    this.#random = options.random;
    this.#checkImpl = options.check ?? (() => checkSandbox(platform));
    this.#onBlockedHost = options.onBlockedHost;
    this.#onDenial = options.onDenial;
  }

  /** The hosts a connector was refused since the engine started (host:port → how many times). */
  blockedHosts(name: string): Array<{ host: string; port: number; count: number }> {
    return [...(this.#blocked.get(name) ?? new Map<string, number>())].map(([key, count]) => {
      const at = key.lastIndexOf(':');
      return { host: key.slice(0, at), port: Number(key.slice(at + 1)), count };
    });
  }

  /** Forgets a connector's refused hosts (after the user allowed them, or removed it). */
  forgetBlocked(name: string): void {
    this.#blocked.delete(name);
  }

  /** Passes on what the sandbox refused a server, as stdio-upstream.ts read it from its stderr. */
  reportDenial(name: string, sentence: string): void {
    this.#onDenial?.(name, sentence);
  }

  /** Whether the sandbox works here (asked once, then remembered). */
  check(): SandboxCheck {
    this.#check ??= this.#checkImpl();
    return this.#check;
  }

  /** Where this engine's profiles are computed from. */
  get place(): SandboxPlace {
    return this.#place;
  }

  /**
   * Wraps a planned launch in the sandbox. Throws SandboxUnavailableError where the sandbox cannot
   * run, and LaunchError for a workspace folder that cannot be given.
   */
  async confine(name: string, settings: StdioSettings, plan: LaunchPlan): Promise<ConfinedLaunch> {
    const check = this.check();
    const sandbox = sandboxOf(settings);
    const hostList = sandbox.allowedDomains !== null;
    if (!check.works || (hostList && !check.hostLists)) {
      throw new SandboxUnavailableError(
        `${name} was not started: it runs in a sandbox, and ${lowerFirst(check.problem ?? 'the sandbox cannot run here.')} ${check.fix ?? ''} ` +
          `To run it without a sandbox, with your full rights (only a server you trust): \`gatehouse connectors edit ${name} --no-sandbox\` (\`--no-sandbox\` when adding it), or switch its sandbox off in its details.`,
      );
    }
    const runtime = await sandboxRuntime();
    this.#runtime = runtime;
    const cwd = plan.cwd ?? process.cwd();
    const profile = sandboxProfile(name, settings, this.#place, {
      cwd,
      resolved: plan.resolved,
      random: this.#random,
    });
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(plan.env)) {
      if (!SECRET_VARIABLES.test(key) || key in settings.env) env[key] = value;
    }
    Object.assign(env, { TMPDIR: profile.tempDir, TMP: profile.tempDir, TEMP: profile.tempDir });
    // Node's fetch follows HTTP(S)_PROXY only when asked to (Node 22.21+/24).
    if (hostList) env.NODE_USE_ENV_PROXY = '1';
    const commandId = this.#random.bytes(16).toString('base64url');
    const network = hostList ? await this.#networkFor(name, commandId, sandbox.allowedDomains ?? []) : null;
    // Set again inside: with a host list the runtime sets TMPDIR to its own /tmp/claude.
    const temp = shellQuote([profile.tempDir]);
    const command = `TMPDIR=${temp} TMP=${temp} TEMP=${temp} exec ${shellQuote([plan.file, ...plan.args])}`;
    const writeDenies = [
      ...profile.denyRead.filter((p) => existsSync(p)),
      ...workspaceDenies(profile.workspace),
    ];
    let wrapped: string;
    try {
      wrapped =
        this.#place.platform === 'linux'
          ? await runtime.linux.wrapCommandWithSandboxLinux({
              command,
              commandId,
              needsNetworkRestriction: network !== null,
              ...(network ?? {}),
              ...(this.#files.applySeccomp ? { seccompConfig: { applyPath: this.#files.applySeccomp } } : {}),
              ...(this.#files.javaAgentJar ? { javaAgentJarPath: this.#files.javaAgentJar } : {}),
              readConfig: {
                denyOnly: [...profile.hiddenFolders, ...profile.denyRead],
                allowWithinDeny: profile.shownAgain,
              },
              writeConfig: { allowOnly: profile.write, denyWithinAllow: writeDenies },
              // The runtime scans the engine's own folder for files to write-protect; a server never
              // writes there, and each workspace's are denied above, so its top level is enough.
              mandatoryDenySearchDepth: 0,
              // The two shells it runs the command through (outside and inside apply-seccomp) are
              // the system's POSIX sh, not bash: dash starts in half the time, at every start.
              binShell: 'sh',
            })
          : runtime.macos.wrapCommandWithSandboxMacOS({
              command,
              commandId,
              needsNetworkRestriction: network !== null,
              ...(network ?? {}),
              ...(this.#files.javaAgentJar ? { javaAgentJarPath: this.#files.javaAgentJar } : {}),
              readConfig: { denyOnly: profile.denyRead },
              writeConfig: { allowOnly: profile.write, denyWithinAllow: writeDenies },
            });
    } catch (error) {
      this.#forget(commandId);
      rmSync(profile.tempDir, { recursive: true, force: true });
      throw new LaunchError(
        `${name} could not be put in its sandbox: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    let released = false;
    return {
      profile,
      // `exec`: the shell becomes bubblewrap (or sandbox-exec), so no shell stands between it and
      // the lifeline watcher, and --die-with-parent names the engine.
      plan: {
        ...plan,
        file: '/bin/sh',
        args: ['-c', `exec ${wrapped}`],
        env,
        windowsVerbatimArguments: false,
      },
      release: () => {
        if (released) return;
        released = true;
        this.#forget(commandId);
        rmSync(profile.tempDir, { recursive: true, force: true });
        if (this.#place.platform === 'linux') runtime.linux.cleanupBwrapMountPoints();
      },
    };
  }

  /** Stops the network filter and its bridge, if a connector with a host list started them. */
  async close(): Promise<void> {
    this.#unsubscribe?.();
    if (this.#network) {
      const bridge = await this.#network.catch(() => undefined);
      this.#network = undefined;
      endBridges([bridge?.httpSocketPath, bridge?.socksSocketPath].filter((p): p is string => !!p));
      forgetBridge(this.#place.dataDir);
      await (await sandboxRuntime()).manager.reset().catch(() => undefined);
    }
  }

  #forget(commandId: string): void {
    if (this.#connectorOf.delete(commandId)) this.#runtime?.manager.unregisterCommandNetworkLists(commandId);
  }

  async #networkFor(name: string, commandId: string, hosts: string[]): Promise<NetworkBridge> {
    this.#network ??= this.#startNetwork();
    const bridge = await this.#network;
    (await sandboxRuntime()).manager.registerCommandNetworkLists(commandId, { allowedDomains: hosts });
    this.#connectorOf.set(commandId, name);
    return bridge;
  }

  /** The runtime's filtering proxy (and on Linux its socat bridge), started once, on first need. */
  async #startNetwork(): Promise<NetworkBridge> {
    // The runtime answers SIGINT/SIGTERM with its own reset; the engine's stop (close() below) does
    // that in order, and a second listener would race the shell's own (`gatehouse serve` exits on a
    // second signal), so the ones it adds are taken off again.
    const SandboxManager = (await sandboxRuntime()).manager;
    const before = { SIGINT: process.listeners('SIGINT'), SIGTERM: process.listeners('SIGTERM') };
    // Nothing is allowed for everyone: each connector's list is registered under its launch's id.
    await SandboxManager.initialize(
      {
        network: { allowedDomains: [], deniedDomains: [] },
        filesystem: { denyRead: [], allowWrite: [], denyWrite: [] },
      },
      undefined,
      false,
    );
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      for (const listener of process.listeners(signal)) {
        if (!before[signal].includes(listener)) process.off(signal, listener);
      }
    }
    const store = SandboxManager.getSandboxViolationStore();
    this.#unsubscribe = store.subscribe(() =>
      this.#reportViolations(store.getTotalCount(), store.getViolations()),
    );
    const bridge: NetworkBridge = {
      httpProxyPort: SandboxManager.getProxyPort() ?? 0,
      socksProxyPort: SandboxManager.getSocksProxyPort() ?? 0,
      ...(SandboxManager.getProxyAuthToken() ? { proxyAuthToken: SandboxManager.getProxyAuthToken()! } : {}),
      ...(SandboxManager.getLinuxHttpSocketPath()
        ? { httpSocketPath: SandboxManager.getLinuxHttpSocketPath()! }
        : {}),
      ...(SandboxManager.getLinuxSocksSocketPath()
        ? { socksSocketPath: SandboxManager.getLinuxSocksSocketPath()! }
        : {}),
    };
    const sockets = [bridge.httpSocketPath, bridge.socksSocketPath].filter((p): p is string => !!p);
    if (sockets.length > 0) recordBridge(this.#place.dataDir, sockets);
    this.#logger.info('sandbox network filter started', { proxyPort: bridge.httpProxyPort });
    return bridge;
  }

  /** New refusals in the runtime's store, told to whoever listens with the connector's name. */
  #reportViolations(total: number, recent: Array<{ line: string; encodedCommand?: string }>): void {
    const fresh = Math.min(total - this.#seenViolations, recent.length);
    this.#seenViolations = total;
    for (const violation of recent.slice(recent.length - fresh)) {
      const match = /^deny network-outbound (.+):(\d+) /.exec(violation.line);
      if (!match || !violation.encodedCommand) continue;
      const connector =
        this.#runtime && this.#connectorOf.get(this.#runtime.decode(violation.encodedCommand));
      if (!connector) continue;
      const key = `${match[1]!}:${match[2]!}`;
      const hosts = this.#blocked.get(connector) ?? new Map<string, number>();
      hosts.set(key, (hosts.get(key) ?? 0) + 1);
      this.#blocked.set(connector, hosts);
      // Told once per host and start of the engine; later tries are counted.
      if (hosts.get(key) === 1) this.#onBlockedHost?.(connector, match[1]!, Number(match[2]));
    }
  }
}

/** A repository's hooks and config and an editor's task folder run code later: never writable. */
// Only existing ones: for a missing path bubblewrap would leave an empty file in the user's folder.
function workspaceDenies(workspace: string[]): string[] {
  return workspace
    .flatMap((folder) =>
      ['.git/hooks', '.git/config', '.vscode', '.idea'].map((rel) => path.join(folder, rel)),
    )
    .filter((p) => existsSync(p));
}

const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);
