// What the bridge tests share: the real `gatehouse bridge` process (compiled CLI) driven by a real
// SDK client over stdio, as Claude Desktop drives it, and helpers to wait for the engine's side.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { Engine } from '../../main/core/engine/engine.js';
import type { PendingConsentView } from '../../main/core/api/contract.js';

export const CLI = join(import.meta.dirname, '..', '..', 'dist', 'main', 'cli', 'gatehouse.js');

/** The child's environment: never start a real desktop app from a test. */
export function bridgeEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
  delete env.GATEHOUSE_DATA_DIR;
  return { ...env, GATEHOUSE_APP_COMMAND: '', ...extra };
}

export interface RunningBridge {
  client: Client;
  /** Resolves when the client has initialized through the bridge. */
  connected: Promise<void>;
  stderr(): string;
  close(): Promise<void>;
}

/** Starts `node <entry> [bridge] --data-dir … [--name …] [--url …]` under an SDK client. */
export function startBridge(options: {
  dataDir: string;
  name?: string;
  url?: string;
  /** The bridge's own entry (the bundle) instead of `gatehouse bridge`. */
  entry?: string;
  /** `--client`: the app the entry Gatehouse wrote says runs the bridge. */
  client?: string;
}): RunningBridge {
  const args = [
    ...(options.entry ? [options.entry] : [CLI, 'bridge']),
    '--data-dir',
    options.dataDir,
    ...(options.name ? ['--name', options.name] : []),
    ...(options.url ? ['--url', options.url] : []),
    ...(options.client ? ['--client', options.client] : []),
  ];
  const transport = new StdioClientTransport({
    command: process.execPath,
    args,
    env: bridgeEnv(),
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const client = new Client({ name: 'claude-desktop-under-test', version: '1.0.0' });
  const connected = client.connect(transport);
  connected.catch(() => undefined);
  return { client, connected, stderr: () => stderr, close: () => client.close() };
}

export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The consent request a client with this name raised in Gatehouse. */
export function pendingConsent(engine: Engine, clientName: string): Promise<PendingConsentView> {
  return waitFor(`a consent request from ${clientName}`, async () =>
    (await engine.call('consents.list')).find((consent) => consent.clientName === clientName),
  );
}

/** Runs a raw stdio exchange: writes `lines`, collects `expected` answers, returns them and stderr. */
export async function rawExchange(
  args: string[],
  lines: unknown[],
  expected: number,
  env: Record<string, string> = bridgeEnv(),
): Promise<{ answers: unknown[]; stderr: string; code: number | null }> {
  const child = spawn(process.execPath, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const answers: unknown[] = [];
  const done = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer; stderr: ${stderr}`)), 20_000);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      let newline: number;
      while ((newline = stdout.indexOf('\n')) >= 0) {
        answers.push(JSON.parse(stdout.slice(0, newline)));
        stdout = stdout.slice(newline + 1);
      }
      if (answers.length >= expected) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  for (const line of lines) child.stdin.write(`${JSON.stringify(line)}\n`);
  await done;
  child.stdin.end();
  // 'close': the bridge's last words on stderr are read before its exit code is reported.
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  return { answers, stderr, code };
}
