// The official MCP conformance suite's client scenarios no other file runs, against Gatehouse's
// upstream client (test/fixtures/conformance-client.ts): the 2025-11-25 lifecycle ones (`initialize`,
// `tools_call`, `sse-retry`, `elicitation-sep1034-client-defaults`), the 2025-03-26 authorization
// back-compat ones, and the SEP-2640 skills extension. Each scenario is one CLI run; where one cannot
// pass, its test says exactly why and holds the suite's verdict to what it is today.
import { beforeAll, describe, expect, it } from 'vitest';
import { budgetFor, runClientEach, statusById, type ClientSuiteRun } from '../support/conformance-suite.js';

/** Scenario → the arguments it runs with. */
const runsOf: Record<string, string[]> = {
  initialize: ['--spec-version', '2025-11-25'],
  tools_call: ['--spec-version', '2025-11-25'],
  'sse-retry': ['--spec-version', '2025-11-25'],
  'elicitation-sep1034-client-defaults': ['--spec-version', '2025-11-25'],
  'auth/2025-03-26-oauth-metadata-backcompat': ['--spec-version', '2025-03-26'],
  'auth/2025-03-26-oauth-endpoint-fallback': ['--spec-version', '2025-03-26'],
  'sep-2640-client-no-prefetch': [],
  'sep-2640-client-verify-digest': [],
  'sep-2640-client-verify-size': [],
  'sep-2640-client-verify-frontmatter': [],
};

describe('conformance client scenarios of the 2025 revisions and extensions', () => {
  let runs = new Map<string, ClientSuiteRun>();
  beforeAll(
    async () => {
      runs = await runClientEach(Object.keys(runsOf), (scenario) => runsOf[scenario] ?? [], 3, 40_000);
    },
    budgetFor(Object.keys(runsOf).length, 3, 40_000),
  );

  const statuses = (scenario: string) => {
    const run = runs.get(scenario);
    return { run, got: statusById(run?.scenarios.get(scenario) ?? []) };
  };

  it.each([
    ['initialize', ['mcp-client-initialization']],
    ['tools_call', ['tool-add-numbers', 'wire-schema-valid']],
    // The server closes the call's stream; the client waits `retry` ms and resumes with Last-Event-ID.
    ['sse-retry', ['client-sse-graceful-reconnect', 'client-sse-retry-timing', 'client-sse-last-event-id']],
    // The 2025-03-26 server has no protected resource metadata: the client finds the authorization
    // server's metadata at the server's own origin and signs in.
    [
      'auth/2025-03-26-oauth-metadata-backcompat',
      [
        'authorization-server-metadata',
        'client-registration',
        'authorization-request',
        'token-request',
        'valid-bearer-token',
      ],
    ],
    // Nor any authorization server metadata (every well-known URL answers 404): the client uses the
    // 2025-03-26 default endpoints /register, /authorize and /token at the server's origin.
    [
      'auth/2025-03-26-oauth-endpoint-fallback',
      ['client-registration', 'authorization-request', 'token-request'],
    ],
  ])('%s passes every check', (scenario, ids) => {
    const { run, got } = statuses(scenario);
    expect(
      Object.fromEntries(Object.entries(got).filter(([id]) => ids.includes(id) || got[id] !== 'SUCCESS')),
      run?.output,
    ).toEqual(Object.fromEntries(ids.map((id) => [id, 'SUCCESS'])));
    expect(run?.exitCode, run?.output).toBe(0);
  });

  it('elicitation-sep1034-client-defaults: the defaults are the downstream client’s to apply, so four checks fail', () => {
    // Gatehouse relays an upstream's elicitation/create to the client whose call caused it and returns
    // that client's answer unchanged; it declares no `applyDefaults`, since whether defaults are filled
    // in is the answering client's choice. The suite's fixture answer (conformance-client.ts) fills in
    // none, so the checks that the answer carries the schema's defaults fail by construction.
    const { run, got } = statuses('elicitation-sep1034-client-defaults');
    expect(
      Object.fromEntries(Object.entries(got).map(([id, verdict]) => [id, verdict.split(':')[0]])),
      run?.output,
    ).toEqual({
      // The fixture's answer fills in `name`, which is the string field.
      'client-elicitation-sep1034-string-default': 'SUCCESS',
      'client-elicitation-sep1034-integer-default': 'FAILURE',
      'client-elicitation-sep1034-number-default': 'FAILURE',
      'client-elicitation-sep1034-enum-default': 'FAILURE',
      'client-elicitation-sep1034-boolean-default': 'FAILURE',
    });
  });

  it.each([
    ['sep-2640-client-no-prefetch', 'sep-2640-host-no-prefetch'],
    ['sep-2640-client-verify-digest', 'sep-2640-host-verify-digest'],
    ['sep-2640-client-verify-size', 'sep-2640-host-size-mismatch-failure'],
    ['sep-2640-client-verify-frontmatter', 'sep-2640-host-frontmatter-comparison'],
  ])('%s is skipped: Gatehouse is no skills host', (scenario, id) => {
    // SEP-2640 checks a host that loads skills (SKILL.md files a server lists) into its model. Gatehouse
    // loads none: it relays a server's resources, skills included, to the client that loads them, so
    // the suite finds nothing to check and says SKIPPED.
    const run = runs.get(scenario);
    const checks = run?.scenarios.get(scenario) ?? [];
    expect(
      checks.map((check) => [check.id, check.status]),
      run?.output,
    ).toEqual([[id, 'SKIPPED']]);
  });
});
