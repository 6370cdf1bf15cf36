// A lock shared by every bridge process that uses one token file, so that only one of them refreshes
// (or asks for consent) at a time. It is a file made complete first and then hard-linked into place:
// link(2) fails with EEXIST when the lock exists, so exactly one process wins and nobody ever reads
// a half-written lock. A lock whose process has died, or which is older than the hold its owner
// declared, is stale and recovered.
import { randomBytes } from 'node:crypto';
import { linkSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { BridgeError } from './bridge-error.js';

/**
 * How long a lock may be held and waited for, and how liveness is checked (tests pass a clock and their
 * own check).
 */
export interface FileLockOptions {
  /** How long the holder may keep the lock; past that it counts as stale even if its process lives. */
  holdMs: number;
  /** How long to wait for another holder before giving up. */
  waitMs: number;
  /** Pause between attempts while another process holds the lock. */
  pollMs?: number;
  now?: () => number;
  /** Whether a process exists; tests pass their own. */
  isAlive?: (pid: number) => boolean;
  sleep?: (ms: number) => Promise<void>;
}

interface LockRecord {
  pid: number;
  acquiredAt: number;
  holdMs: number;
  nonce: string;
}

/** Runs `work` while holding the lock at `path`; the lock is released afterwards, whatever happens. */
export async function withFileLock<T>(
  path: string,
  options: FileLockOptions,
  work: () => Promise<T>,
): Promise<T> {
  const held = await acquire(path, options);
  try {
    return await work();
  } finally {
    release(path, held);
  }
}

async function acquire(path: string, options: FileLockOptions): Promise<string> {
  const now = options.now ?? Date.now;
  const isAlive = options.isAlive ?? processExists;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const nonce = randomBytes(9).toString('base64url');
  const deadline = now() + options.waitMs;
  const draft = `${path}.${process.pid}.${nonce}.tmp`;
  try {
    for (;;) {
      const text = JSON.stringify({
        pid: process.pid,
        acquiredAt: now(),
        holdMs: options.holdMs,
        nonce,
      } satisfies LockRecord);
      writeFileSync(draft, text, { mode: 0o600 });
      try {
        linkSync(draft, path);
        return text;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const current = readText(path);
      if (current === undefined) continue; // released between our attempt and our look
      if (isStale(path, current, now(), isAlive)) {
        recoverStale(path, current, nonce);
        continue;
      }
      if (now() >= deadline) {
        throw new BridgeError(
          'lock_timeout',
          `Another gatehouse bridge has held ${path} for too long; if none is running, delete that file.`,
        );
      }
      await sleep(options.pollMs ?? 50);
    }
  } finally {
    rmSync(draft, { force: true });
  }
}

function isStale(path: string, text: string, now: number, isAlive: (pid: number) => boolean): boolean {
  let record: LockRecord;
  try {
    record = JSON.parse(text) as LockRecord;
  } catch {
    // Not ours to read (written by hand, or a different version): stale once it is a minute old.
    return ageOf(path, now) > 60_000;
  }
  if (!Number.isInteger(record.pid) || typeof record.acquiredAt !== 'number')
    return ageOf(path, now) > 60_000;
  return !isAlive(record.pid) || now > record.acquiredAt + (record.holdMs ?? 0);
}

/**
 * Moves a stale lock aside. Two processes may judge the same lock stale at once; rename is atomic, so
 * only one moves it. If what we moved is no longer the lock we judged (another recoverer already
 * replaced it with its own, fresh one), we put that one back — unless someone holds the place again.
 */
function recoverStale(path: string, judged: string, nonce: string): void {
  const aside = `${path}.stale.${nonce}`;
  try {
    renameSync(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  try {
    if (readText(aside) !== judged) {
      try {
        linkSync(aside, path);
      } catch {
        /* taken again meanwhile: the displaced holder's release will leave the new lock alone */
      }
    }
  } finally {
    rmSync(aside, { force: true });
  }
}

/** Removes the lock only if it is still ours (a holder that overran may have lost it to recovery). */
function release(path: string, held: string): void {
  if (readText(path) === held) rmSync(path, { force: true });
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function ageOf(path: string, now: number): number {
  try {
    return now - statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else — alive, just not ours to signal.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
