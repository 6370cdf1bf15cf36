// What the CLI tests share: a real engine on a free loopback port in a fresh data directory, and the
// CLI run in-process with its output captured.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../../main/core/engine/engine.js';
import type { Logger } from '../../main/core/effects.js';
import { headlessEffects } from '../../main/core/engine/headless.js';
import { runCli, type CliIo } from '../../main/cli/run-cli.js';
import { afterAll, beforeAll, expect } from 'vitest';
import { READ_SCOPE, WRITE_SCOPE } from '../../main/core/resources.js';
import { engineParts } from '../../main/core/engine/engine-parts.js';
import { MemoryKeyValueStore } from './memory-stores.js';

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

/** What the CLI prints under every usage mistake. */
export const USAGE_HINT = 'Run `gatehouse help` for usage.\n';

/** One test file's engine, and the CLI run against it. */
export interface FileEngine {
  /** The engine, started before the file's tests. */
  readonly engine: Engine;
  /** Its data directory. */
  readonly dataDir: string;
  /** `gatehouse <words> --data-dir <dataDir>`, in-process. */
  run(...words: string[]): Promise<CliResult>;
  /** Another fresh directory, removed after the file's tests. */
  makeDir(): string;
}

/** A real engine for one test file: started before its tests, stopped and its folder removed after. */
export function engineForFile(): FileEngine {
  const dirs = tempDirs();
  let started: { engine: Engine; dataDir: string } | undefined;
  const current = () => {
    if (!started) throw new Error('the file engine is used before beforeAll started it');
    return started;
  };
  beforeAll(async () => {
    const dataDir = dirs.make();
    started = { engine: await startEngine(dataDir), dataDir };
  });
  afterAll(async () => {
    await started?.engine.stop();
    dirs.removeAll();
  });
  return {
    get engine() {
      return current().engine;
    },
    get dataDir() {
      return current().dataDir;
    },
    run: (...words) => gatehouse([...words, '--data-dir', current().dataDir]),
    makeDir: () => dirs.make(),
  };
}

/** Registers a confidential client through the CLI and returns its id and the secret it printed. */
export async function registerClient(
  cli: FileEngine,
  name: string,
): Promise<{ clientId: string; secret: string; stdout: string }> {
  const result = await cli.run(
    'clients',
    'register',
    '--name',
    name,
    '--redirect-uri',
    'http://127.0.0.1:7777/callback',
  );
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const clientId = /confidential client (gh_\S+) /.exec(result.stdout)?.[1];
  const secret = /^Client secret: (\S+)$/m.exec(result.stdout)?.[1];
  expect(clientId, result.stdout).toBeDefined();
  expect(secret, result.stdout).toBeDefined();
  return { clientId: clientId!, secret: secret!, stdout: result.stdout };
}

/** A consent request as the authorization server raises it when a client's browser asks. */
export function raiseConsent(
  cli: FileEngine,
  id: string,
  clientId: string,
  clientName: string,
  matchCode: string,
): void {
  engineParts(cli.engine).authorization.consents.raise(id, {
    clientId,
    clientName,
    kind: 'manual',
    redirectHost: '127.0.0.1:7777',
    matchCode,
    requestedScopes: [READ_SCOPE, WRITE_SCOPE],
    resource: cli.engine.mcpUrl,
    viaBridge: false,
    revokedAt: null,
  });
}
