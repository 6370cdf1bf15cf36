// The official MCP conformance suite's server scenarios run THROUGH Gatehouse: the suite's client
// talks to /mcp/conformance, and the connector behind it is the suite's fixture server
// (test/fixtures/conformance-upstream.ts, rewritten from the scenario definitions), so every tool
// call, prompt, resource read, completion, log message, progress notification and sampling or
// elicitation request crosses Gatehouse's policy and forwarding both ways. The suite's `server`
// command cannot present a bearer token, so it talks to the bearer proxy, as in server.test.ts (it
// forwards any path, /mcp/conformance included). The fixture is an HTTP connector, so its own
// Streamable HTTP behaviour (SSE streams, resumption) is exercised on the upstream leg as well.
//
// Sampling, elicitation and the upstream's log messages that belong to a tools/call reach the suite's
// client on that call's own stream (upstream-traffic.ts relates them to the call); anything the
// upstream sends outside a call goes on the client's standalone GET stream.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineOptions } from '../../main/core/engine/engine-options.js';
import { startEngine, type EngineFixture } from '../support/engine-fixture.js';
import { obtainTokens } from '../support/raw-oauth.js';
import { startBearerProxy, type BearerProxy } from '../support/bearer-proxy.js';
import { runConformance, verdicts, type SuiteRun } from '../support/conformance-suite.js';
import { startConformanceUpstream, type ConformanceUpstream } from '../fixtures/conformance-upstream.js';

const CONNECTOR = 'conformance';

let upstream: ConformanceUpstream;
let fixture: EngineFixture;
let proxy: BearerProxy;
// A second Gatehouse on the same fixture that streams every answer (mcpStreamAfterMs 0): the SSE
// scenarios judge SSE streams, and the default one answers quick calls as one JSON body, which the
// suite only notes (INFO) — so those two are judged here, against this one.
let streaming: EngineFixture;
let streamingProxy: BearerProxy;
beforeAll(async () => {
  upstream = await startConformanceUpstream();
  ({ fixture, proxy } = await gatehouseOnFixture({}));
  ({ fixture: streaming, proxy: streamingProxy } = await gatehouseOnFixture({ mcpStreamAfterMs: 0 }));
});
afterAll(async () => {
  await proxy?.close();
  await fixture?.stop();
  await streamingProxy?.close();
  await streaming?.stop();
  await upstream?.close();
});

async function gatehouseOnFixture(
  options: Partial<EngineOptions>,
): Promise<{ fixture: EngineFixture; proxy: BearerProxy }> {
  const started = await startEngine(options);
  const { engine } = started;
  await engine.call('settings.set', { accessCeiling: 'write' });
  const added = await engine.call('connectors.add', {
    name: CONNECTOR,
    settings: { kind: 'http', url: upstream.url, transport: 'streamable-http' },
  });
  expect(added.status.connection, JSON.stringify(added.status)).toBe('connected');
  // The fixture's tools carry no annotations, so Gatehouse classes them write and asks before each
  // call; nobody is there to answer, so the user's choice here is "never ask".
  for (const tool of await engine.call('tools.list', { connector: CONNECTOR })) {
    await engine.call('tools.set', { connector: CONNECTOR, tool: tool.name, approval: 'never' });
  }
  const tokens = await obtainTokens(engine, {
    access: 'write',
    resource: `${engine.issuer}/mcp/${CONNECTOR}`,
  });
  return { fixture: started, proxy: await startBearerProxy(engine.port, tokens.accessToken) };
}

const calls = (scenario: string, ...extra: string[]) => ({
  scenario,
  checks: [scenario, ...extra, 'wire-schema-valid'],
});

/** Every 2025-11-25 server scenario, with the checks each must pass. */
const scenarios: Array<{ scenario: string; checks: string[] }> = [
  calls('server-initialize', 'server-session-id-visible-ascii'),
  {
    scenario: 'server-session-lifecycle',
    checks: [
      'server-session-initialized-accepted',
      'server-session-delete-accepted',
      'server-session-terminated-returns-404',
    ],
  },
  calls('logging-set-level'),
  calls('ping'),
  calls('completion-complete'),
  calls('tools-list', 'tools-name-format'),
  calls('tools-call-simple-text'),
  calls('tools-call-image'),
  calls('tools-call-audio'),
  calls('tools-call-embedded-resource'),
  calls('tools-call-mixed-content'),
  calls('tools-call-with-logging'),
  calls('tools-call-error'),
  calls('tools-call-with-progress'),
  calls('tools-call-sampling'),
  calls('tools-call-elicitation'),
  {
    scenario: 'json-schema-2020-12',
    checks: [
      'json-schema-2020-12-tool-found',
      'json-schema-2020-12-$schema',
      'json-schema-2020-12-$defs',
      'json-schema-2020-12-additionalProperties',
      'sep-2106-composition-keywords-preserved',
      'sep-2106-conditional-keywords-preserved',
      'sep-2106-anchor-keyword-preserved',
      'wire-schema-valid',
    ],
  },
  {
    scenario: 'elicitation-sep1034-defaults',
    checks: [
      'elicitation-sep1034-string-default',
      'elicitation-sep1034-integer-default',
      'elicitation-sep1034-number-default',
      'elicitation-sep1034-enum-default',
      'elicitation-sep1034-boolean-default',
      'wire-schema-valid',
    ],
  },
  {
    scenario: 'elicitation-sep1330-enums',
    checks: [
      'elicitation-sep1330-untitled-single',
      'elicitation-sep1330-titled-single',
      'elicitation-sep1330-legacy-enumnames',
      'elicitation-sep1330-untitled-multi',
      'elicitation-sep1330-titled-multi',
      'wire-schema-valid',
    ],
  },
  calls('resources-list'),
  calls('resources-read-text'),
  calls('resources-read-binary'),
  calls('resources-templates-read'),
  calls('resources-subscribe'),
  calls('resources-unsubscribe'),
  calls('prompts-list'),
  calls('prompts-get-simple'),
  calls('prompts-get-with-args'),
  calls('prompts-get-embedded-resource'),
  calls('prompts-get-with-image'),
  {
    scenario: 'dns-rebinding-protection',
    checks: ['localhost-host-rebinding-rejected', 'localhost-host-valid-accepted'],
  },
];

