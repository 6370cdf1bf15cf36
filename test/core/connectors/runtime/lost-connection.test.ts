// A connection lost while calls are in flight, against real server processes: the calls fail at once
// with the reason the connector's status shows (failRequestsInFlight, from the runtime's #onLost), not
// with the SDK's bare "Connection closed" and not at their timeout. A stdio server that exits
// (test/fixtures/tree-server.mjs, `crash`: a line on stderr, then exit code 3) fails a slow call with
// the exit's sentence, is started again, and the next call works; an HTTP server killed with SIGKILL
// (test/fixtures/slow-http-server.mjs) fails a slow call with the loss's sentence.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import type { CallToolResult } from '@modelcontextprotocol/client';
import { afterEach, describe, expect, it } from 'vitest';
import { httpSettings, stdioSettings } from '../../../../main/core/api/connector-config.js';
import { createHttpUpstream } from '../../../../main/core/connectors/runtime/http-upstream.js';
import { createStdioUpstream } from '../../../../main/core/connectors/runtime/stdio-upstream.js';
import { noAuth } from '../../../../main/core/connectors/runtime/upstream-auth.js';
import type { Upstream } from '../../../../main/core/connectors/runtime/upstream.js';
import { until } from '../../../support/upstream-status.js';
import { fixture } from '../../../support/paths.js';
import { killHard } from '../../../support/serve-process.js';

const logger = { info: () => undefined, warn: () => undefined, error: () => undefined };
const clock = { now: () => Date.now() };

const running: Upstream[] = [];
const servers: ChildProcess[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((upstream) => upstream.stop()));
  await Promise.all(servers.splice(0).map((server) => killHard(server)));
});

const text = (result: unknown) => ((result as CallToolResult).content[0] as { text: string }).text;

/** How `call` failed (its message) and how long after `started`; null if it answered. */
async function failureOf(call: Promise<unknown>, started: number) {
  const error = await call.then(
    () => null,
    (e: unknown) => e as Error,
  );
  return { message: error?.message ?? null, ms: performance.now() - started };
}

describe('a stdio server that exits while a call is in flight', () => {
  it('fails the call at once with the exit sentence, restarts, and the next call works', async () => {
    const args = [fixture('tree-server.mjs')];
    const settings = stdioSettings.parse({ kind: 'stdio', command: process.execPath, args });
    const options = { shutdownGraceMs: 300, backoff: { initialMs: 200 } };
    const upstream = createStdioUpstream({ name: 'crashing', settings, deps: { clock, logger }, options });
    running.push(upstream);
    await upstream.start();
    const firstPid = upstream.status().pid;
    const sentence = 'The server exited with code 3. Its stderr says: "tree-server: crashing on purpose"';

    const started = performance.now();
    const slow = upstream.client()!.callTool({ name: 'slow', arguments: {} }, { timeout: 60_000 });
    await upstream.client()!.callTool({ name: 'crash', arguments: {} });
    const failed = await failureOf(slow, started);
    console.log(`stdio exit: the call in flight failed in ${failed.ms.toFixed(0)} ms`);
    expect(failed.message).toBe(sentence);
    expect(failed.ms).toBeLessThan(5_000);
    expect(upstream.status()).toMatchObject({ connection: 'error', lastError: sentence });

    const back = await until(upstream, (status) => status.connection === 'connected');
    expect(back).toMatchObject({ restarts: 1, lastError: null });
    expect(back.pid).not.toBe(firstPid);
    expect(text(await upstream.client()!.callTool({ name: 'echo', arguments: { text: 'after' } }))).toBe(
      'after',
    );
  }, 30_000);
});

/** The slow HTTP server (a sessionful 2025-era one) in a process of its own, and its MCP endpoint. */
async function slowHttpServer() {
  const server = spawn(process.execPath, [fixture('slow-http-server.mjs')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  servers.push(server);
  const [port] = (await once(server.stdout!, 'data')) as [Buffer];
  return { server, url: `http://127.0.0.1:${port.toString().trim()}/mcp` };
}

describe('an HTTP server killed while a call is in flight', () => {
  it("fails the call with the loss's sentence, the one the status shows", async () => {
    const { server, url } = await slowHttpServer();
    const upstream = createHttpUpstream({
      name: 'killed',
      settings: httpSettings.parse({ kind: 'http', url, transport: 'streamable-http', timeoutSeconds: 60 }),
      authorizer: noAuth,
      deps: { clock, logger },
      options: { backoff: { initialMs: 60_000 } },
    });
    running.push(upstream);
    await upstream.start();
    expect(upstream.status()).toMatchObject({ connection: 'connected', protocolVersion: '2025-11-25' });

    const started = performance.now();
    const slow = upstream.client()!.callTool({ name: 'slow', arguments: {} });
    // The call has reached the server (its answer stream is open) before the server dies.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const killed = performance.now();
    await killHard(server);
    const failed = await failureOf(slow, started);
    const afterKill = failed.ms - (killed - started);
    console.log(`killed HTTP server: the call in flight failed ${afterKill.toFixed(0)} ms after the kill`);
    expect(failed.message).toMatch(/^Cannot reach the server at http:\/\/127\.0\.0\.1:\d+\/mcp \(/);
    expect(upstream.status()).toMatchObject({ connection: 'error', lastError: failed.message });
    expect(failed.ms).toBeLessThan(5_000);
  }, 30_000);
});
