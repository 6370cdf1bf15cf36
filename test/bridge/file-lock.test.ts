// The bridge's cross-process lock: one holder at a time, in one process or several; stale locks (dead
// process, overrun hold) recovered; a live holder waited for, then a clear timeout.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withFileLock } from '../../main/bridge/file-lock.js';

let dir: string;
let lock: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gatehouse-lock-'));
  lock = join(dir, 'tokens.json.lock');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('withFileLock', () => {
  it('lets one holder in at a time and removes the lock afterwards', async () => {
    let inside = 0;
    let most = 0;
    const order: number[] = [];
    await Promise.all(
      [1, 2, 3, 4, 5].map((n) =>
        withFileLock(lock, { holdMs: 5_000, waitMs: 5_000, pollMs: 5 }, async () => {
          inside++;
          most = Math.max(most, inside);
          await pause(10);
          order.push(n);
          inside--;
        }),
      ),
    );
    expect(most).toBe(1);
    expect(order.sort()).toEqual([1, 2, 3, 4, 5]);
    expect(existsSync(lock)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('releases the lock when the work fails', async () => {
    await expect(
      withFileLock(lock, { holdMs: 1_000, waitMs: 1_000 }, async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(existsSync(lock)).toBe(false);
  });

  it('recovers a lock whose process has died', async () => {
    writeFileSync(
      lock,
      JSON.stringify({ pid: 424242, acquiredAt: Date.now(), holdMs: 60_000, nonce: 'dead' }),
    );
    const isAlive = (pid: number) => pid !== 424242;
    expect(await withFileLock(lock, { holdMs: 1_000, waitMs: 1_000, isAlive }, async () => 'mine')).toBe(
      'mine',
    );
    expect(existsSync(lock)).toBe(false);
  });

  it('recovers a lock held longer than its holder said it would', async () => {
    writeFileSync(
      lock,
      JSON.stringify({ pid: process.pid, acquiredAt: Date.now() - 10_000, holdMs: 1_000, nonce: 'overrun' }),
    );
    expect(await withFileLock(lock, { holdMs: 1_000, waitMs: 1_000 }, async () => 'mine')).toBe('mine');
  });

  it('waits for a live holder, then says who to blame', async () => {
    const held = JSON.stringify({ pid: process.pid, acquiredAt: Date.now(), holdMs: 60_000, nonce: 'live' });
    writeFileSync(lock, held);
    await expect(
      withFileLock(lock, { holdMs: 1_000, waitMs: 150, pollMs: 10 }, async () => 'never'),
    ).rejects.toThrow(
      `Another gatehouse bridge has held ${lock} for too long; if none is running, delete that file.`,
    );
    expect(readFileSync(lock, 'utf8')).toBe(held);
  });

  it('does not remove a lock that is no longer its own', async () => {
    const other = JSON.stringify({
      pid: process.pid,
      acquiredAt: Date.now(),
      holdMs: 60_000,
      nonce: 'other',
    });
    await withFileLock(lock, { holdMs: 1_000, waitMs: 1_000 }, async () => {
      writeFileSync(lock, other); // recovered by another process after we overran
    });
    expect(readFileSync(lock, 'utf8')).toBe(other);
  });

  it('excludes holders in different processes', async () => {
    const log = join(dir, 'log');
    const module = pathToFileURL(
      join(import.meta.dirname, '..', '..', 'dist', 'main', 'bridge', 'file-lock.js'),
    ).href;
    const script = `
      import { appendFileSync } from 'node:fs';
      const { withFileLock } = await import(${JSON.stringify(module)});
      for (let i = 0; i < 15; i++) {
        await withFileLock(${JSON.stringify(lock)}, { holdMs: 10_000, waitMs: 20_000, pollMs: 2 }, async () => {
          appendFileSync(${JSON.stringify(log)}, 'in\\n');
          await new Promise((r) => setTimeout(r, 2));
          appendFileSync(${JSON.stringify(log)}, 'out\\n');
        });
      }`;
    const run = () =>
      new Promise<number | null>((resolve) => {
        const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: 'inherit' });
        child.once('exit', resolve);
      });
    expect(await Promise.all([run(), run(), run()])).toEqual([0, 0, 0]);
    const lines = readFileSync(log, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(90);
    lines.forEach((line, index) => expect(line).toBe(index % 2 === 0 ? 'in' : 'out'));
  });
});
