// Stdio connectors never outlive the engine. A real `gatehouse serve` runs three connectors whose
// trees are launcher → server → helper (a child and a grandchild, as `npx` makes them) and is killed
// with SIGKILL: each tree's lifeline watcher ends it. With the watchers killed too, the trees survive
// the engine — and the restart on the same data directory reaps them from the ledger before it starts
// exactly one new set. The ledger never signals a pid that now belongs to another process.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EngineClient } from '../../../../main/cli/command-context/engine-client.js';
import { processIdentity } from '../../../../main/core/connectors/processes/process-identity.js';
import {
  TreeLedger,
  windowsLeftovers,
  type TreeRecord,
} from '../../../../main/core/connectors/processes/tree-ledger.js';
import { freePort } from '../../../support/conformance-suite.js';
import { killHard, startServe } from '../../../support/serve-process.js';
import { fixture } from '../../../support/paths.js';

/** The data folder's record of running connector trees (docs/architecture.md, the data folder). */
const CONNECTOR_PROCESSES_DIR = 'connector-processes';

const LAUNCHER = fixture('tree-launcher.mjs');
const CONNECTORS = ['tree-a', 'tree-b', 'tree-c'];
/** Per connector: the lifeline watcher (sh), the launcher, the server and its helper. */
const PER_TREE = 4;

const children: ChildProcess[] = [];
const pids: number[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  for (const pid of pids.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

interface Proc {
  pid: number;
  ppid: number;
  comm: string;
  state: string;
  start: string;
}

function readProc(pid: number | string): Proc | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return {
      pid: Number(pid),
      comm: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')),
      state: fields[0]!,
      ppid: Number(fields[1]),
      start: fields[19]!,
    };
  } catch {
    return null;
  }
}

/** Every living process below `root` (by parent links). */
function descendants(root: number): Proc[] {
  const all = readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(readProc)
    .filter((proc): proc is Proc => proc !== null && proc.state !== 'Z');
  const found: Proc[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const parent = queue.shift()!;
    for (const proc of all) {
      if (proc.ppid === parent) {
        found.push(proc);
        queue.push(proc.pid);
      }
    }
  }
  return found;
}

/** The same process (pid and start time), still running and not a zombie. */
function stillRunning(proc: Proc): boolean {
  const now = readProc(proc.pid);
  return now !== null && now.start === proc.start && now.state !== 'Z';
}

const serve = (dataDir: string, port: number) => startServe(dataDir, port, children);

async function connectorsRunning(dataDir: string, root: number): Promise<Proc[]> {
  const client = EngineClient.connect(dataDir);
  for (const name of CONNECTORS) {
    await expect
      .poll(async () => (await client.call('connectors.get', { name })).status.connection, {
        timeout: 30_000,
      })
      .toBe('connected');
  }
  await expect.poll(() => descendants(root).length, { timeout: 10_000 }).toBe(CONNECTORS.length * PER_TREE);
  return descendants(root);
}

const ledgerFiles = (dataDir: string) => readdirSync(join(dataDir, CONNECTOR_PROCESSES_DIR));

describe.skipIf(process.platform !== 'linux')('stdio connector trees and a killed engine', () => {
  it('end with the engine, and a restart reaps trees whose watchers were killed too', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-orphans-'));
    dirs.push(dataDir);
    const port = await freePort();

    const first = await serve(dataDir, port);
    const client = EngineClient.connect(dataDir);
    for (const name of CONNECTORS) {
      await client.call('connectors.add', {
        name,
        enabled: true,
        // The lifeline watcher and the ledger are what hold an unsandboxed tree; a sandboxed one is
        // held by bubblewrap's --die-with-parent as well (connector-sandbox.test.ts).
        settings: {
          kind: 'stdio',
          command: process.execPath,
          args: [LAUNCHER],
          sandbox: { enabled: false, folders: [], allowedDomains: null },
        },
      });
    }
    const firstSet = await connectorsRunning(dataDir, first.child.pid!);
    pids.push(...firstSet.map((proc) => proc.pid));
    expect(firstSet.filter((proc) => proc.comm === 'sh')).toHaveLength(CONNECTORS.length);
    await expect.poll(() => ledgerFiles(dataDir).length).toBe(CONNECTORS.length);

    // 1. SIGKILL: the lifeline watchers end every tree, before anything restarts.
    await killHard(first.child);
    await expect.poll(() => firstSet.filter(stillRunning), { timeout: 5_000 }).toEqual([]);

    const second = await serve(dataDir, port);
    const secondSet = await connectorsRunning(dataDir, second.child.pid!);
    pids.push(...secondSet.map((proc) => proc.pid));
    expect(second.output()).not.toContain('ended connector processes left running');

    // 2. The watchers die first (as if someone killed them), then the engine: the trees survive it…
    const watchers = secondSet.filter((proc) => proc.comm === 'sh');
    expect(watchers).toHaveLength(CONNECTORS.length);
    for (const watcher of watchers) process.kill(watcher.pid, 'SIGKILL');
    await expect.poll(() => watchers.filter(stillRunning)).toEqual([]);
    await killHard(second.child);
    const orphans = secondSet.filter((proc) => proc.comm !== 'sh');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(orphans.filter(stillRunning)).toHaveLength(CONNECTORS.length * (PER_TREE - 1));
    expect(orphans.filter(stillRunning).every((proc) => readProc(proc.pid)!.ppid !== second.child.pid)).toBe(
      true,
    );

    // …until the restart on the same data directory reaps them, and starts exactly one new set.
    const third = await serve(dataDir, port);
    const thirdSet = await connectorsRunning(dataDir, third.child.pid!);
    pids.push(...thirdSet.map((proc) => proc.pid));
    expect(orphans.filter(stillRunning)).toEqual([]);
    expect(third.output()).toContain('ended connector processes left running by an earlier Gatehouse');
    expect(ledgerFiles(dataDir)).toHaveLength(CONNECTORS.length);

    // A clean stop leaves no process and no record.
    third.child.kill('SIGTERM');
    await new Promise((resolve) => third.child.once('exit', resolve));
    await expect.poll(() => thirdSet.filter(stillRunning), { timeout: 5_000 }).toEqual([]);
    expect(ledgerFiles(dataDir)).toEqual([]);
  }, 120_000);
});