/** The SSE scenarios, judged against the Gatehouse that streams every answer. */
const sseScenarios: Array<{ scenario: string; checks: string[] }> = [
  {
    scenario: 'server-sse-polling',
    checks: ['server-sse-priming-event', 'server-sse-retry-field', 'server-sse-disconnect-resume'],
  },
  {
    scenario: 'server-sse-multiple-streams',
    checks: ['server-accepts-multiple-post-streams', 'server-sse-streams-functional'],
  },
];

/**
 * Checks Gatehouse does not pass yet, with the verdict the suite gives today (its own message, from
 * `verdicts`). Each is Gatehouse's, not the fixture's: run straight against the fixture, every one
 * of them succeeds. Asserted exactly, like the suite's own expected-failures baseline, so a fix makes
 * this test fail until its entry is deleted here and the check is held to SUCCESS with the rest.
 */
const KNOWN_GAPS: Record<string, Record<string, string>> = {
  // INFO by design through any gateway: test_reconnection closes the upstream's SSE stream, which
  // Gatehouse's own upstream client resumes with Last-Event-ID, while the client's stream to Gatehouse
  // stays open and carries the result.
  'server-sse-polling': {
    'server-sse-disconnect-resume':
      'INFO: Server closes SSE stream mid-call and resumes after reconnection {"receivedToolResponse":true,"message":"Tool response received on initial POST stream - server did not disconnect mid-call. The test_reconnection tool should close the stream before sending the result."}',
  },
};

describe(`conformance server suite through /mcp/${CONNECTOR}`, () => {
  // One run of every 2025-11-25 scenario, in the suite's order, one after another (a few seconds;
  // a CLI per scenario would spend most of the time starting Node).
  let run: SuiteRun;
  beforeAll(async () => {
    run = await runConformance(
      [
        'server',
        '--url',
        `${proxy.origin}/mcp/${CONNECTOR}`,
        '--spec-version',
        '2025-11-25',
        '--suite',
        'all',
        '--timeout',
        '15000',
      ],
      { timeoutMs: 80_000 },
    );
  }, 90_000);

  it('runs exactly the scenarios listed here', () => {
    expect([...run.scenarios.keys()].sort(), run.output).toEqual(
      [...scenarios, ...sseScenarios].map((s) => s.scenario).sort(),
    );
  });

  it.each(scenarios)('$scenario passes every check', ({ scenario, checks }) => {
    expect(judge(run, scenario, checks)).toEqual(expectedVerdicts(scenario, checks));
  });

  it('exits as the known gaps say', () => {
    const failing = Object.values(KNOWN_GAPS).some((gaps) =>
      Object.values(gaps).some((verdict) => verdict.startsWith('FAILURE')),
    );
    expect(run.exitCode, run.output).toBe(failing ? 1 : 0);
  });
});

describe(`conformance SSE scenarios through /mcp/${CONNECTOR}, every answer streamed`, () => {
  it.each(sseScenarios)(
    '$scenario passes every check',
    async ({ scenario, checks }) => {
      const run = await runConformance(
        [
          'server',
          '--url',
          `${streamingProxy.origin}/mcp/${CONNECTOR}`,
          '--spec-version',
          '2025-11-25',
          '--scenario',
          scenario,
          '--timeout',
          '15000',
        ],
        { timeoutMs: 40_000 },
      );
      expect(judge(run, scenario, checks), run.output).toEqual(expectedVerdicts(scenario, checks));
    },
    45_000,
  );
});

/** A scenario's verdicts: INFO checks narrate (requests sent, events seen) unless named; the rest judge. */
function judge(run: SuiteRun, scenario: string, checks: string[]): Record<string, string> {
  return verdicts(
    (run.scenarios.get(scenario) ?? []).filter(
      (check) => check.status !== 'INFO' || checks.includes(check.id),
    ),
  );
}

function expectedVerdicts(scenario: string, checks: string[]): Record<string, string> {
  const gaps = KNOWN_GAPS[scenario] ?? {};
  return Object.fromEntries(checks.map((id) => [id, gaps[id] ?? 'SUCCESS']));
}
