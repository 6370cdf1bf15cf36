// The official MCP conformance suite's server scenarios against Gatehouse's own /mcp endpoint. The
// suite's `server` command cannot present a bearer token, so it talks to a loopback proxy that adds
// one (test/support/bearer-proxy.ts) and hands foreign Host headers through untouched, so the DNS
// rebinding probe meets Gatehouse's own guard. Only scenarios that exercise Gatehouse's endpoint are
// here: the rest need the suite's fixture tools, resources and prompts, which Gatehouse does not
// serve itself (through-connector.test.ts runs them through /mcp/<connector>), and
// tools-call-simple-text and tools-call-error pass vacuously on an unknown tool, so they prove
// nothing here.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, type EngineFixture } from '../support/engine-fixture.js';
import { obtainTokens } from '../support/raw-oauth.js';
import { startBearerProxy, type BearerProxy } from '../support/bearer-proxy.js';
import { runConformance, verdicts, type SuiteRun } from '../support/conformance-suite.js';

let fixture: EngineFixture;
let proxy: BearerProxy;
// A second Gatehouse that streams every answer (mcpStreamAfterMs 0): the SSE scenarios judge SSE
// streams, and the default one answers quick calls as JSON, which the suite only notes (INFO).
let streaming: EngineFixture;
let streamingProxy: BearerProxy;
beforeAll(async () => {
  fixture = await startEngine();
  const tokens = await obtainTokens(fixture.engine, { access: 'read' });
  proxy = await startBearerProxy(fixture.engine.port, tokens.accessToken);
  streaming = await startEngine({ mcpStreamAfterMs: 0 });
  const streamingTokens = await obtainTokens(streaming.engine, { access: 'read' });
  streamingProxy = await startBearerProxy(streaming.engine.port, streamingTokens.accessToken);
});
afterAll(async () => {
  await proxy?.close();
  await fixture?.stop();
  await streamingProxy?.close();
  await streaming?.stop();
});

async function runScenario(scenario: string, through = proxy): Promise<SuiteRun> {
  return runConformance([
    'server',
    '--url',
    `${through.origin}/mcp`,
    '--scenario',
    scenario,
    '--timeout',
    '15000',
  ]);
}

const scenarios: Array<{ scenario: string; checks: string[] }> = [
  {
    scenario: 'server-initialize',
    checks: ['server-initialize', 'server-session-id-visible-ascii', 'wire-schema-valid'],
  },
  {
    scenario: 'server-session-lifecycle',
    checks: [
      'server-session-initialized-accepted',
      'server-session-delete-accepted',
      'server-session-terminated-returns-404',
    ],
  },
  { scenario: 'ping', checks: ['ping', 'wire-schema-valid'] },
  { scenario: 'tools-list', checks: ['tools-list', 'tools-name-format', 'wire-schema-valid'] },
  {
    scenario: 'dns-rebinding-protection',
    checks: ['localhost-host-rebinding-rejected', 'localhost-host-valid-accepted'],
  },
];

describe('conformance server suite against /mcp', () => {
  it.each(scenarios)('$scenario passes every check', async ({ scenario, checks }) => {
    const run = await runScenario(scenario);
    const expected = Object.fromEntries(checks.map((id) => [id, 'SUCCESS']));
    expect(verdicts(run.scenarios.get(scenario) ?? []), run.output).toEqual(expected);
    expect(run.exitCode, run.output).toBe(0);
  });

  it('server-sse-multiple-streams passes every check with every answer streamed', async () => {
    const run = await runScenario('server-sse-multiple-streams', streamingProxy);
    expect(verdicts(run.scenarios.get('server-sse-multiple-streams') ?? []), run.output).toEqual({
      'server-accepts-multiple-post-streams': 'SUCCESS',
      'server-sse-streams-functional': 'SUCCESS',
    });
    expect(run.exitCode, run.output).toBe(0);
  });

  it("answers the DNS rebinding probe with Gatehouse's own guard, not the proxy", async () => {
    const run = await runScenario('dns-rebinding-protection');
    const probe = run.scenarios
      .get('dns-rebinding-protection')
      ?.find((c) => c.id === 'localhost-host-rebinding-rejected');
    expect(probe?.details, run.output).toMatchObject({ hostHeader: 'evil.example.com', statusCode: 403 });
    const { port } = new URL(proxy.origin);
    const direct = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port, path: '/mcp', method: 'GET', headers: { host: 'evil.example.com' } },
        (res) => {
          let body = '';
          res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(direct.status).toBe(403);
    expect(direct.body).toContain(
      `Gatehouse only answers requests addressed to 127.0.0.1:${fixture.engine.port}`,
    );
  });
});
