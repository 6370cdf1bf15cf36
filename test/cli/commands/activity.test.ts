// `gatehouse activity` beyond the basics: connector, tool and decision filters, exports to JSON Lines
// and CSV that page through the whole log (read back and checked field by field), and --follow,
// which prints new events as the engine appends them until it is stopped.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEventView } from '../../../main/core/api/contract.js';
import type { Engine } from '../../../main/core/engine/engine.js';
import { runCli } from '../../../main/cli/run-cli.js';
import { gatehouse, startEngine, stopFollowedEngine, tempDirs } from '../../support/cli-fixture.js';
import { engineParts } from '../../../main/core/engine/engine-parts.js';

const dirs = tempDirs();
let engine: Engine;
let dataDir: string;
let out: string;

const run = (...words: string[]) => gatehouse(['--data-dir', dataDir, ...words]);
const usageHint = 'Run `gatehouse help` for usage.\n';

beforeAll(async () => {
  dataDir = dirs.make();
  out = dirs.make();
  engine = await startEngine(dataDir);
  engineParts(engine).audit.record({
    type: 'tool.call',
    connector: 'alpha',
    tool: 'read_file',
    decision: 'allow',
    reason: 'Allowed: read access',
    detail: { arguments: { path: '/tmp/a' } },
  });
  engineParts(engine).audit.record({
    type: 'tool.call',
    connector: 'alpha',
    tool: 'write_file',
    decision: 'deny',
    reason: 'Denied: rule no-writes',
  });
  engineParts(engine).audit.record({
    type: 'tool.call',
    connector: 'beta',
    tool: 'read_file',
    decision: 'deny',
    reason: 'Denied: the client was granted other connectors',
  });
  engineParts(engine).audit.record({
    type: 'tool.call',
    connector: 'alpha',
    tool: 'quoting',
    decision: 'info',
    reason: 'A reason with a comma, "quotes"\nand a second line',
    detail: { note: 'a,b "c"', lines: 'x\r\ny' },
  });
  engineParts(engine).audit.record({
    type: 'tool.call',
    connector: 'alpha',
    tool: 'quoting',
    decision: 'info',
    reason: '=HYPERLINK("https://evil.example")',
  });
});

afterAll(async () => {
  await stopFollowedEngine(engine);
  dirs.removeAll();
});

