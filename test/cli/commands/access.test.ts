// `gatehouse pause` and `gatehouse resume` against a real engine.
import { describe, expect, it } from 'vitest';
import { engineForFile } from '../../support/cli-fixture.js';

const cli = engineForFile();
const run = cli.run;

describe('gatehouse pause and resume', () => {
  it('pauses all access and resumes it', async () => {
    expect(await run('pause')).toEqual({
      code: 0,
      stdout: 'Paused: every client is refused until you run `gatehouse resume`.\n',
      stderr: '',
    });
    expect((await cli.engine.call('settings.get')).paused).toBe(true);
    expect((await run('status')).stdout).toMatch(
      /^Access: +PAUSED: every client is refused \(gatehouse resume\)$/m,
    );
    expect(await run('resume', '--json')).toEqual({
      code: 0,
      stdout: '{\n  "paused": false\n}\n',
      stderr: '',
    });
    expect((await cli.engine.call('settings.get')).paused).toBe(false);
  });
});
