// `gatehouse settings` against a real engine: what it shows and sets, and the exact sentence for each
// value it refuses.
import { describe, expect, it } from 'vitest';
import { createServer, type AddressInfo } from 'node:net';
import { Engine } from '../../../main/core/engine/engine.js';
import { headlessEffects } from '../../../main/core/engine/headless.js';
import { USAGE_HINT, engineForFile, gatehouse, silentLogger, tempDirs } from '../../support/cli-fixture.js';
import { MemoryKeyValueStore } from '../../support/memory-stores.js';

const cli = engineForFile();
const run = cli.run;

describe('gatehouse settings', () => {
  it('lists every setting with its value', async () => {
    const { code, stdout } = await run('settings');
    expect(code).toBe(0);
    expect(stdout.split('\n')[0]).toMatch(/^SETTING +VALUE$/);
    expect(stdout).toMatch(/^port +42830$/m);
    expect(stdout).toMatch(/^accessCeiling +read$/m);
    expect(stdout).toMatch(/^paused +false$/m);
  });

  it('prints one value, plain or as JSON, under its name or its kebab-case spelling', async () => {
    expect(await run('settings', 'get', 'port')).toEqual({ code: 0, stdout: '42830\n', stderr: '' });
    expect(await run('settings', 'get', 'access-ceiling', '--json')).toEqual({
      code: 0,
      stdout: '"read"\n',
      stderr: '',
    });
  });

  it('sets numbers, booleans and enum values, coerced from the text typed', async () => {
    try {
      expect(await run('settings', 'set', 'accessCeiling', 'write')).toEqual({
        code: 0,
        stdout: 'accessCeiling is now write.\n',
        stderr: '',
      });
      expect((await cli.engine.call('settings.get')).accessCeiling).toBe('write');
      expect((await run('settings', 'set', 'start-at-login', 'yes')).stdout).toBe(
        'startAtLogin is now true.\n',
      );
      expect((await cli.engine.call('settings.get')).startAtLogin).toBe(true);
      expect((await run('settings', 'set', 'accessTokenTtlSeconds', '600')).stdout).toBe(
        'accessTokenTtlSeconds is now 600.\n',
      );
      expect((await cli.engine.call('settings.get')).accessTokenTtlSeconds).toBe(600);
      const port = await run('settings', 'set', 'port', '43000');
      expect(port.stdout).toBe(
        'port is now 43000.\nThe new port takes effect when Gatehouse restarts; then point your clients at http://127.0.0.1:43000/mcp.\n',
      );
    } finally {
      await cli.engine.call('settings.set', {
        accessCeiling: 'read',
        startAtLogin: false,
        accessTokenTtlSeconds: 3600,
        port: 42830,
      });
    }
  });

  it('refuses a value outside the setting’s bounds with the rule, and changes nothing', async () => {
    expect(await run('settings', 'set', 'port', '80')).toEqual({
      code: 2,
      stdout: '',
      stderr: `gatehouse: Cannot set port to 80: port must be 1024–65535.\n${USAGE_HINT}`,
    });
    expect(await run('settings', 'set', 'accessTokenTtlSeconds', '86400')).toEqual({
      code: 2,
      stdout: '',
      stderr: `gatehouse: Cannot set accessTokenTtlSeconds to 86400: access tokens live at most 1 hour.\n${USAGE_HINT}`,
    });
    expect((await cli.engine.call('settings.get')).port).toBe(42830);
  });

  it('takes a negative number as a value, not an option, and says why it is refused', async () => {
    expect(await run('settings', 'set', 'rateLimitPerMinute', '-5')).toEqual({
      code: 2,
      stdout: '',
      stderr: `gatehouse: Cannot set rateLimitPerMinute to -5: at least 1 call per minute.\n${USAGE_HINT}`,
    });
    expect((await run('settings', 'set', 'rateLimitPerDay', '-1.5')).stderr).toBe(
      `gatehouse: rateLimitPerDay takes a whole number (got "-1.5").\n${USAGE_HINT}`,
    );
    // An option that really is unknown still is.
    expect((await run('settings', 'set', 'port', '-x')).stderr).toBe(
      `gatehouse: The settings set command has no option -x.\n${USAGE_HINT}`,
    );
    expect((await cli.engine.call('settings.get')).rateLimitPerMinute).toBe(600);
  });

  it('refuses values of the wrong type, naming what the setting takes', async () => {
    expect((await run('settings', 'set', 'port', 'high')).stderr).toBe(
      `gatehouse: port takes a whole number (got "high").\n${USAGE_HINT}`,
    );
    expect((await run('settings', 'set', 'accessCeiling', 'full')).stderr).toBe(
      `gatehouse: accessCeiling takes one of off, read, write (got "full").\n${USAGE_HINT}`,
    );
    expect((await run('settings', 'set', 'startAtLogin', 'maybe')).stderr).toBe(
      `gatehouse: startAtLogin takes true or false (got "maybe").\n${USAGE_HINT}`,
    );
    expect((await cli.engine.call('settings.get')).accessCeiling).toBe('read');
  });

  it('refuses an unknown key, naming the valid ones', async () => {
    expect(await run('settings', 'set', 'colour', 'blue')).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'gatehouse: There is no setting "colour". Settings are: port, accessCeiling, registrationPolicy, ' +
        `accessTokenTtlSeconds, refreshTokenTtlDays, auditRetentionDays, startAtLogin, rateLimitPerMinute, rateLimitPerDay, registryUrl, paused.\n${USAGE_HINT}`,
    });
    expect((await run('settings', 'get', 'colour')).code).toBe(2);
  });

  it('sends pausing to its own commands', async () => {
    expect((await run('settings', 'set', 'paused', 'true')).stderr).toBe(
      `gatehouse: paused is changed with \`gatehouse pause\` and \`gatehouse resume\`, not settings set.\n${USAGE_HINT}`,
    );
    expect((await cli.engine.call('settings.get')).paused).toBe(false);
  });
});

describe('gatehouse settings set port while running with --port', () => {
  it('says the setting applies when Gatehouse starts without --port, not on restart', async () => {
    const dirs = tempDirs();
    const dataDir = dirs.make();
    // A port that is free now, given as `gatehouse serve --port` would give it.
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = probe.address() as AddressInfo;
        probe.close(() => resolve(free));
      });
    });
    const engine = await Engine.start({
      dataDir,
      port,
      effects: headlessEffects(dataDir, silentLogger),
      preferences: new MemoryKeyValueStore(),
      version: '0.0.0-test',
    });
    try {
      expect((await engine.call('status.get', {})).portFromCommandLine).toBe(true);
      const set = await gatehouse(['settings', 'set', 'port', '43001', '--data-dir', dataDir]);
      expect(set.stdout).toBe(
        `port is now 43001.\nThis run listens on port ${port}, as --port asked; the setting applies when Gatehouse starts without --port (then point your clients at http://127.0.0.1:43001/mcp).\n`,
      );
    } finally {
      await engine.stop();
      dirs.removeAll();
    }
  });
});
