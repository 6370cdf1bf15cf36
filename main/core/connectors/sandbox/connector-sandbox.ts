// Runs a stdio connector's launch inside the OS sandbox by grants (docs/decisions.md, "The connector
// sandbox by grants"): bubblewrap on Linux, sandbox-exec on macOS, through @anthropic-ai/sandbox-runtime
// (its internals through sandbox-runtime/runtime-parts.ts). Each start gets its profile
// (sandbox-profile.ts), its own network gate (sandbox-network.ts) whose socket is its only way out,
// an environment from the allow-list (secrets/environment.ts) with its secret values masked where its
// hosts are known, and on Linux a write observer whose record explains what the sandbox refused. The
// wrapped command is exec'd by the lifeline watcher's shell, so bubblewrap is the engine's direct
// child and its --die-with-parent ends the tree on any death of the engine, kill -9 included.
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Clock, Logger, Random } from '../../effects.js';
import { SEALED_ARGUMENT_PREFIX, sandboxOf, type StdioSettings } from '../../api/connector-config.js';
import { isPassedVariable, packageIndexes, TRUST_VARIABLES } from '../../secrets/environment.js';
import { isSensitiveKey } from '../../secrets/secret-names.js';
import { checkSandbox, type SandboxCheck } from './sandbox-check.js';
import { sandboxRuntimeFiles } from './sandbox-runtime-files.js';
import {
  runtimeParts,
  type MitmCA,
  type RuntimeParts,
  type WriteObserver,
} from './sandbox-runtime/runtime-parts.js';
import { addAfterMounts, shellQuote } from './sandbox-runtime/bwrap-tail.js';
import { sandboxProfile, scratchOf, type SandboxPlace, type SandboxProfile } from './sandbox-profile.js';
import { isAtOrUnder, refusedGrant } from './sandbox-grants.js';
import { warningFor } from './grant-proposals.js';
import { NetworkGate, type HostRefusal, type LocalService, type MaskedValue } from './sandbox-network.js';
import { SandboxRefusals, type RefusalGrant, type RefusalNotice } from './sandbox-refusals.js';
import { Placeholders } from './sandbox-placeholders.js';
import { DEFAULT_BOUNDS, watchBounds, type BoundsTiming, type SandboxBounds } from './sandbox-bounds.js';
import { NODE_PROXY_PRELOAD, nodeProxySetup } from './node-proxy.js';
import { keepSaved, linkSaved, throughSaved } from './sandbox-files.js';
import { LaunchError, type LaunchPlan } from '../processes/stdio-launch.js';

/** The connector is sandboxed, and the sandbox cannot run here; the message says why and what to do. */
class SandboxUnavailableError extends LaunchError {
  constructor(message: string) {
    super(message);
    this.name = 'SandboxUnavailableError';
  }
}

/** A launch confined to its profile, and what to undo when its process is gone. */
export interface ConfinedLaunch {
  plan: LaunchPlan;
  profile: SandboxProfile;
  /** One line to show at start, when the server's runtime cannot use the sandbox's network. */
  startProblem: string | null;
  /** Watches the running tree's bounds; `onPassed` stops it with the sentence. */
  watch(pid: number, onPassed: (sentence: string) => void): void;
  /** Closes its network gate, removes its temp folder and placeholders; call once its process exited. */
  release(): void;
}

/** Which of a connector's secret values its server gets as stand-ins, and which plainly and why. */
export interface SecretDelivery {
  masked: string[];
  plain: Array<{ name: string; why: string }>;
}

