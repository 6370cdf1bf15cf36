// From "revoke" returning to the client's next request failing and its open streams closed: a real
// client with a 2025-era MCP session and its standalone SSE stream, and a 2026-07-28
// `subscriptions/listen` stream on the same token, is revoked through the local API, exactly as the
// CLI and the window do it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEngine } from '../test/support/engine-fixture.js';
import { envelope } from '../test/support/eras.js';
import { initializeMessage, mcpPost, obtainTokens } from '../test/support/raw-oauth.js';
import { API_SECRET_FILE } from '../main/core/engine/engine-record.js';
import { median, nowMs, percentile, type Benchmark } from './harness.js';

const ITERATIONS = 40;
const MODERN = '2026-07-28';

/** Resolves with the time a response body has ended (the server closed the stream). */
function endOf(body: ReadableStream<Uint8Array>): { ended: Promise<void>; at: () => number } {
  const reader = body.getReader();
  let at = Number.POSITIVE_INFINITY;
  const ended = (async () => {
    try {
      for (;;) if ((await reader.read()).done) break;
    } catch {
      /* closed by the server */
    }
    at = nowMs();
  })();
  return { ended, at: () => at };
}

export const revokeLatency: Benchmark = {
  id: 'revoke',
  async run() {
    const fixture = await startEngine({
      registrationLimit: { count: 10_000, windowMs: 60_000 },
    });
    const { engine } = fixture;
    const apiSecret = readFileSync(join(fixture.dataDir, API_SECRET_FILE), 'utf8').trim();
    const untilFailure: number[] = [];
    const untilModernFailure: number[] = [];
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
        const legacyStream = endOf(stream.body);
        const listen = await fetch(engine.mcpUrl, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${tokens.accessToken}`,
            'content-type': 'application/json',
            accept: 'application/json, text/event-stream',
            'mcp-protocol-version': MODERN,
            'mcp-method': 'subscriptions/listen',
          },
          body: JSON.stringify({
            jsonrpc: '2.0',
            id: 1,
            method: 'subscriptions/listen',
            params: { notifications: { toolsListChanged: true }, _meta: envelope(MODERN) },
          }),
        });
        if (!(listen.headers.get('content-type') ?? '').startsWith('text/event-stream') || !listen.body)
          throw new Error(`subscriptions/listen answered ${listen.status}`);
        const listenStream = endOf(listen.body);

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
        const nextModern = await mcpPost(
          engine,
          tokens.accessToken,
          { jsonrpc: '2.0', id: 10, method: 'tools/list', params: { _meta: envelope(MODERN) } },
          '/mcp',
          { 'mcp-protocol-version': MODERN, 'mcp-method': 'tools/list' },
        );
        const t3 = nowMs();
        if (nextModern.status !== 401)
          throw new Error(`2026-07-28 request after revoke answered ${nextModern.status}`);
        const bothEnded = Promise.all([legacyStream.ended, listenStream.ended]);
        await Promise.race([bothEnded, new Promise((r) => setTimeout(r, 1000))]);
        if (!Number.isFinite(legacyStream.at())) throw new Error('the SSE stream stayed open after revoke');
        if (!Number.isFinite(listenStream.at()))
          throw new Error('the listen stream stayed open after revoke');
        revokeCall.push(t1 - t0);
        untilFailure.push(Math.max(t2, legacyStream.at()) - t1);
        // The 2026-07-28 request went out after the 2025-era one: count only its own round trip.
        untilModernFailure.push(Math.max(t3 - t2, listenStream.at() - t1));
      }
    } finally {
      await fixture.stop();
    }
    return {
      title: 'Revoke: next request refused and streams closed, both eras',
      description: `${ITERATIONS} clients, each with an initialized 2025-era MCP session and its standalone SSE stream, and a 2026-07-28 subscriptions/listen stream on the same token, revoked through POST /api/rpc/clients.revoke. Measured from the revoke call returning until the client's next request of that era has been answered 401 and its stream has ended (the 2026-07-28 request is sent after the 2025-era one; its time excludes the 2025-era request's).`,
      measurements: [
        {
          name: '2025 era: revoke returned → request refused and SSE stream closed, median',
          value: median(untilFailure),
          unit: 'ms',
          target: { op: '<', value: 20 },
        },
        { name: 'same, worst of run', value: Math.max(...untilFailure), unit: 'ms' },
        {
          name: '2026-07-28: revoke returned → request refused and listen stream closed, median',
          value: median(untilModernFailure),
          unit: 'ms',
          target: { op: '<', value: 20 },
        },
        { name: '2026-07-28, worst of run', value: Math.max(...untilModernFailure), unit: 'ms' },
        { name: 'revoke API call itself, median', value: median(revokeCall), unit: 'ms' },
        { name: 'revoke API call itself, p90', value: percentile(revokeCall, 90), unit: 'ms' },
      ],
    };
  },
};