describe.skipIf(process.platform !== 'linux')('the ledger', () => {
  function ledgerWith(records: TreeRecord[]): TreeLedger {
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-ledger-'));
    dirs.push(dir);
    const ledger = new TreeLedger(join(dir, CONNECTOR_PROCESSES_DIR), { now: () => Date.now() });
    mkdirSync(ledger.directory, { recursive: true });
    for (const record of records)
      writeFileSync(join(ledger.directory, `${record.pid}.json`), JSON.stringify(record));
    return ledger;
  }

  function sleeper(): ChildProcess {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], {
      detached: true,
      stdio: 'ignore',
    });
    children.push(child);
    return child;
  }

  const deadOwner = { pid: 1, identity: 'linux:another-boot:1' };

  it('never signals a pid that now belongs to a process started later', async () => {
    const child = sleeper();
    const identity = (await processIdentity(child.pid!))!;
    const [, boot, start] = identity.split(':');
    const ledger = ledgerWith([
      { pid: child.pid!, identity: `linux:${boot}:${Number(start) - 1}`, owner: deadOwner, startedAt: 0 },
    ]);
    expect(await ledger.reap({ graceMs: 100 })).toEqual([{ pid: child.pid, action: 'pid-reused' }]);
    expect(readProc(child.pid!)?.state).not.toBe('Z');
    expect(ledger.records()).toEqual([]);
  });

  it('leaves the trees of a Gatehouse that still runs', async () => {
    const child = sleeper();
    const owner = sleeper();
    const ledger = ledgerWith([
      {
        pid: child.pid!,
        identity: await processIdentity(child.pid!),
        owner: { pid: owner.pid!, identity: await processIdentity(owner.pid!) },
        startedAt: 0,
      },
    ]);
    expect(await ledger.reap({ graceMs: 100 })).toEqual([{ pid: child.pid, action: 'owner-alive' }]);
    expect(ledger.records()).toHaveLength(1);
    expect(readProc(child.pid!)).not.toBeNull();
  });

  it('ends the whole group of a leftover tree, and forgets records of trees that are gone', async () => {
    const child = sleeper();
    const exited = spawn(process.execPath, ['-e', '']);
    await new Promise((resolve) => exited.once('exit', resolve));
    const ledger = ledgerWith([
      { pid: child.pid!, identity: await processIdentity(child.pid!), owner: deadOwner, startedAt: 0 },
      { pid: exited.pid!, identity: 'linux:x:1', owner: deadOwner, startedAt: 0 },
    ]);
    const outcomes = await ledger.reap({ graceMs: 100 });
    expect(outcomes).toEqual(
      expect.arrayContaining([
        { pid: child.pid, action: 'killed' },
        { pid: exited.pid, action: 'gone' },
      ]),
    );
    await new Promise((resolve) =>
      child.exitCode !== null || child.signalCode ? resolve(null) : child.once('exit', resolve),
    );
    expect(child.signalCode).toBe('SIGTERM');
    expect(ledger.records()).toEqual([]);
  });
});

describe('leftover trees on Windows', () => {
  const record: TreeRecord = {
    pid: 100,
    identity: 'win32:1000',
    owner: { pid: 1, identity: null },
    startedAt: 0,
  };

  it('follows parent links down from a dead root, by creation time', () => {
    const table = [
      { pid: 200, parentPid: 100, created: '1100' }, // the root's child
      { pid: 300, parentPid: 200, created: '1200' }, // its grandchild
      { pid: 400, parentPid: 100, created: '900' }, // older than the root: not its child
      { pid: 500, parentPid: 999, created: '1300' }, // unrelated
    ];
    expect(windowsLeftovers(table, record)).toEqual([200, 300]);
  });

  it('keeps apart the children of a new process that took the root’s pid', () => {
    const table = [
      { pid: 100, parentPid: 4, created: '2000' }, // the pid, reused later
      { pid: 200, parentPid: 100, created: '1100' }, // the old root's child
      { pid: 600, parentPid: 100, created: '2100' }, // the new process's child
    ];
    expect(windowsLeftovers(table, record)).toEqual([200]);
  });
});