/** What the engine's sandbox needs: where Gatehouse's data is, and who hears of refusals. */
export interface ConnectorSandboxOptions {
  dataDir: string;
  logger: Logger;
  clock: Clock;
  /** Draws each launch's temp folder name and its command id. */
  random: Random;
  /** Home, scratch and temp roots; tests give a fake home. */
  place?: Partial<Omit<SandboxPlace, 'dataDir'>>;
  /** Gatehouse's own port, which no server reaches. */
  gatehousePort?: () => number | null;
  /** The bounds of every sandboxed server (tests lower them). */
  bounds?: Partial<SandboxBounds>;
  boundsTiming?: BoundsTiming;
  /** A refusal the surfaces should hear of (once per target per minute). */
  onRefusal?: (notice: RefusalNotice) => void;
  /** The machine's check; tests pass one to play a machine without bubblewrap. */
  check?: () => SandboxCheck;
}

const PLACE_RECORD = 'sandbox-temp.json';

/** Database and other non-HTTP connection strings: the proxy cannot put a value back into them. */
const NON_HTTP_URL =
  /^(postgres(ql)?|mysql|mariadb|mongodb(\+srv)?|redis(s)?|amqps?|mssql|sqlserver|clickhouse|nats|kafka):\/\//i;
const DATABASE_NAMES = /^(PG|MYSQL_|MARIADB_|MONGO|REDIS|DATABASE_|DB_)/;

/**
 * Which of a connector's environment values are secrets, and how its server gets each: a stand-in
 * (masked) where its hosts are listed, else plainly with the reason.
 */
function secretDelivery(settings: StdioSettings): SecretDelivery {
  const sandbox = sandboxOf(settings);
  const masked: string[] = [];
  const plain: SecretDelivery['plain'] = [];
  for (const [name, value] of Object.entries(settings.env)) {
    const secret =
      isSensitiveKey(name) ||
      name.startsWith(SEALED_ARGUMENT_PREFIX) ||
      sandbox.secretVariables.includes(name);
    if (!secret) continue;
    if (sandbox.plainSecrets.includes(name)) plain.push({ name, why: 'by your choice' });
    else if (!sandbox.enabled) plain.push({ name, why: 'it runs without a sandbox' });
    else if (sandbox.allowedDomains === null) {
      plain.push({ name, why: 'it may reach any host, so the sandbox cannot tell its own hosts apart' });
    } else if (NON_HTTP_URL.test(value) || DATABASE_NAMES.test(name)) {
      plain.push({ name, why: 'it is used over a database protocol, which the proxy cannot fill in' });
    } else masked.push(name);
  }
  return { masked, plain };
}

/** A connector's local-service grants as host and port. */
function localServicesOf(settings: StdioSettings): LocalService[] {
  return sandboxOf(settings).localServices.map((service) => {
    const at = service.lastIndexOf(':');
    return { host: service.slice(0, at).replace(/^\[(.*)\]$/, '$1'), port: Number(service.slice(at + 1)) };
  });
}

const isLoopbackHost = (host: string) =>
  host === 'localhost' || host.endsWith('.localhost') || host.startsWith('127.') || host === '::1';

/**
 * The engine's sandbox for local servers: checks the machine once, confines each launch to its
 * profile behind its own network gate, and keeps the record of what it refused.
 */
export class ConnectorSandbox {
  readonly #place: SandboxPlace;
  readonly #logger: Logger;
  readonly #random: Random;
  readonly #checkImpl: () => SandboxCheck;
  readonly #gatehousePort: () => number | null;
  readonly #bounds: SandboxBounds;
  readonly #boundsTiming: BoundsTiming | undefined;
  readonly #dataDir: string;
  /** The runtime's helpers at paths a process can run (outside app.asar in the packaged app). */
  readonly #files = sandboxRuntimeFiles();
  readonly #placeholders: Placeholders;
  /** What the sandbox refused each server (its own record), with counts. */
  readonly refusals: SandboxRefusals;
  #check: SandboxCheck | undefined;
  #authority: MitmCA | undefined;
  #parts: RuntimeParts | undefined;
  #preload: string | undefined;
  #recorded = false;
  /** What each connector's last start read to run (for its view). */
  readonly #runtime = new Map<string, string[]>();

