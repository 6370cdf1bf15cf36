// Starts a real engine on a free loopback port with a fresh data directory, an in-memory vault and
// preferences, a controllable clock on a fixed date, and a logger that keeps lines for assertions.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Engine } from '../../main/core/engine/engine.js';
import type { EngineOptions } from '../../main/core/engine/engine-options.js';
import type { Effects, Logger } from '../../main/core/effects.js';
import type { KeyValueStore } from '../../main/core/store/settings-store.js';
import { MemoryKeyValueStore, memoryVault } from './memory-stores.js';

/**
 * The date a test engine's clock starts on: Wednesday 14 January 2026 at noon in the process's time
 * zone. Noon, so that "in an hour" or "an hour ago" is the same day whenever the suite runs (a test
 * once failed between 23:00 and midnight); a winter weekday far from any daylight-saving change; and
 * before any real run, so that times a library takes from the real clock (oidc-provider's token
 * expiries) lie ahead of the engine's, never behind.
 */
function fixedTestDate(): number {
  return new Date(2026, 0, 14, 12, 0, 0, 0).getTime();
}

/** Where a fixed-date clock starts: the fixed date, when the test file first started an engine. */
interface FixedStart {
  at: number;
  /** `performance.now()` then. */
  mark: number;
}

/**
 * One fixed timeline for every engine a test file starts, so that an engine restarted on the same data
 * folder never finds its clock behind what the one before it wrote.
 */
let fileStart: FixedStart | undefined;

/**
 * A clock the test moves by hand. It runs at the real pace from where it starts: the real time
 * (`new TestClock()`), or a fixed date (the engine fixture's).
 */
export class TestClock {
  offsetMs = 0;
  readonly #start: FixedStart | undefined;
  constructor(start?: FixedStart) {
    this.#start = start;
  }
  now(): number {
    const start = this.#start;
    const running = start ? start.at + Math.floor(performance.now() - start.mark) : Date.now();
    return running + this.offsetMs;
  }
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

export interface EngineFixture {
  engine: Engine;
  clock: TestClock;
  logs: string[];
  dataDir: string;
  preferences: KeyValueStore;
  stop(): Promise<void>;
}

export function silentLogger(logs: string[] = []): Logger {
  const push = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    logs.push(`${level} ${message}${fields ? ` ${JSON.stringify(fields)}` : ''}`);
  };
  return { info: push('info'), warn: push('warn'), error: push('error') };
}

/** What a test may change about its engine: the engine's options (any of its effects), and the fixture's own. */
type EngineFixtureOptions = Partial<Omit<EngineOptions, 'effects'>> & {
  /** Effects in place of the fixture's (a test clock, a memory vault, silent logs, the real fetch). */
  effects?: Partial<Effects>;
  dataDir?: string;
  keepDataDir?: boolean;
  /**
   * The clock starts at the real time instead of the fixed date: for a test whose engine must agree
   * with a clock it does not own (an expiry oidc-provider or an upstream wrote from the real time, a
   * time the test reads from `Date.now()`).
   */
  realTime?: boolean;
};

export async function startEngine(overrides: EngineFixtureOptions = {}): Promise<EngineFixture> {
  const dataDir = overrides.dataDir ?? mkdtempSync(join(tmpdir(), 'gatehouse-test-'));
  const { realTime, ...engineOverrides } = overrides;
  fileStart ??= { at: fixedTestDate(), mark: performance.now() };
  const clock = new TestClock(realTime ? undefined : fileStart);
  const logs: string[] = [];
  const logger = silentLogger(logs);
  const effects: Effects = {
    clock,
    random: { bytes: (n) => randomBytes(n) },
    vault: memoryVault(),
    openUrl: { open: async () => undefined },
    notifier: { notify: () => undefined },
    fetch: globalThis.fetch.bind(globalThis),
    logger,
    ...overrides.effects,
  };
  const preferences = overrides.preferences ?? new MemoryKeyValueStore();
  const engine = await Engine.start({
    dataDir,
    port: 0,
    version: '0.0.0-test',
    preferences,
    registrationLimit: { count: 1000, windowMs: 60_000 },
    ...engineOverrides,
    effects,
  });
  return {
    engine,
    clock,
    logs,
    dataDir,
    preferences,
    stop: async () => {
      await engine.stop();
      if (!overrides.keepDataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The connectors an engine has, by name, as `connectors.list` (every surface's list) shows them. */
export async function connectorNames(engine: Pick<Engine, 'call'>): Promise<string[]> {
  return (await engine.call('connectors.list')).map((connector) => connector.name);
}
