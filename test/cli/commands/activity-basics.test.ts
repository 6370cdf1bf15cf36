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
