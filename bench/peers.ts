// The peer gateways and baselines the gateway benchmarks measure Gatehouse against, each its own process
// on loopback: mcp-proxy, supergateway, server-everything's own Streamable HTTP server, and the SDK's
// HTTP server alone (the floor).
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { everything, root } from './gateway-support.js';
import { freePort, httpReady, launch, waitFor, type Process } from './processes.js';

/** Makes a server that would listen on every interface listen on 127.0.0.1 only (supergateway has no host flag). */
const loopbackOnly = pathToFileURL(join(root, 'bench', 'fixtures', 'loopback-only.mjs')).href;

export interface Peer {
  process: Process;
  url: string;
  port: number;
}

/** Waits until the peer on `port` answers HTTP at /mcp (stopping it if it does not). */
async function peerReady(proc: Process, port: number, what: string): Promise<Peer> {
  const url = `http://127.0.0.1:${port}/mcp`;
  try {
    await waitFor(`${what} did not answer (${proc.stderr().slice(-500)})`, 20_000, async () => {
      if (proc.child.exitCode !== null) throw new Error(`${what} exited: ${proc.stderr()}`);
      // Any HTTP answer (a 4xx to a bare GET) means it listens.
      return httpReady(url);
    });
  } catch (error) {
    await proc.stop();
    throw error;
  }
  return { process: proc, url, port };
}

/** mcp-proxy (punkpeye) exposing the upstream over Streamable HTTP only, on 127.0.0.1. */
export async function startMcpProxy(): Promise<Peer> {
  const port = await freePort();
  const bin = join(root, 'node_modules', 'mcp-proxy', 'dist', 'bin', 'mcp-proxy.mjs');
  const proc = launch(process.execPath, [
    bin,
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
    '--server',
    'stream',
    '--',
    everything.command,
    ...everything.args,
  ]);
  return peerReady(proc, port, 'mcp-proxy');
}

/** supergateway --stateful exposing the upstream over Streamable HTTP (one upstream per session). */
export async function startSupergateway(): Promise<Peer> {
  const port = await freePort();
  const bin = join(root, 'node_modules', 'supergateway', 'dist', 'index.js');
  const stdio = [everything.command, ...everything.args].map((part) => `'${part}'`).join(' ');
  const proc = launch(process.execPath, [
    '--import',
    loopbackOnly,
    bin,
    '--stdio',
    stdio,
    '--outputTransport',
    'streamableHttp',
    '--stateful',
    '--port',
    String(port),
    '--logLevel',
    'none',
  ]);
  return peerReady(proc, port, 'supergateway');
}

/**
 * server-everything serving Streamable HTTP itself (`streamableHttp`: its own Express server, a
 * session each, on PORT; bound to 127.0.0.1 by the loopback preload): the upstream's own throughput
 * to HTTP clients, with no gateway in between.
 */
export async function startEverythingHttp(): Promise<Peer> {
  const port = await freePort();
  const proc = launch(process.execPath, ['--import', loopbackOnly, everything.args[0]!, 'streamableHttp'], {
    ...process.env,
    PORT: String(port),
  });
  return peerReady(proc, port, 'server-everything (streamableHttp)');
}

/** The SDK's own Streamable HTTP server answering echo in-process: the floor for any SDK-based gateway. */
export async function startHttpFloor(): Promise<Peer> {
  const port = await freePort();
  const proc = launch(process.execPath, [
    join(root, 'bench', 'fixtures', 'echo-http-server.mjs'),
    String(port),
  ]);
  return peerReady(proc, port, 'the HTTP floor server');
}

/**
 * The replaying floor (bench/fixtures/replaying-floor.mjs) in front of Gatehouse at `origin`: each
 * era's later tools/calls answered with that era's first answer from Gatehouse, everything else passed
 * on to it.
 */
export async function startReplayingFloor(
  origin: string,
): Promise<Peer & { expectReplayingBothEras(): Promise<void> }> {
  const port = await freePort();
  const proc = launch(process.execPath, [
    join(root, 'bench', 'fixtures', 'replaying-floor.mjs'),
    String(port),
    origin,
  ]);
  const peer = await peerReady(proc, port, 'the replaying floor');
  return {
    ...peer,
    /**
     * Throws unless the floor replays a tools/call answer for both eras (2025-11-25 and 2026-07-28):
     * a first answer that was not one JSON body would leave that era's calls passed on to Gatehouse.
     */
    expectReplayingBothEras: async () => {
      const replayed = (await (await fetch(`http://127.0.0.1:${port}/replayed`)).json()) as string[];
      if (!['2025-11-25', '2026-07-28'].every((version) => replayed.includes(version)))
        throw new Error(
          `the replaying floor replays only ${JSON.stringify(replayed)}: a first answer was not one JSON body`,
        );
    },
  };
}