  constructor(options: ConnectorSandboxOptions) {
    const home = options.place?.home ?? process.env.HOME ?? '/';
    const platform = options.place?.platform ?? process.platform;
    const cacheHome =
      platform === 'darwin'
        ? path.join(home, 'Library', 'Caches')
        : (process.env.XDG_CACHE_HOME ?? path.join(home, '.cache'));
    this.#dataDir = path.resolve(options.dataDir);
    this.#place = {
      platform,
      home,
      dataDir: this.#dataDir,
      // One root per data folder: two Gatehouses on one account (the app and a `serve --data-dir`)
      // never share a connector's scratch and caches, nor reap each other's at start.
      scratchRoot:
        options.place?.scratchRoot ??
        path.join(
          cacheHome,
          'gatehouse',
          'connectors',
          createHash('sha256').update(this.#dataDir).digest('hex').slice(0, 12),
        ),
      // Private to this engine, under a name nobody can guess beforehand (so nobody can squat it).
      tempRoot: options.place?.tempRoot ?? this.#privateTempRoot(),
    };
    this.#logger = options.logger;
    this.#random = options.random;
    this.#checkImpl = options.check ?? (() => checkSandbox(platform));
    this.#gatehousePort = options.gatehousePort ?? (() => null);
    this.#bounds = { ...DEFAULT_BOUNDS, ...options.bounds };
    this.#boundsTiming = options.boundsTiming;
    this.#placeholders = new Placeholders(this.#dataDir);
    this.refusals = new SandboxRefusals({
      clock: options.clock,
      onNotice: (notice) => options.onRefusal?.(notice),
    });
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
   * Clears what an earlier Gatehouse left: its private temp folder and its placeholders; and the
   * scratch folders of connectors that no longer exist. Returns what it removed, in words.
   */
  reapLeftovers(connectors: readonly string[]): string[] {
    const done: string[] = [];
    const placeholders = this.#placeholders.reap();
    if (placeholders > 0) done.push(`${placeholders} placeholders of protected workspace places`);
    for (const name of readdirSafe(this.#place.scratchRoot)) {
      if (!connectors.includes(name)) {
        rmSync(path.join(this.#place.scratchRoot, name), { recursive: true, force: true });
        done.push(`the scratch folder of ${name}, which was removed`);
      }
    }
    return done;
  }

  /** A removed connector's scratch folder and record go with it. */
  forget(name: string): void {
    rmSync(scratchOf(name, this.#place), { recursive: true, force: true });
    this.refusals.forget(name);
    this.#runtime.delete(name);
  }

  /**
   * Wraps a planned launch in the sandbox. Throws SandboxUnavailableError where the sandbox cannot
   * run, and LaunchError for a grant that cannot be given.
   */
  async confine(name: string, settings: StdioSettings, plan: LaunchPlan): Promise<ConfinedLaunch> {
    const check = this.check();
    if (!check.works) {
      throw new SandboxUnavailableError(
        `${name} was not started: it runs in a sandbox, and ${lowerFirst(check.problem ?? 'the sandbox cannot run here.')} ${check.fix ?? ''} ` +
          `To run it without a sandbox, with your full rights (only a server you trust): \`gatehouse connectors edit ${name} --no-sandbox\` (\`--no-sandbox\` when adding it), or switch its sandbox off in its details.`,
      );
    }
    const parts = (this.#parts ??= await runtimeParts());
    const cwd = plan.cwd ?? process.cwd();
    const pathValue = plan.env.PATH ?? '';
    const profile = sandboxProfile(name, settings, this.#place, {
      cwd,
      resolved: plan.resolved,
      args: plan.args,
      pathValue,
      random: this.#random,
    });
    const undo: Array<() => void | Promise<void>> = [
      () => rmSync(profile.tempDir, { recursive: true, force: true }),
    ];
    const releaseAll = () => {
      for (const step of undo.splice(0).reverse()) {
        void Promise.resolve()
          .then(step)
          .catch(() => undefined);
      }
    };
    try {
      return await this.#confine(name, settings, plan, parts, profile, undo, releaseAll);
    } catch (error) {
      releaseAll();
      this.#logger.warn('connector could not be put in its sandbox', {
        connector: name,
        error: error instanceof Error ? error.message : String(error),
      });
      if (error instanceof LaunchError) throw error;
      throw new LaunchError(
        `${name} could not be put in its sandbox: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  async #confine(
    name: string,
    settings: StdioSettings,
    plan: LaunchPlan,
    parts: RuntimeParts,
    profile: SandboxProfile,
    undo: Array<() => void | Promise<void>>,
    releaseAll: () => void,
  ): Promise<ConfinedLaunch> {
    const linux = this.#place.platform === 'linux';
    if (!this.#recorded) {
      this.#recorded = true;
      writeFileSync(
        path.join(this.#dataDir, PLACE_RECORD),
        JSON.stringify({ tempRoot: this.#place.tempRoot }),
        {
          mode: 0o600,
        },
      );
    }
    // Linux holds a missing protected place with a placeholder; Seatbelt denies names by pattern.
    if (linux) undo.push(this.#placeholders.hold(profile.protected));
    this.#runtime.set(name, profile.runtime);
    // Its environment: the allow-list of Gatehouse's own, its own folders, then what its connector sets.
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(plan.env)) if (isPassedVariable(key)) env[key] = value;
    const indexes = packageIndexes(plan.env);
    for (const index of indexes) env[index.name] = index.value;
    Object.assign(env, profile.env, settings.env);
    // A granted file it names is saved through a folder of its own, where a save by rename works.
    linkSaved(profile.saved);
    const keeper = keepSaved(profile.saved, (problem) =>
      this.#logger.warn('connector sandbox', { connector: name, problem }),
    );
    undo.push(() => keeper.close());
    for (const key of Object.keys(settings.env))
      env[key] = throughSaved(env[key]!, profile.saved, this.#place.home);
    const delivery = secretDelivery(settings);
    const masked: MaskedValue[] = delivery.masked.map((key) => ({ name: key, value: settings.env[key]! }));
    // A package mirror the user's environment names on this computer (a local Verdaccio) is reachable:
    // it is where the user chose packages come from.
    const services = [
      ...localServicesOf(settings),
      ...indexes
        .flatMap((index) => index.urls)
        .filter((url) => isLoopbackHost(url.hostname.replace(/^\[(.*)\]$/, '$1')))
        .map((url) => ({
          host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
          port: Number(url.port) || (url.protocol === 'https:' ? 443 : 80),
        })),
    ];
    const gate = await NetworkGate.open({
      parts,
      rules: {
        allowedDomains: profile.allowedDomains,
        localServices: services,
        gatehousePort: this.#gatehousePort(),
      },
      socketPath: linux
        ? path.join(this.#place.tempRoot, `${name}-${this.#random.bytes(4).toString('hex')}.sock`)
        : null,
      masked,
      authority: () => (this.#authority ??= parts.createCA()),
      onRefused: (refused) => {
        const allow = hostAllow(refused);
        this.refusals.record(name, {
          kind: 'host',
          target: `${refused.host}:${refused.port}`,
          reason: refused.reason,
          grant:
            allow === null ? null : `gatehouse connectors edit ${name} --allow-${allow.kind} ${allow.value}`,
          allow,
        });
      },
    });
    undo.push(() => gate.close());
    let args = plan.args.map((arg) => throughSaved(arg, profile.saved, this.#place.home));
    for (const { name: key, value } of masked) {
      const standIn = gate.standIns[key];
      if (standIn === undefined) continue;
      env[key] = standIn;
      // A sealed argument carries its value on the command line: the stand-in goes there instead.
      args = args.map((arg) => arg.split(value).join(standIn));
    }
    const node = nodeProxySetup(
      name,
      { resolved: plan.resolved, pathValue: env.PATH ?? '' },
      this.#preloadFile(),
      env.NODE_OPTIONS,
    );
    Object.assign(env, node.env);
    let observer: WriteObserver | undefined;
    if (linux && this.#files.applySeccomp) {
      observer = parts.observeWrites((target) => this.#judgeWrite(name, profile, target));
      await observer.ready;
      undo.push(() => observer?.stop());
    }
    // The certificate authorities Gatehouse's own environment trusts, where they are hidden (never a
    // connector's own choice of file, and never a secret).
    const trustFiles = TRUST_VARIABLES.map((key) => plan.env[key])
      .filter((file): file is string => typeof file === 'string' && path.isAbsolute(file))
      .filter((file) => refusedGrant(file, this.#place) === null);
    const shownFiles = [
      ...trustFiles,
      gate.socketPath,
      gate.trustBundle,
      observer?.observeSocketPath,
      this.#preload,
      this.#files.applySeccomp,
      this.#files.javaAgentJar,
    ].filter((file): file is string => typeof file === 'string');
    // The process bound as a limit only in its own user namespace (Linux): elsewhere RLIMIT_NPROC
    // counts every process of the user, so it is watched instead (sandbox-bounds.ts).
    const command = innerCommand(
      profile,
      { file: plan.file, args },
      services,
      linux ? this.#bounds.processes : null,
    );
    const readConfig = {
      denyOnly: [],
      literalDenyOnly: profile.hidden,
      // What it may write it may read (Seatbelt keeps the two apart; bubblewrap binds them together).
      literalAllowWithinDeny: [...profile.read, ...profile.write, ...shownFiles],
    };
    const writeConfig = {
      allowOnly: [],
      literalAllowOnly: profile.write,
      // macOS: the places that run later are denied at any depth, there or not, by pattern.
      denyWithinAllow: linux ? [] : profile.workspace.flatMap(protectedPatterns),
      literalDenyWithinAllow: profile.protected.map((p) => p.path),
    };
    let wrapped: string;
    if (linux) {
      wrapped = await parts.wrapLinux({
        command,
        commandId: this.#random.bytes(16).toString('base64url'),
        needsNetworkRestriction: true,
        httpSocketPath: gate.socketPath!,
        socksSocketPath: gate.socketPath!,
        ...(gate.trustBundle ? { caCertPath: gate.trustBundle } : {}),
        ...(this.#files.applySeccomp ? { seccompConfig: { applyPath: this.#files.applySeccomp } } : {}),
        ...(this.#files.javaAgentJar ? { javaAgentJarPath: this.#files.javaAgentJar } : {}),
        ...(observer?.observeSocketPath ? { observeSocketPath: observer.observeSocketPath } : {}),
        readConfig,
        writeConfig,
        // The runtime scans the engine's own folder for places that run later; Gatehouse protects
        // each workspace's itself (sandbox-grants.ts), so the engine's top level is enough.
        mandatoryDenySearchDepth: 0,
        // The shells it runs the command through are the system's POSIX sh: dash starts in half the
        // time of bash, at every start.
        binShell: 'sh',
      });
      undo.push(() => parts.releaseLinuxWrap());
      // The hidden folders' tmpfs made read-only under their grants: a write there fails at once.
      wrapped = addAfterMounts(
        wrapped,
        profile.hidden.flatMap((dir) => ['--remount-ro', dir]),
      );
    } else {
      wrapped = parts.wrapMacos({
        command,
        needsNetworkRestriction: true,
        httpProxyPort: gate.port!,
        socksProxyPort: gate.port!,
        ...(gate.trustBundle ? { caCertPath: gate.trustBundle } : {}),
        ...(this.#files.javaAgentJar ? { javaAgentJarPath: this.#files.javaAgentJar } : {}),
        readConfig,
        writeConfig,
      });
    }
    let released = false;
    let stopWatching: (() => void) | undefined;
    return {
      profile,
      startProblem: node.problem,
      // `exec`: the shell becomes bubblewrap (or sandbox-exec), so no shell stands between it and
      // the lifeline watcher, and --die-with-parent names the engine.
      plan: {
        ...plan,
        file: '/bin/sh',
        args: ['-c', `exec ${wrapped}`],
        env,
        windowsVerbatimArguments: false,
      },
      watch: (pid, onPassed) => {
        stopWatching = watchBounds(
          pid,
          [profile.scratchDir, profile.tempDir],
          this.#bounds,
          (bound, sentence) => {
            this.refusals.record(name, {
              kind: 'bound',
              target: `its ${bound} bound`,
              reason: sentence,
              grant: null,
              allow: null,
            });
            onPassed(`The sandbox stopped ${name}: ${sentence}.`);
          },
          this.#boundsTiming,
        );
      },
      release: () => {
        if (released) return;
        released = true;
        stopWatching?.();
        releaseAll();
      },
    };
  }

  /** What a connector's last start read to run: its runtime's installation and its package. */
  lastRuntime(name: string): string[] {
    return this.#runtime.get(name) ?? [];
  }

  /** Which of a connector's secrets its server gets masked, and which plainly and why (for its view). */
  secretDelivery(settings: StdioSettings): SecretDelivery {
    return secretDelivery(settings);
  }

  /** Stops what the sandbox runs for the engine and removes its private temp folder. */
  async close(): Promise<void> {
    this.refusals.close();
    if (this.#authority && this.#parts) this.#parts.disposeCA(this.#authority);
    this.#authority = undefined;
    rmSync(this.#place.tempRoot, { recursive: true, force: true });
    rmSync(path.join(this.#dataDir, PLACE_RECORD), { force: true });
  }

  /** A write the observer saw attempted: refused unless it lies in what the server may write. */
  #judgeWrite(name: string, profile: SandboxProfile, target: string): void {
    if (/^\/(dev|proc|sys)(\/|$)/.test(target) || target.includes('/__pycache__/')) return;
    const guarded = profile.protected.find((p) => isAtOrUnder(target, p.path));
    if (guarded) {
      this.refusals.record(name, {
        kind: 'write',
        target,
        reason: 'git, an editor or an AI client runs what is there later, so no server may change it',
        grant: null,
        allow: null,
      });
      return;
    }
    if (profile.write.some((granted) => isAtOrUnder(target, granted))) return;
    const folder = path.dirname(target);
    const refused = refusedGrant(folder, this.#place);
    const careful = refused === null ? warningFor(folder, 'write', this.#place, pathDirs()) : null;
    this.refusals.record(name, {
      kind: 'write',
      target,
      reason:
        refused === null
          ? `it is outside what it may write (its workspace, scratch and temp folders)${careful ? `; careful: ${careful}` : ''}`
          : `it is outside what it may write, and ${folder} cannot be granted (${refused}); grant a folder of its own instead`,
      grant:
        refused === null
          ? `gatehouse connectors edit ${name} --add-folder ${tildeOf(folder, this.#place.home)}`
          : null,
      allow: refused === null ? { kind: 'folder', value: tildeOf(folder, this.#place.home) } : null,
    });
  }

  /** The Node preload, written once into the private temp folder (read-only to every server). */
  #preloadFile(): string {
    if (!this.#preload) {
      this.#preload = path.join(this.#place.tempRoot, 'gatehouse-node-proxy.cjs');
      writeFileSync(this.#preload, NODE_PROXY_PRELOAD, { mode: 0o644 });
    }
    return this.#preload;
  }

  /** A temp root nobody could have made beforehand; the one an earlier engine recorded goes first. */
  #privateTempRoot(): string {
    // Written down at the first start (the data folder exists by then), removed at a clean stop.
    const record = path.join(this.#dataDir, PLACE_RECORD);
    try {
      const earlier = (JSON.parse(readFileSync(record, 'utf8')) as { tempRoot: string }).tempRoot;
      if (path.basename(earlier).startsWith('gatehouse-') && existsSync(earlier)) {
        rmSync(earlier, { recursive: true, force: true });
      }
    } catch {
      // none recorded
    }
    return mkdtempSync(path.join(tmpdir(), 'gatehouse-'));
  }
}

/** Seatbelt patterns for the places in a workspace folder that run code later, at any depth. */
function protectedPatterns(folder: string): string[] {
  return [
    '**/.git/hooks/**',
    '**/.git/config',
    '**/.gitmodules',
    '**/.vscode/**',
    '**/.idea/**',
    '**/.claude/**',
    '**/.envrc',
    '**/.mcp.json',
  ].flatMap((pattern) => (/[*?[\]]/.test(folder) ? [] : [`${folder}/${pattern}`]));
}

/** The command that runs inside: its bounds, the relays of its local services, then the server. */
function innerCommand(
  profile: SandboxProfile,
  launch: { file: string; args: readonly string[] },
  services: readonly LocalService[],
  processes: number | null,
): string {
  const temp = shellQuote([profile.tempDir]);
  const lines: string[] = [];
  if (processes !== null) {
    // Processes counted in its own user namespace (dash says -p, bash -u); a root caller is not held.
    lines.push(`ulimit -p ${processes} 2>/dev/null || ulimit -u ${processes} 2>/dev/null`);
  }
  // A local service on this computer is reached at the same host and port inside: a relay listens on
  // the sandbox's own loopback and asks the gate for that one service (HTTP CONNECT, no Unix socket).
  const relayed = services.filter((service) => isLoopbackHost(service.host));
  for (const { host, port } of relayed) {
    const target = host.includes(':') ? `[${host}]` : host;
    const proxy = `PROXY:127.0.0.1:${target}:${port},proxyport=3128`;
    lines.push(
      `{ socat TCP6-LISTEN:${port},ipv6only=0,fork,reuseaddr ${shellQuote([proxy])} || exec socat TCP4-LISTEN:${port},fork,reuseaddr ${shellQuote([proxy])}; } >/dev/null 2>&1 &`,
    );
  }
  if (relayed.length > 0) {
    // Until each relay listens (at most 3 s), so the server's first connection finds it: a listening
    // socket's line in /proc/net/tcp* reads `…:PORT 000…:0000 0A`.
    const ports = relayed.map(({ port }) => port.toString(16).toUpperCase().padStart(4, '0')).join('|');
    lines.push(
      `_gh_wait=0; while [ "$_gh_wait" -lt 30 ] && [ "$(cat /proc/net/tcp /proc/net/tcp6 2>/dev/null | grep -cE ':(${ports}) [0-9A-F]+:0000 0A')" -lt ${relayed.length} ]; do sleep 0.1; _gh_wait=$((_gh_wait + 1)); done; unset _gh_wait`,
    );
  }
  // With a network the runtime points TMPDIR at its own folder: set again inside.
  // Descriptors 3 to 9 closed for the server (one Gatehouse inherited is /dev/null by now: stdio-launch.ts).
  lines.push(
    `TMPDIR=${temp} TMP=${temp} TEMP=${temp} exec ${shellQuote([launch.file, ...launch.args])} 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&-`,
  );
  return lines.join('\n');
}

/** The grant that lets a connector reach what its gate refused, or null where nothing may. */
function hostAllow(refused: HostRefusal): RefusalGrant | null {
  const { host, port } = refused;
  if (refused.reason.includes("Gatehouse's own port") || /^169\.254\./.test(host)) return null;
  const literal = /^[0-9.]+$/.test(host) || host.includes(':');
  if (literal || host === 'localhost' || host.endsWith('.localhost')) {
    return { kind: 'local', value: `${host.includes(':') ? `[${host}]` : host}:${port}` };
  }
  return { kind: 'domain', value: host };
}

const pathDirs = () => (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);

const tildeOf = (target: string, home: string) =>
  isAtOrUnder(target, home) && target !== home ? `~/${path.relative(home, target)}` : target;

const readdirSafe = (dir: string) => {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
};

const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);
