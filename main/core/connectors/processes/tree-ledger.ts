// The stdio connector trees Gatehouse is running: each is killed if Gatehouse exits without stopping
// it, and written down in the data directory with its root's identity (pid and start time), so that
// trees left behind by a Gatehouse that was killed outright are ended when it starts again — and a pid
// the system has since given to someone else's process is never touched.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  bootId,
  commandOutput,
  linuxStat,
  POWERSHELL_TIMEOUT_MS,
  processIdentity,
} from './process-identity.js';
import { killProcessTree, signalGroup, taskkill, treeAlive } from './process-tree.js';
import type { Clock } from '../../effects.js';

// Trees still running when Gatehouse exits (a crash, a forgotten stop()) die with it: `exit` handlers
// must be synchronous, and a signal to a group is. SIGKILL of Gatehouse itself cannot be caught: then
// each tree's lifeline watcher (stdio-launch.ts) ends it, and the ledger catches whatever remains at
// the next start.
const liveTrees = new Map<number, TreeLedger | undefined>();
let exitHookInstalled = false;

/**
 * Notes a running tree rooted at `pid`: it is killed if Gatehouse exits without stopping it, and
 * written in `ledger` (when given) until the returned function says it is gone.
 */
export function trackTree(pid: number, ledger?: TreeLedger): () => void {
  if (pid <= 0) return () => undefined;
  liveTrees.set(pid, ledger);
  ledger?.record(pid);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const [root, owner] of liveTrees) {
        if (process.platform === 'win32') {
          // The root still lives here, so /T can still follow its children (Node's job object ends
          // only the root once this process is gone).
          try {
            execFileSync('taskkill', ['/pid', String(root), '/T', '/F'], {
              windowsHide: true,
              stdio: 'ignore',
              timeout: 5_000,
            });
          } catch {
            continue; // keep the record: the next start reaps what is left
          }
        } else signalGroup(root, 'SIGKILL');
        owner?.forget(root);
      }
    });
  }
  return () => {
    liveTrees.delete(pid);
    ledger?.forget(pid);
  };
}

/** One running tree as written in the ledger. */
export interface TreeRecord {
  /** The root's pid, which is also its process group's id on POSIX. */
  pid: number;
  /** processIdentity() of the root when it started; null when it could not be read. */
  identity: string | null;
  /** The Gatehouse process that started it: while that one lives, the tree is not a leftover. */
  owner: { pid: number; identity: string | null };
  startedAt: number;
}

/** What reaping found: a tree it ended, or a record it dropped without killing anything, and why. */
export interface ReapOutcome {
  pid: number;
  action: 'killed' | 'gone' | 'pid-reused' | 'owner-alive';
}

/**
 * `<data dir>/connector-processes/<pid>.json`, one file per running stdio tree: written when the tree
 * starts, removed when Gatehouse sees it end. Files left over are trees of a Gatehouse that died
 * without stopping them; `reap()` ends those at start-up.
 */
export class TreeLedger {
  readonly directory: string;
  readonly #clock: Clock;
  readonly #platform: NodeJS.Platform;
  #owner: Promise<TreeRecord['owner']> | undefined;
  readonly #pending = new Map<number, Promise<void>>();

  constructor(directory: string, clock: Clock, platform: NodeJS.Platform = process.platform) {
    this.directory = directory;
    this.#clock = clock;
    this.#platform = platform;
  }

  /** Writes the tree down (asynchronously: reading its identity may take a `ps`). */
  record(pid: number): void {
    const written = (async () => {
      const identity = await processIdentity(pid, this.#platform);
      this.#owner ??= processIdentity(process.pid, this.#platform).then((id) => ({
        pid: process.pid,
        identity: id,
      }));
      const record: TreeRecord = { pid, identity, owner: await this.#owner, startedAt: this.#clock.now() };
      // Gone already (a server that exits at once): nothing to write.
      if (!this.#pending.has(pid)) return;
      mkdirSync(this.directory, { recursive: true, mode: 0o700 });
      writeFileSync(this.#file(pid), JSON.stringify(record), { mode: 0o600 });
    })().catch(() => undefined);
    this.#pending.set(pid, written);
  }