/** Parses RFC 4180 CSV: quoted fields may hold commas, doubled quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      record.push(field);
      field = '';
    } else if (char === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i++;
    } else field += char;
  }
  expect(field, 'the CSV ends with CRLF').toBe('');
  return records;
}

describe('activity filters', () => {
  it('filters by connector, tool and decision, and shows connector/tool', async () => {
    const alpha = (await run('activity', '--connector', 'alpha')).stdout.trimEnd().split('\n');
    expect(alpha[0]).toMatch(/^TIME +DECISION +EVENT +CLIENT +TOOL +REASON$/);
    expect(alpha.slice(1).map((line) => /alpha\/(\S+)/.exec(line)?.[1])).toEqual([
      'read_file',
      'write_file',
      'quoting',
      'quoting',
    ]);
    expect(alpha[1]).toMatch(
      /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d +allow +tool\.call +- +alpha\/read_file +Allowed: read access$/,
    );
    const readFile = await run('activity', '--tool', 'read_file', '--decision', 'deny', '--json');
    expect((JSON.parse(readFile.stdout) as AuditEventView[]).map((event) => event.reason)).toEqual([
      'Denied: the client was granted other connectors',
    ]);
    expect((await run('activity', '--connector', 'gamma')).stdout).toBe('No activity matches.\n');
  });

  it('keeps line breaks and terminal escapes from clients out of the table', async () => {
    engineParts(engine).audit.record({
      type: 'escape.test',
      decision: 'info',
      reason: 'red \u001b[31malert\u001b[0m\nsecond line',
    });
    expect((await run('activity', '--type', 'escape.test')).stdout.split('\n')[1]).toMatch(
      / +red \ufffd\[31malert\ufffd\[0m second line$/,
    );
  });
});

describe('activity --export', () => {
  it('writes JSON Lines, oldest first, readable only by the user', async () => {
    const file = join(out, 'alpha.jsonl');
    expect(await run('activity', '--connector', 'alpha', '--export', file)).toEqual({
      code: 0,
      stdout: `Wrote 4 events to ${file}.\n`,
      stderr: '',
    });
    const events = readFileSync(file, 'utf8')
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as AuditEventView);
    expect(events).toEqual((await engine.call('audit.list', { connector: 'alpha' })).reverse());
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('writes CSV with a header row, quoting commas, quotes and line breaks', async () => {
    const file = join(out, 'quoting.csv');
    expect((await run('activity', '--tool', 'quoting', '--export', file)).stdout).toBe(
      `Wrote 2 events to ${file}.\n`,
    );
    const records = parseCsv(readFileSync(file, 'utf8'));
    expect(records[0]).toEqual([
      'time',
      'type',
      'decision',
      'client',
      'client name',
      'connector',
      'tool',
      'reason',
      'detail',
    ]);
    const [first, second] = (await engine.call('audit.list', { tool: 'quoting' })).reverse();
    expect(records[1]).toEqual([
      new Date(first!.at).toISOString(),
      'tool.call',
      'info',
      '',
      '',
      'alpha',
      'quoting',
      'A reason with a comma, "quotes"\nand a second line',
      JSON.stringify({ note: 'a,b "c"', lines: 'x\r\ny' }),
    ]);
    // A spreadsheet would run this as a formula; the apostrophe keeps it text.
    expect(records[2]![7]).toBe(`'${second!.reason}`);
    expect(records).toHaveLength(3);
  });

  it('pages through more events than one answer holds, so the export is complete', async () => {
    const total = 10_050;
    for (let i = 0; i < total; i++) {
      engineParts(engine).audit.record({ type: 'bulk.test', decision: 'info', reason: `bulk ${i}` });
    }
    const file = join(out, 'bulk.ndjson');
    expect((await run('activity', '--type', 'bulk.test', '--export', file)).stdout).toBe(
      `Wrote ${total.toLocaleString('en-US')} events to ${file}.\n`,
    );
    const reasons = readFileSync(file, 'utf8')
      .trimEnd()
      .split('\n')
      .map((line) => (JSON.parse(line) as AuditEventView).reason);
    expect(reasons).toEqual(Array.from({ length: total }, (_, i) => `bulk ${i}`));

    const newest = join(out, 'newest.jsonl');
    expect((await run('activity', '--type', 'bulk.test', '--limit', '3', '--export', newest)).stdout).toBe(
      `Wrote 3 events to ${newest}.\n`,
    );
    expect(
      readFileSync(newest, 'utf8')
        .trimEnd()
        .split('\n')
        .map((line) => (JSON.parse(line) as AuditEventView).reason),
    ).toEqual(['bulk 10047', 'bulk 10048', 'bulk 10049']);
  });

  it('refuses other file types and --follow, before asking the engine', async () => {
    expect(await run('activity', '--export', 'log.txt')).toEqual({
      code: 2,
      stdout: '',
      stderr: `gatehouse: --export writes JSON Lines (.jsonl, .ndjson) or CSV (.csv); name the file with one of those endings (got "log.txt").\n${usageHint}`,
    });
    expect((await run('activity', '--export', 'log.csv', '--follow')).stderr).toBe(
      `gatehouse: Use --export or --follow, not both: an export is written once and ends.\n${usageHint}`,
    );
  });
});

describe('activity --follow', () => {
  /** Runs `activity --follow …` until `stop()`, with its output readable as it comes. */
  function follow(...words: string[]) {
    let stdout = '';
    let stderr = '';
    let stop: () => void = () => {};
    const stopped = new Promise<string>((resolve) => (stop = () => resolve('SIGINT')));
    const code = runCli(['--data-dir', dataDir, 'activity', '--follow', ...words], {
      stdout: (text) => (stdout += text),
      stderr: (text) => (stderr += text),
      untilStopped: () => stopped,
    });
    return { code, stop, stdout: () => stdout, stderr: () => stderr };
  }

  it('prints the matching events so far, then new ones as they happen, until stopped', async () => {
    const followed = follow('--connector', 'beta');
    await expect.poll(() => followed.stderr()).toBe('Following new activity; Ctrl+C to stop.\n');
    const before = followed.stdout().trimEnd().split('\n');
    expect(before[0]).toMatch(/^TIME +DECISION +EVENT +CLIENT +TOOL +REASON$/);
    expect(before.slice(1)).toEqual([
      expect.stringMatching(
        / deny +tool\.call +- +beta\/read_file +Denied: the client was granted other connectors$/,
      ),
    ]);

    engineParts(engine).audit.record({
      type: 'tool.call',
      connector: 'alpha',
      tool: 'read_file',
      decision: 'allow',
      reason: 'not beta',
    });
    engineParts(engine).audit.record({
      type: 'tool.call',
      connector: 'beta',
      tool: 'search',
      decision: 'allow',
      reason: 'a new beta call',
    });
    await expect.poll(() => followed.stdout()).toContain('a new beta call');
    followed.stop();
    expect(await followed.code).toBe(0);
    const lines = followed.stdout().trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toMatch(
      /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d +allow +tool\.call +- +beta\/search +a new beta call$/,
    );
    // Columns line up with the header.
    expect(lines[2]!.indexOf('beta/search')).toBe(lines[0]!.indexOf('TOOL'));
    expect(followed.stdout()).not.toContain('not beta');
  });

  it('prints one JSON object a line with --json', async () => {
    const followed = follow('--type', 'follow.json', '--json');
    await expect.poll(() => followed.stderr()).not.toBe('');
    expect(followed.stdout()).toBe('');
    const event = engineParts(engine).audit.record({
      type: 'follow.json',
      decision: 'info',
      reason: 'as JSON',
    });
    await expect.poll(() => followed.stdout()).not.toBe('');
    followed.stop();
    expect(await followed.code).toBe(0);
    expect(followed.stdout()).toBe(`${JSON.stringify(event)}\n`);
  });
});
