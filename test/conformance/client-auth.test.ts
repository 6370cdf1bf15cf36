// The official MCP conformance suite's client authorization scenarios (spec 2025-11-25, and the
// 2026-07-28 requirement set at its own wire) against Gatehouse's upstream OAuth client. The suite
// starts its own resource and authorization servers per scenario and runs
// test/fixtures/conformance-client.mjs with the server URL; that client connects with the SDK, its
// requests authorized by UpstreamOAuth, and follows the suite's auto-approving authorization
// redirect itself. Checks are read back from the suite's saved results, one by one.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONFORMANCE_CLI, type ConformanceCheck } from '../support/conformance-suite.js';

const CLIENT = fileURLToPath(new URL('../fixtures/conformance-client.mjs', import.meta.url));

interface ClientSuiteRun {
  exitCode: number | null;
  output: string;
  scenarios: Map<string, ConformanceCheck[]>;
}

/** Runs `conformance client <selection>` once and reads back the checks of every scenario it saved. */
async function runClient(selection: string[], timeoutMs: number): Promise<ClientSuiteRun> {
  const outputDir = mkdtempSync(join(tmpdir(), 'gatehouse-client-conformance-'));
  try {
    const child = spawn(
      process.execPath,
      [
        CONFORMANCE_CLI,
        'client',
        '--command',
        `${process.execPath} ${CLIENT}`,
        ...selection,
        '-o',
        outputDir,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const timer = setTimeout(() => {
      output += `\n[killed after ${timeoutMs} ms]\n`;
      child.kill();
    }, timeoutMs);
    const exitCode = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', resolve);
    }).finally(() => clearTimeout(timer));
    // Client scenarios are saved as `<dir>/auth/<scenario>-<timestamp>/checks.json`.
    const scenarios = new Map<string, ConformanceCheck[]>();
    const authDir = join(outputDir, 'auth');
    for (const entry of existsSync(authDir) ? readdirSync(authDir) : []) {
      const file = join(authDir, entry, 'checks.json');
      if (existsSync(file))
        scenarios.set(
          `auth/${entry.replace(/-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z$/, '')}`,
          JSON.parse(readFileSync(file, 'utf8')) as ConformanceCheck[],
        );
    }
    return { exitCode, output, scenarios };
  } finally {
    rmSync(outputDir, { recursive: true, force: true });
  }
}

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
  beforeAll(async () => {
    run = await runClient(['--suite', 'auth', '--spec-version', '2025-11-25'], 50_000);
  }, 55_000);

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
 * Checks the 2026-07-28 revision adds to the 2025-11-25 scenarios, and those of its new scenarios:
 * SEP-837 `application_type` at DCR, SEP-2350 scope union on step-up, SEP-2352 re-registration when
 * the authorization server changes, SEP-2207 offline_access, RFC 9207 `iss` (SEP-2468), RFC 8707
 * resource mismatch.
 */
const required2026: Record<string, string[]> = {
  ...Object.fromEntries(
    Object.entries(required).map(([scenario, ids]) => [
      scenario,
      ids.includes('client-registration') ? [...ids, 'sep-837-application-type-present'] : ids,
    ]),
  ),
  'auth/scope-step-up': [
    ...required['auth/scope-step-up']!,
    'sep-837-application-type-present',
    'sep-2350-scope-union-on-reauth',
  ],
  'auth/scope-retry-limit': [...required['auth/scope-retry-limit']!, 'client-registration'],
  'auth/resource-mismatch': ['resource-mismatch-rejected'],
  'auth/offline-access-scope': [...flow, 'sep-2207-offline-access-requested'],
  'auth/offline-access-not-supported': [
    ...flow,
    'client-registration',
    'sep-2207-offline-access-not-requested',
  ],
  'auth/authorization-server-migration': [
    ...flow,
    'client-registration',
    'sep-837-application-type-present',
    'sep-2352-reregister-on-as-change',
    'sep-2352-no-reuse-on-as-change',
    'sep-2352-no-cross-as-credential-reuse',
  ],
  'auth/iss-supported': [...flow, 'sep-2468-client-compare-iss-supported'],
  'auth/iss-not-advertised': [...flow, 'sep-2468-client-proceed-no-iss'],
  'auth/iss-supported-missing': ['authorization-request', 'sep-2468-client-reject-missing-iss'],
  'auth/iss-wrong-issuer': ['authorization-request', 'sep-2468-client-compare-iss-supported'],
  'auth/iss-unexpected': ['authorization-request', 'sep-2468-client-compare-iss-unadvertised'],
  'auth/iss-normalized': ['authorization-request', 'sep-2468-client-no-normalization'],
  'auth/metadata-issuer-mismatch': [
    'authorization-server-metadata',
    'sep-2468-client-validate-metadata-issuer',
  ],
};

/** The auth scenarios the suite's frozen 2026-07-28 requirement set names for clients. */
function frozenAuthScenarios(): string[] {
  const listed = spawnSync(process.execPath, [CONFORMANCE_CLI, 'list', '--requirements', '2026-07-28'], {
    encoding: 'utf8',
  }).stdout;
  const clients = listed.slice(listed.indexOf('Client scenarios'), listed.indexOf('Run and reported'));
  return [...clients.matchAll(/^ {2}- (auth\/\S+)$/gm)].map((match) => match[1]!);
}

describe('conformance client auth scenarios of the 2026-07-28 requirement set, at its stateless wire', () => {
  const runs = new Map<string, ClientSuiteRun>();
  beforeAll(async () => {
    // One run per scenario, four at a time: each is a CLI, its servers and a client process. The
    // fixture client speaks 2026-07-28 (SDK v2, pinned) when the suite runs a scenario at it.
    const queue = Object.keys(required2026);
    const worker = async () => {
      for (let scenario = queue.shift(); scenario; scenario = queue.shift())
        runs.set(scenario, await runClient(['--scenario', scenario, '--spec-version', '2026-07-28'], 40_000));
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
  }, 120_000);

  it('covers exactly the auth scenarios the frozen requirement set names', () => {
    expect(Object.keys(required2026).sort()).toEqual(frozenAuthScenarios().sort());
  });

  it.each(Object.keys(required2026))('%s', (scenario) => {
    const run = runs.get(scenario);
    const checks = run?.scenarios.get(scenario) ?? [];
    const ids = required2026[scenario] ?? [];
    expect(verdictsFor(checks, ids), run?.output).toEqual(
      Object.fromEntries(ids.map((id) => [id, 'SUCCESS'])),
    );
    const others = checks
      .filter((check) => check.status !== 'SUCCESS' && check.status !== 'INFO')
      .map((check) => `${check.id}: ${check.status} ${check.errorMessage ?? check.description}`);
    expect(others, run?.output).toEqual([]);
    expect(run?.exitCode, run?.output).toBe(0);
  });

  it('re-registers with the new authorization server and never shows it the old client id (SEP-2352)', () => {
    const checks =
      runs.get('auth/authorization-server-migration')?.scenarios.get('auth/authorization-server-migration') ??
      [];
    expect(checks.filter((check) => check.id === 'client-registration')).toHaveLength(2);
  });
});
