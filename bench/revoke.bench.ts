// From "revoke" returning to the client's next request failing and its open SSE stream closed: a
// real client with an MCP session and a standalone SSE stream is revoked through the local API,
// exactly as the CLI and the window do it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEngine } from '../test/support/engine-fixture.js';
import { initializeMessage, mcpPost, obtainTokens } from '../test/support/raw-oauth.js';
import { API_SECRET_FILE } from '../main/core/engine.js';
import { median, nowMs, percentile, type Benchmark } from './harness.js';

const ITERATIONS = 40;

export const revokeLatency: Benchmark = {
  id: 'revoke',
  async run() {
    const fixture = await startEngine({
      registrationLimit: { count: 10_000, total: 10_000, windowMs: 60_000 },
    });
    const { engine } = fixture;
    const apiSecret = readFileSync(join(fixture.dataDir, API_SECRET_FILE), 'utf8').trim();
    const untilFailure: number[] = [];
    const revokeCall: number[] = [];
    try {
      for (let i = 0; i < ITERATIONS; i++) {
        const tokens = await obtainTokens(engine);
        const init = await mcpPost(engine, tokens.accessToken, initializeMessage);
        const session = { 'mcp-session-id': init.sessionId!, 'mcp-protocol-version': '2025-11-25' };
        await mcpPost(
          engine,
          tokens.accessToken,
          { jsonrpc: '2.0', method: 'notifications/initialized' },
          '/mcp',
          session,
        );
        const stream = await fetch(engine.mcpUrl, {
          headers: { authorization: `Bearer ${tokens.accessToken}`, accept: 'text/event-stream', ...session },
        });
        if (stream.status !== 200 || !stream.body) throw new Error(`SSE stream answered ${stream.status}`);
        const reader = stream.body.getReader();
        let streamClosedAt = Number.POSITIVE_INFINITY;
        const drained = (async () => {
          try {
            for (;;) if ((await reader.read()).done) break;
          } catch {
            /* closed by the server */
          }
          streamClosedAt = nowMs();
        })();

        const t0 = nowMs();
        const res = await fetch(`${engine.issuer}/api/rpc/clients.revoke`, {
          method: 'POST',
          headers: { authorization: `Bearer ${apiSecret}`, 'content-type': 'application/json' },
          body: JSON.stringify({ clientId: tokens.clientId }),
        });
        await res.json();
        const t1 = nowMs();
        const next = await mcpPost(
          engine,
          tokens.accessToken,
          { jsonrpc: '2.0', id: 9, method: 'tools/list' },
          '/mcp',
          session,
        );
        const t2 = nowMs();
        if (next.status !== 401) throw new Error(`request after revoke answered ${next.status}`);
        await Promise.race([drained, new Promise((r) => setTimeout(r, 1000))]);
        if (!Number.isFinite(streamClosedAt)) throw new Error('the SSE stream stayed open after revoke');
        revokeCall.push(t1 - t0);
        untilFailure.push(Math.max(t2, streamClosedAt) - t1);
      }
    } finally {
      await fixture.stop();
    }
    return {
      title: 'Revoke: next request refused and SSE stream closed',
      description: `${ITERATIONS} clients, each with an initialized MCP session and an open standalone SSE stream, revoked through POST /api/rpc/clients.revoke. Measured from the revoke call returning until both the client's next request has been answered 401 and its SSE stream has ended.`,
      measurements: [
        {
          name: 'revoke returned → request refused and stream closed, median',
          value: median(untilFailure),
          unit: 'ms',
          target: { op: '<', value: 20 },
        },
        { name: 'same, worst of run', value: Math.max(...untilFailure), unit: 'ms' },
        { name: 'revoke API call itself, median', value: median(revokeCall), unit: 'ms' },
        { name: 'revoke API call itself, p90', value: percentile(revokeCall, 90), unit: 'ms' },
      ],
    };
  },
};
