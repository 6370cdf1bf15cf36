// Runs a stdio connector's launch inside the OS sandbox by grants (docs/decisions.md, "Every local
// server in a sandbox by grants"): bubblewrap on Linux, sandbox-exec on macOS, through @anthropic-ai/sandbox-runtime
// (its internals through sandbox-runtime/runtime-parts.ts). Each start gets its profile
// (sandbox-profile.ts), its own network gate (sandbox-network.ts) whose socket is its only way out,
// an environment from the allow-list (secrets/environment.ts) with its secret values masked where its
// hosts are known (secret-delivery.ts), and on Linux a write observer whose record explains what the
// sandbox refused (sandbox-judgments.ts). The command and its OS wrap are sandbox-command.ts. The
// wrapped command is exec'd by the lifeline watcher's shell, so bubblewrap is the engine's direct
// child and its --die-with-parent ends the tree on any death of the engine, kill -9 included.
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Clock, Logger, ProxyRoute, Random } from '../../effects.js';
import type { StdioSettings } from '../../api/connector-config.js';
import { isPassedVariable, packageIndexes, TRUST_VARIABLES } from '../../secrets/environment.js';
import { checkSandbox, type SandboxCheck } from './sandbox-check.js';
import { sandboxRuntimeFiles } from './sandbox-runtime-files.js';
import {
  runtimeParts,
  type MitmCA,
  type RuntimeParts,
  type WriteObserver,
} from './sandbox-runtime/runtime-parts.js';
import { addAfterMounts } from './sandbox-runtime/bwrap-tail.js';
import { sandboxProfile, scratchOf, type SandboxPlace, type SandboxProfile } from './sandbox-profile.js';
import { refusedGrant } from './sandbox-grants.js';
import type { MaskedValue } from './sandbox-gate-rules.js';
import { NetworkGate } from './sandbox-network.js';
import { SandboxRefusals, type RefusalNotice } from './sandbox-refusals.js';
import { hostAllow, writeRefusal } from './sandbox-judgments.js';
import { innerCommand, reachableServices, wrapCommand } from './sandbox-command.js';
import { secretDelivery, type SecretDelivery } from './secret-delivery.js';
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
  /** How the machine's proxy settings reach a URL; without it servers' connections are dialed directly. */
  route?: (url: URL) => Promise<ProxyRoute>;
  /** The bounds of every sandboxed server (tests lower them). */
  bounds?: Partial<SandboxBounds>;
  boundsTiming?: BoundsTiming;
  /** A refusal the surfaces should hear of (once per target per minute). */
  onRefusal?: (notice: RefusalNotice) => void;
  /** The machine's check; tests pass one to play a machine without bubblewrap. */
  check?: () => SandboxCheck;
}

const PLACE_RECORD = 'sandbox-temp.json';

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
  readonly #route: ((url: URL) => Promise<ProxyRoute>) | undefined;
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
    this.#route = options.route;
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
    const services = reachableServices(settings, indexes);
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
      ...(this.#route ? { route: this.#route } : {}),
      relaySocketPath: () =>
        path.join(this.#place.tempRoot, `via-${this.#random.bytes(4).toString('hex')}.sock`),
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
    let wrapped = await wrapCommand(parts, {
      linux,
      profile,
      command,
      gate,
      files: this.#files,
      observeSocketPath: observer?.observeSocketPath,
      shownFiles,
      commandId: this.#random.bytes(16).toString('base64url'),
    });
    if (linux) {
      undo.push(() => parts.releaseLinuxWrap());
      // The hidden folders' tmpfs made read-only under their grants: a write there fails at once.
      wrapped = addAfterMounts(
        wrapped,
        profile.hidden.flatMap((dir) => ['--remount-ro', dir]),
      );
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
    const refused = writeRefusal(name, profile, this.#place, target);
    if (refused) this.refusals.record(name, refused);
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

const readdirSafe = (dir: string) => {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
};

const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);
