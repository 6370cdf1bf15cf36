// The official MCP conformance suite's 2026-07-28 server requirement set (`--requirements 2026-07-28`,
// run at that revision's wire) through /mcp/<connector>, twice: once with a 2026-07-28 fixture upstream
// behind Gatehouse (conformance-upstream-modern.ts, an SDK v2 createMcpHandler serving only that
// revision) and once with the 2025-era fixture (conformance-upstream.ts), whose sampling, elicitation
// and roots requests Gatehouse turns into InputRequiredResult rounds. The suite's client talks to the
// bearer proxy (test/support/bearer-proxy.ts), which adds Gatehouse's token. Every check is held to
// SUCCESS, except the gaps listed below with the verdict the suite gives today (asserted exactly, so a
// fix makes this test fail until its entry goes); docs/decisions.md says why each one remains.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, type EngineFixture } from '../support/engine-fixture.js';
import { obtainTokens } from '../support/raw-oauth.js';
import { startBearerProxy, type BearerProxy } from '../support/bearer-proxy.js';
import { runConformance, type SuiteRun, statusById } from '../support/conformance-suite.js';
import { startConformanceUpstream } from '../fixtures/conformance-upstream.js';
import { startModernConformanceUpstream } from '../fixtures/conformance-upstream-modern.js';
import {
  REQUIRED_SERVER_CHECKS,
  UNSCORED_NOT_PASSING_LEGACY,
  UNSCORED_NOT_PASSING_MODERN,
  UNSCORED_SERVER_CHECKS,
} from './server-checks-2026-07-28.js';

const CONNECTOR = 'conformance';

type Gaps = Record<string, Record<string, string>>;

/**
 * What a 2025-era upstream cannot give a 2026-07-28 client even through a translating gateway: its
 * requests for input carry no keys of its own (the suite expects the fixture's key names, here
 * Gatehouse's `elicitation-1`…), it has no requestState to round-trip, and its prompts cannot ask
 * for input (Gatehouse parks tool calls only).
 */
const LEGACY_GAPS: Gaps = {
  'input-required-result-basic-elicitation': {
    'sep-2322-elicitation-incomplete': 'FAILURE: inputRequests missing expected key "user_name"',
    'sep-2322-elicitation-complete': 'absent',
  },
  'input-required-result-ignore-extra-params': {
    'sep-2322-ignore-unexpected-params':
      'WARNING: Server did not return complete result when valid inputResponses were provided alongside extra keys. Servers SHOULD ignore information they do not recognize.',
  },
  'input-required-result-non-tool-request': {
    'sep-2322-non-tool-incomplete':
      'FAILURE: JSON-RPC error: Prompt test_input_required_result_prompt not found',
    'sep-2322-non-tool-complete': 'absent',
  },
  'input-required-result-request-state': {
    'sep-2322-request-state-incomplete': 'FAILURE: Expected InputRequiredResult',
    'sep-2322-request-state-complete': 'absent',
  },
};

describe.each([
  {
    era: '2026-07-28',
    start: startModernConformanceUpstream,
    gaps: {} as Gaps,
    unscored: UNSCORED_NOT_PASSING_MODERN,
  },
  {
    era: '2025-era',
    start: startConformanceUpstream,
    gaps: LEGACY_GAPS,
    unscored: UNSCORED_NOT_PASSING_LEGACY,
  },
])(
  'conformance 2026-07-28 server requirements through /mcp/conformance, $era upstream',
  ({ start, gaps, unscored }) => {
    let upstream: { close(): Promise<void> };
    let fixture: EngineFixture;
    let proxy: BearerProxy;
    let run: SuiteRun;
    beforeAll(async () => {
      const started = await start();
      upstream = started;
      fixture = await startEngine();
      const { engine } = fixture;
      await engine.call('settings.set', { accessCeiling: 'write' });
      const added = await engine.call('connectors.add', {
        name: CONNECTOR,
        settings: { kind: 'http', url: started.url, transport: 'streamable-http' },
      });
      expect(added.status.connection, JSON.stringify(added.status)).toBe('connected');
      // Unannotated tools ask before each call; nobody is there to answer, so "never ask".
      for (const tool of await engine.call('tools.list', { connector: CONNECTOR }))
        await engine.call('tools.set', { connector: CONNECTOR, tool: tool.name, approval: 'never' });
      const tokens = await obtainTokens(engine, {
        access: 'write',
        resource: `${engine.issuer}/mcp/${CONNECTOR}`,
      });
      proxy = await startBearerProxy(engine.port, tokens.accessToken);
      run = await runConformance(
        [
          'server',
          '--url',
          `${proxy.origin}/mcp/${CONNECTOR}`,
          '--requirements',
          '2026-07-28',
          '--timeout',
          '15000',
        ],
        { timeoutMs: 80_000 },
      );
      // The set runs its scenarios at once; on a loaded machine one can meet "fetch failed" before the
      // chain answers. A required scenario whose verdicts are not as held is run once more alone, at the
      // same revision, and is held to it then.
      const missed = Object.entries(REQUIRED_SERVER_CHECKS)
        .filter(([scenario, checks]) => {
          const got = statusById(run.scenarios.get(scenario) ?? []);
          const want = expected(checks, gaps[scenario]);
          return JSON.stringify(Object.entries(got).sort()) !== JSON.stringify(Object.entries(want).sort());
        })
        .map(([scenario]) => scenario);
      for (const scenario of missed.slice(0, 2)) {
        const alone = await runConformance(
          [
            'server',
            '--url',
            `${proxy.origin}/mcp/${CONNECTOR}`,
            '--scenario',
            scenario,
            '--spec-version',
            '2026-07-28',
            '--timeout',
            '15000',
          ],
          { timeoutMs: 30_000 },
        );
        run.scenarios.set(scenario, alone.scenarios.get(scenario) ?? []);
        run.output += `\n--- ${scenario} run again alone ---\n${alone.output}`;
      }
    }, 190_000);
    afterAll(async () => {
      await proxy?.close();
      await fixture?.stop();
      await upstream?.close();
    });

    it('runs exactly the scenarios of the requirement set', () => {
      expect([...run.scenarios.keys()].sort(), run.output).toEqual(
        [...Object.keys(REQUIRED_SERVER_CHECKS), ...Object.keys(UNSCORED_SERVER_CHECKS)].sort(),
      );
    });

    it.each(Object.entries(REQUIRED_SERVER_CHECKS))('%s passes every check', (scenario, checks) => {
      expect(statusById(run.scenarios.get(scenario) ?? [])).toEqual(expected(checks, gaps[scenario]));
    });

    it('passes the unscored scenarios it can, and fails the others as recorded', () => {
      for (const [scenario, checks] of Object.entries(UNSCORED_SERVER_CHECKS)) {
        const got = Object.fromEntries(
          Object.entries(statusById(run.scenarios.get(scenario) ?? [])).map(([id, v]) => [
            id,
            v.split(':')[0],
          ]),
        );
        expect(got, scenario).toEqual(expected(checks, unscored[scenario]));
      }
    });
  },
);

function expected(checks: string[], gaps: Record<string, string> = {}): Record<string, string> {
  const result: Record<string, string> = {};
  for (const id of checks) if (gaps[id] !== 'absent') result[id] = gaps[id] ?? 'SUCCESS';
  for (const [id, verdict] of Object.entries(gaps)) if (verdict !== 'absent') result[id] = verdict;
  return result;
}
