// What the CLI tests share: a real engine on a free loopback port in a fresh data directory, and the
// CLI run in-process with its output captured.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../../main/core/engine.js';
import type { Logger } from '../../main/core/effects.js';
import { headlessEffects } from '../../main/core/headless.js';
import { MemoryKeyValueStore } from '../../main/core/store/settings-store.js';
import { runCli, type CliIo } from '../../main/cli/commands.js';

export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `gatehouse <argv>` in this process and returns what it printed and its exit code. */
export async function gatehouse(argv: string[], io: Partial<CliIo> = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    ...io,
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
  });
  return { code, stdout, stderr };
}

/** Fresh temporary directories, all removed by `removeAll`. */
export function tempDirs(): { make(): string; removeAll(): void } {
  const made: string[] = [];
  return {
    make() {
      const dir = mkdtempSync(join(tmpdir(), 'gatehouse-cli-'));
      made.push(dir);
      return dir;
    },
    removeAll() {
      for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function startEngine(dataDir: string): Promise<Engine> {
  return Engine.start({
    dataDir,
    port: 0,
    effects: headlessEffects(dataDir, silentLogger),
    preferences: new MemoryKeyValueStore(),
    version: '0.0.0-test',
  });
}

/**
 * Stops an engine that CLI commands have followed events from. The engine drops an event stream's
 * subscriber only when it sees the connection close, and it writes to a stream it has ended itself
 * (the write-after-end reported with these tests); a moment's pause lets it see the CLI's streams
 * close first.
 */
export async function stopFollowedEngine(engine: Engine): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 200));
  await engine.stop();
}