  /** The tree has ended: its record goes (synchronously, so an `exit` handler may call it). */
  forget(pid: number): void {
    this.#pending.delete(pid);
    rmSync(this.#file(pid), { force: true });
  }

  /** Resolves once every record started so far is on disk (tests). */
  async settled(): Promise<void> {
    await Promise.all(this.#pending.values());
  }

  /** Every record on disk (unreadable files are skipped). */
  records(): TreeRecord[] {
    let names: string[];
    try {
      names = readdirSync(this.directory);
    } catch {
      return [];
    }
    const records: TreeRecord[] = [];
    for (const name of names) {
      if (!/^\d+\.json$/.test(name)) continue;
      try {
        const record = JSON.parse(readFileSync(join(this.directory, name), 'utf8')) as TreeRecord;
        if (Number.isInteger(record.pid) && record.pid > 0) records.push(record);
      } catch {
        rmSync(join(this.directory, name), { force: true });
      }
    }
    return records;
  }

  /**
   * Ends the trees of Gatehouse processes that are gone, and drops their records. A record whose pid
   * now names a different process (another start time) is dropped without a signal.
   */
  async reap(options: { graceMs?: number } = {}): Promise<ReapOutcome[]> {
    const outcomes: ReapOutcome[] = [];
    for (const record of this.records()) {
      if (this.#pending.has(record.pid)) continue; // one of ours, running now
      const action = await this.#reapOne(record, options.graceMs ?? 1000);
      if (action !== 'owner-alive') rmSync(this.#file(record.pid), { force: true });
      outcomes.push({ pid: record.pid, action });
    }
    return outcomes;
  }

  async #reapOne(record: TreeRecord, graceMs: number): Promise<ReapOutcome['action']> {
    const platform = this.#platform;
    if (record.owner.identity !== null && record.owner.pid !== process.pid) {
      if ((await processIdentity(record.owner.pid, platform)) === record.owner.identity) return 'owner-alive';
    }
    const now = await processIdentity(record.pid, platform);
    if (platform === 'win32') {
      return reapWindowsTree(record, now);
    }
    if (now !== null) {
      if (now !== record.identity) return 'pid-reused';
    } else if (!treeAlive(record.pid, platform) || !leftoverGroup(record, platform)) {
      return 'gone';
    }
    await killProcessTree(record.pid, { platform, graceMs });
    return 'killed';
  }

  #file(pid: number): string {
    return join(this.directory, `${pid}.json`);
  }
}

/**
 * The root is gone but its process group still has members. POSIX does not give a group's id to a
 * new process while the group exists, so these are the tree's own — unless the whole tree had ended,
 * the pid was reused by a new group leader, and that one died leaving children, all before this
 * start. On Linux that case is excluded: every member must have started after the recorded root.
 */
function leftoverGroup(record: TreeRecord, platform: NodeJS.Platform): boolean {
  if (platform !== 'linux') return true;
  const [, boot, start] = record.identity?.split(':') ?? [];
  if (boot !== bootId() || start === undefined) return false;
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return false;
  }
  const members = entries
    .filter((entry) => /^\d+$/.test(entry))
    .map((entry) => linuxStat(entry))
    .filter(
      (fields): fields is string[] =>
        fields !== null && fields[0] !== 'Z' && Number(fields[2]) === record.pid,
    );
  return (
    members.length > 0 &&
    members.every((fields) => /^\d+$/.test(fields[19] ?? '') && BigInt(fields[19]!) >= BigInt(start))
  );
}

// ---- Windows: no process groups, so the tree is found by parent links ---------------------------

/** One row of the Windows process table. */
export interface WindowsProcess {
  pid: number;
  parentPid: number;
  /** Creation time as a FILETIME (100 ns since 1601), as a decimal string. */
  created: string;
}

/**
 * The processes of a leftover tree on Windows. Children keep their parent's pid after the parent
 * dies, so the tree is walked down from the root's pid; a child counts only if it was created after
 * its parent (for the root: after the recorded start, and before a new process took the root's pid).
 * @internal Exported for its tests only: the Windows reaping rule, which a Linux run cannot reach.
 */
export function windowsLeftovers(table: WindowsProcess[], record: TreeRecord): number[] {
  const created = (value: string) => BigInt(value);
  const rootStart = record.identity?.startsWith('win32:') ? created(record.identity.slice(6)) : null;
  if (rootStart === null) return [];
  const reused = table.find((row) => row.pid === record.pid && created(row.created) !== rootStart);
  const rootEnd = reused ? created(reused.created) : null;
  const found: number[] = [];
  const queue: Array<{ pid: number; start: bigint; end: bigint | null }> = [
    { pid: record.pid, start: rootStart, end: rootEnd },
  ];
  const seen = new Set<number>();
  while (queue.length > 0) {
    const parent = queue.shift()!;
    for (const row of table) {
      if (row.parentPid !== parent.pid || seen.has(row.pid)) continue;
      const start = created(row.created);
      if (start < parent.start || (parent.end !== null && start >= parent.end)) continue;
      seen.add(row.pid);
      found.push(row.pid);
      queue.push({ pid: row.pid, start, end: null });
    }
  }
  return found;
}

async function reapWindowsTree(record: TreeRecord, now: string | null): Promise<ReapOutcome['action']> {
  if (now !== null && now === record.identity) {
    await taskkill(record.pid); // the root lives: taskkill /T walks its tree
    return 'killed';
  }
  const out = await commandOutput(
    'powershell.exe',
    [
      '-NoProfile',
      '-NonInteractive',
      '-Command',
      'Get-CimInstance Win32_Process | ForEach-Object { "$($_.ProcessId) $($_.ParentProcessId) $($_.CreationDate.ToFileTimeUtc())" }',
    ],
    POWERSHELL_TIMEOUT_MS,
  );
  const table = (out ?? '')
    .split(/\r?\n/)
    .map((line) => line.trim().split(' '))
    .filter((parts) => parts.length === 3 && parts.every((part) => /^\d+$/.test(part)))
    .map(([pid, parentPid, created]) => ({
      pid: Number(pid),
      parentPid: Number(parentPid),
      created: created!,
    }));
  const leftovers = windowsLeftovers(table, record);
  for (const pid of leftovers) await taskkill(pid);
  return leftovers.length > 0 ? 'killed' : now !== null ? 'pid-reused' : 'gone';
}
