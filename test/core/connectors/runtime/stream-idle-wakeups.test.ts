// An HTTP connector connected and idle, its SSE stream open, does not keep undici's fast-timer tick
// running (idle CPU): the stream is fetched without a body timeout. Measured in a process of
// its own (test/fixtures/stream-timer-probe.mjs) on the built connector; Node's default dispatcher
// ticks six times in those 3 s.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from '../../../support/paths.js';

const DIST = join(import.meta.dirname, '..', '..', '..', '..', 'dist');

describe('an idle HTTP connector', () => {
  it('wakes the process for no undici tick while its stream is open', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [join(FIXTURES, 'stream-timer-probe.mjs'), DIST],
      {
        timeout: 60_000,
      },
    );
    expect(JSON.parse(stdout.trim())).toEqual({ connected: true, ticks: 0 });
  }, 70_000);
});
