// A real `gatehouse serve` process (the compiled CLI) on a data directory and port, for tests that
// kill, restart or read the output of the engine as a user runs it.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/client';
import type { EngineClient } from '../../main/cli/command-context/engine-client.js';
import type { Engine } from '../../main/core/engine/engine.js';
import { authorizeClient } from './oauth-client.js';

export const CLI = join(import.meta.dirname, '..', '..', 'dist', 'main', 'cli', 'gatehouse.js');

export interface ServeProcess {
  child: ChildProcess;
  /** Everything it printed so far, stdout and stderr together. */
  output(): string;
}

/**
 * Starts `gatehouse serve` and resolves once it says it is running; `started` collects the child so
 * the test's cleanup can kill it. Rejects with its output if it exits or takes more than 30 s.
 */
export async function startServe(
  dataDir: string,
  port: number,
  started: ChildProcess[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<ServeProcess> {
  const child = spawn(process.execPath, [CLI, 'serve', '--port', String(port), '--data-dir', dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
  });
  started.push(child);
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const deadline = Date.now() + 30_000;
  while (!output.includes('is running')) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`serve did not start: ${output}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { child, output: () => output };
}

/** SIGKILL, resolved once the process has exited. */
export function killHard(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

/**
 * An SDK client of a running serve on `port`, signed in with write access through its own OAuth, every
 * listed tool set to run without asking first (the tests that use it call tools, not approvals).
 */
export async function writeClientOfServe(engine: EngineClient, port: number): Promise<Client> {
  for (const tool of await engine.call('tools.list', {})) {
    await engine.call('tools.set', { connector: tool.connector, tool: tool.name, approval: 'never' });
  }
  // What authorizeClient uses of an engine, from the CLI's client of the serve process.
  const asEngine = {
    mcpUrl: `http://127.0.0.1:${port}/mcp`,
    call: engine.call.bind(engine),
  } as unknown as Engine;
  return (await authorizeClient(asEngine, { access: 'write' })).client;
}
