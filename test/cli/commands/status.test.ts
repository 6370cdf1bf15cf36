// `gatehouse status` against a real engine: the endpoints it prints, and the same as JSON.
import { describe, expect, it } from 'vitest';
import { engineForFile } from '../../support/cli-fixture.js';

const cli = engineForFile();
const run = cli.run;

describe('gatehouse status', () => {
  it('names the version, the MCP endpoint and the issuer', async () => {
    const { code, stdout, stderr } = await run('status');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(
      new RegExp(`^Gatehouse 0\\.0\\.0-test is running \\(pid ${process.pid}, started just now\\)\\.$`, 'm'),
    );
    expect(stdout).toMatch(new RegExp(`^MCP endpoint: +${cli.engine.mcpUrl}$`, 'm'));
    expect(stdout).toMatch(new RegExp(`^Authorization server: +${cli.engine.issuer}$`, 'm'));
    expect(stdout).toMatch(/^Access: +read-only at most \(the access ceiling\)$/m);
    expect(stdout).toMatch(/^Waiting for you: +nothing$/m);
    // `gatehouse serve`'s vault: a key file, and the status says what that means.
    expect(stdout).toMatch(
      /^Secrets: +Sealed with a key file in the data folder, not the OS keychain: anyone who can read that folder can read them\.$/m,
    );
  });

  it('prints the engine status as JSON with --json', async () => {
    const { code, stdout } = await run('status', '--json');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({
      version: '0.0.0-test',
      pid: process.pid,
      mcpUrl: cli.engine.mcpUrl,
      issuer: cli.engine.issuer,
      dataDir: cli.dataDir,
      paused: false,
      secretProtection: 'key-file',
    });
  });
});
