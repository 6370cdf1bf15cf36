// The HTTP floor of the benchmarks (bench/fixtures/echo-http-server.mjs: the SDK's Streamable HTTP
// server answering echo) as a real remote MCP server for tests, started and waited for: a test that
// spawned it and connected at once met a port not yet listening on a loaded machine.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { freePort, httpReady, waitFor } from '../../bench/processes.js';

const ECHO_SERVER = join(import.meta.dirname, '..', '..', 'bench', 'fixtures', 'echo-http-server.mjs');

export interface EchoServer {
  readonly port: number;
  readonly child: ChildProcess;
  stop(): void;
}

/** Starts the echo server on a free loopback port and resolves once it answers HTTP at /mcp. */
export async function startEchoServer(): Promise<EchoServer> {
  const port = await freePort();
  const child = spawn(process.execPath, [ECHO_SERVER, String(port)], { stdio: 'ignore' });
  const stop = () => {
    if (child.exitCode === null) child.kill('SIGKILL');
  };
  // waitFor reads a throw as "not yet", so an exit ends the wait beside it, at once.
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`the echo server exited with ${code}`))),
  );
  exited.catch(() => undefined);
  try {
    await Promise.race([
      waitFor('the echo server did not listen', 20_000, () => httpReady(`http://127.0.0.1:${port}/mcp`)),
      exited,
    ]);
  } catch (error) {
    stop();
    throw error;
  }
  return { port, child, stop };
}
