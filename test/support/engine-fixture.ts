// Starts a real engine on a free loopback port with a fresh data directory, an in-memory vault and
// preferences, a controllable clock, and a logger that keeps lines for assertions.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Engine } from '../../main/core/engine/engine.js';
import type { EngineOptions } from '../../main/core/engine/engine-options.js';
import type { Effects, Logger } from '../../main/core/effects.js';
import { memoryVault } from '../../main/core/store/key-file-vault.js';
import { MemoryKeyValueStore, type KeyValueStore } from '../../main/core/store/settings-store.js';

export class TestClock {
  offsetMs = 0;
  now(): number {
    return Date.now() + this.offsetMs;
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

export async function startEngine(
  overrides: Partial<EngineOptions> & { dataDir?: string; keepDataDir?: boolean } = {},
): Promise<EngineFixture> {
  const dataDir = overrides.dataDir ?? mkdtempSync(join(tmpdir(), 'gatehouse-test-'));
  const clock = new TestClock();
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
    ...overrides,
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
