// `gatehouse activity`'s basics against a real engine: the log oldest first, filters, raw JSON newest
// first, and refused filters. The filters and exports in depth are in activity.test.ts.
import { describe, expect, it } from 'vitest';
import { USAGE_HINT, engineForFile } from '../../support/cli-fixture.js';

const cli = engineForFile();
const run = cli.run;

describe('gatehouse activity', () => {
  it('shows the audit log oldest first, filtered, and raw JSON newest first', async () => {
    await run('pause');
    await run('resume');
    const { code, stdout } = await run('activity', '--since', '1h');
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^TIME +DECISION +EVENT +CLIENT +TOOL +REASON$/);
    const paused = lines.findLastIndex((line) => / access\.paused /.test(line));
    const resumed = lines.findLastIndex((line) => / access\.resumed /.test(line));
    expect(paused).toBeGreaterThan(0);
    expect(resumed).toBe(lines.length - 1);
    expect(lines[paused]).toMatch(
      /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d +info +access\.paused +- +- +The user paused all access$/,
    );

    const filtered = await run('activity', '--type', 'engine.started', '--decision', 'info');
    expect(filtered.stdout.trimEnd().split('\n')).toHaveLength(2);
    const newest = JSON.parse((await run('activity', '--json', '--limit', '1')).stdout) as Array<{
      type: string;
    }>;
    expect(newest.map((event) => event.type)).toEqual(['access.resumed']);
    expect((await run('activity', '--client', 'nobody')).stdout).toBe('No activity matches.\n');
  });

  it('folds the tokenless requests that start a sign-in into one line with a count; --json keeps each', async () => {
    for (let i = 0; i < 3; i++) {
      const response = await fetch(cli.engine.mcpUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: {} }),
      });
      expect(response.status).toBe(401);
    }
    const { stdout } = await run('activity', '--type', 'mcp.request_denied');
    const lines = stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(
      /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d +deny +mcp\.request_denied +- +- +No access token: challenged to authorize \(×3, until \d\d:\d\d:\d\d\)$/,
    );
    const raw = JSON.parse(
      (await run('activity', '--type', 'mcp.request_denied', '--json')).stdout,
    ) as unknown[];
    expect(raw).toHaveLength(3);
  });

  it('refuses bad filters', async () => {
    expect((await run('activity', '--decision', 'maybe')).stderr).toBe(
      `gatehouse: --decision is one of allow, deny, info (got "maybe").\n${USAGE_HINT}`,
    );
    expect((await run('activity', '--since', 'yesterday')).code).toBe(2);
    expect((await run('activity', '--limit', '0')).stderr).toBe(
      `gatehouse: --limit is a whole number from 1 to 10000 (got "0").\n${USAGE_HINT}`,
    );
  });
});
