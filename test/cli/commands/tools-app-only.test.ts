// `gatehouse tools list|show` mark an MCP Apps tool that only its server's app calls
// (`_meta.ui.visibility: ["app"]`) in the Tools page's words, against a real engine running the real
// server-system-monitor from npm (its poll-system-stats is app-only, get-system-info opens the app).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../main/core/engine/engine.js';
import { APP_ONLY_TEXT } from '../../../main/core/text.js';
import { gatehouse, startEngine, tempDirs } from '../../support/cli-fixture.js';

const monitor = join(
  dirname(createRequire(import.meta.url).resolve('@modelcontextprotocol/server-system-monitor')),
  'index.js',
);
const dirs = tempDirs();
let engine: Engine;
let dataDir: string;
const run = (...words: string[]) => gatehouse(['--data-dir', dataDir, ...words]);

beforeAll(async () => {
  dataDir = dirs.make();
  engine = await startEngine(dataDir);
  await engine.call('connectors.add', {
    name: 'monitor',
    settings: { kind: 'stdio', command: process.execPath, args: [monitor, '--stdio'] },
  });
}, 60_000);

afterAll(async () => {
  await engine.stop();
  dirs.removeAll();
});

describe('gatehouse tools and app-only tools', () => {
  it('marks an app-only tool in the table with the Tools page words, and says what it means once', async () => {
    const { code, stdout } = await run('tools', 'list', 'monitor');
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^monitor__poll-system-stats +write, destructive +yes +never +ok · App only — the model never sees this tool$/,
      ),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(/^monitor__get-system-info +write, destructive +yes +ask +ok$/),
    );
    expect(lines.filter((line) => line === `${APP_ONLY_TEXT.label}: ${APP_ONLY_TEXT.detail}`)).toHaveLength(
      1,
    );
  });

  it('carries the mark in --json as appOnly, for each tool', async () => {
    const listed = JSON.parse((await run('tools', 'list', 'monitor', '--json')).stdout) as Array<{
      name: string;
      appOnly: boolean;
    }>;
    expect(listed.find((tool) => tool.name === 'poll-system-stats')?.appOnly).toBe(true);
    expect(listed.find((tool) => tool.name === 'get-system-info')?.appOnly).toBe(false);
  });

  it('shows the mark and its meaning for one tool', async () => {
    const { code, stdout } = await run('tools', 'show', 'monitor', 'poll-system-stats');
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines).toContain('  status:   ok · App only — the model never sees this tool');
    expect(lines).toContain(`  ${APP_ONLY_TEXT.detail}`);
    expect((await run('tools', 'show', 'monitor', 'get-system-info')).stdout).not.toContain('App only');
  });

  it('still marks a disabled app-only tool', async () => {
    await engine.call('tools.set', { connector: 'monitor', tool: 'poll-system-stats', enabled: false });
    try {
      const { stdout } = await run('tools', 'list', 'monitor');
      expect(stdout).toMatch(/^monitor__poll-system-stats +write, destructive +no +never +ok · App only/m);
    } finally {
      await engine.call('tools.set', { connector: 'monitor', tool: 'poll-system-stats', enabled: true });
    }
  });
});
