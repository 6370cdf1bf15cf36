// The official MCP conformance suite's client authorization scenarios (spec 2025-11-25) against
// Gatehouse's upstream OAuth client. The suite starts its own resource and authorization servers per
// scenario and runs test/fixtures/conformance-client.mjs with the server URL; that client is
// Gatehouse's HTTP connector, its requests authorized by UpstreamOAuth, and follows the suite's
// auto-approving authorization redirect itself. Checks are read back from the suite's saved results.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  budgetFor,
  runClient,
  runClientEach,
  type ClientSuiteRun,
  type ConformanceCheck,
} from '../support/conformance-suite.js';

const flow = [
  'prm-pathbased-requested',
  'authorization-server-metadata',
  'authorization-request',
  'pkce-code-challenge-sent',
  'pkce-s256-method-used',
  'token-request',
  'pkce-code-verifier-sent',
  'pkce-verifier-matches-challenge',
  'valid-bearer-token',
];
const resourceParameter = [
  'resource-parameter-in-authorization',
  'resource-parameter-in-token',
  'resource-parameter-valid-uri',
  'resource-parameter-consistency',
  'resource-parameter-matches-prm',
];

/** The checks each scenario must report as SUCCESS (every other check must be SUCCESS or INFO). */
const required: Record<string, string[]> = {
  'auth/metadata-default': [...flow, 'client-registration', ...resourceParameter],
  'auth/metadata-var1': [...flow, 'client-registration', ...resourceParameter],
  'auth/metadata-var2': [...flow, 'client-registration', ...resourceParameter],
  'auth/metadata-var3': [...flow, 'client-registration', ...resourceParameter],
  'auth/basic-cimd': [...flow, 'cimd-client-id-used'],
  'auth/scope-from-www-authenticate': [...flow, 'client-registration', 'scope-from-www-authenticate'],
  'auth/scope-from-scopes-supported': [...flow, 'client-registration', 'scope-from-scopes-supported'],
  'auth/scope-omitted-when-undefined': [...flow, 'client-registration', 'scope-omitted-when-undefined'],
  'auth/scope-step-up': [...flow, 'client-registration', 'scope-step-up-initial', 'scope-step-up-escalation'],
  'auth/scope-retry-limit': [...flow.filter((id) => id !== 'valid-bearer-token'), 'scope-retry-limit'],
  'auth/token-endpoint-auth-basic': [
    ...flow,
    'client-registration',
    'token-endpoint-auth-method',
    ...resourceParameter,
  ],
  'auth/token-endpoint-auth-post': [
    ...flow,
    'client-registration',
    'token-endpoint-auth-method',
    ...resourceParameter,
  ],
  'auth/token-endpoint-auth-none': [
    ...flow,
    'client-registration',
    'token-endpoint-auth-method',
    ...resourceParameter,
  ],
  'auth/pre-registration': [...flow, 'pre-registration-auth'],
};

/** id → 'SUCCESS', or every non-success status with the suite's own message. */
function verdictsFor(checks: ConformanceCheck[], ids: string[]): Record<string, string> {
  return Object.fromEntries(
    ids.map((id) => {
      const matching = checks.filter((check) => check.id === id);
      if (matching.length === 0) return [id, 'MISSING'];
      const bad = matching.filter((check) => check.status !== 'SUCCESS');
      return [
        id,
        bad.length === 0
          ? 'SUCCESS'
          : bad.map((check) => `${check.status}: ${check.errorMessage ?? check.description}`).join('; '),
      ];
    }),
  );
}

describe('conformance client auth scenarios (spec 2025-11-25) against the upstream OAuth client', () => {
  let run: ClientSuiteRun;
  beforeAll(
    async () => {
      run = await runClient(['--suite', 'auth', '--spec-version', '2025-11-25'], 50_000);
    },
    budgetFor(1, 1, 50_000),
  );

  it('ran exactly the 2025-11-25 auth scenarios, and the suite passed', () => {
    expect([...run.scenarios.keys()].sort(), run.output).toEqual(Object.keys(required).sort());
    expect(run.exitCode, run.output).toBe(0);
  });

  it.each(Object.keys(required))('%s', (scenario) => {
    const checks = run.scenarios.get(scenario) ?? [];
    const ids = required[scenario] ?? [];
    expect(verdictsFor(checks, ids), run.output).toEqual(
      Object.fromEntries(ids.map((id) => [id, 'SUCCESS'])),
    );
    const others = checks
      .filter((check) => check.status !== 'SUCCESS' && check.status !== 'INFO')
      .map((check) => `${check.id}: ${check.status} ${check.errorMessage ?? check.description}`);
    expect(others).toEqual([]);
  });

  it('does not register dynamically with a metadata document or a pre-registered client', () => {
    for (const scenario of ['auth/basic-cimd', 'auth/pre-registration'])
      expect(run.scenarios.get(scenario)?.some((check) => check.id === 'client-registration')).toBe(false);
  });

  it('asks the user once in the retry-limit scenario and twice (basic, then basic + write) on step-up', () => {
    const attempts = run.scenarios
      .get('auth/scope-retry-limit')
      ?.filter((check) => check.id === 'scope-retry-auth-attempt');
    expect(attempts).toHaveLength(1);
    const stepUp = run.scenarios.get('auth/scope-step-up') ?? [];
    expect(
      stepUp
        .filter((check) => check.id === 'authorization-request')
        .map((check) => (check.details as { query?: { scope?: string } } | undefined)?.query?.scope),
    ).toEqual(['mcp:basic', 'mcp:basic mcp:write']);
  });

  it('never requests the root protected resource metadata when the challenge names the path-based one', () => {
    expect(
      run.scenarios.get('auth/metadata-default')?.some((check) => check.id === 'prm-priority-order'),
    ).toBe(false);
  });
});

/**
 * Scenarios of the 2026-07-28 revision that test authorization, on the 2025-11-25 lifecycle too
 * (`--force`): a connector to a 2025-era server authorizes the same way (client-2026.test.ts runs them
 * at the 2026-07-28 wire). They cover the
 * RFC 9207 `iss` checks, a resource that does not match, offline_access, and a resource that moves to
 * another authorization server (SEP-2352).
 */
const draftScenarios = [
  'auth/authorization-server-migration',
  'auth/resource-mismatch',
  'auth/offline-access-scope',
  'auth/offline-access-not-supported',
  'auth/iss-supported',
  'auth/iss-not-advertised',
  'auth/iss-supported-missing',
  'auth/iss-wrong-issuer',
  'auth/iss-unexpected',
  'auth/iss-normalized',
  'auth/metadata-issuer-mismatch',
];

describe('conformance client auth scenarios of the 2026-07-28 draft, on the 2025-11-25 lifecycle', () => {
  let runs = new Map<string, ClientSuiteRun>();
  beforeAll(
    async () => {
      runs = await runClientEach(
        draftScenarios,
        () => ['--spec-version', '2025-11-25', '--force'],
        4,
        40_000,
      );
    },
    budgetFor(draftScenarios.length, 4, 40_000),
  );

  it.each(draftScenarios)('%s', (scenario) => {
    const run = runs.get(scenario);
    const checks = run?.scenarios.get(scenario) ?? [];
    expect(checks.length, run?.output).toBeGreaterThan(0);
    const others = checks
      .filter((check) => check.status !== 'SUCCESS' && check.status !== 'INFO')
      .map((check) => `${check.id}: ${check.status} ${check.errorMessage ?? check.description}`);
    expect(others, run?.output).toEqual([]);
    expect(run?.exitCode, run?.output).toBe(0);
  });
});
