// A connector's memory on its status line is its whole process tree's, read when asked: the process
// table the sandbox's bounds share (up to a second old) may predate a just-started server's processes,
// and showed only the root's 2 MB.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { residentMemoryBytes, treeSize } from '../../../../main/core/connectors/processes/resident-memory.js';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

describe.runIf(process.platform === 'linux')('a process tree’s resident memory', () => {
  it('counts the processes a root started after the shared table was read', async () => {
    // The shared table, read now: the tree below does not exist yet.
    expect(treeSize(process.pid)).not.toBeNull();
    // A shell (the root, as bubblewrap is a sandboxed server's) whose Node child holds 64 MB.
    const holder = `globalThis.held = Buffer.alloc(64 * 1024 * 1024, 1); console.log('up'); setTimeout(() => {}, 30000)`;
    const root = spawn('sh', ['-c', `"${process.execPath}" -e "${holder}"; true`], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    children.push(root);
    await once(root.stdout!, 'data');
    expect(await residentMemoryBytes(root.pid!, 'linux')).toBeGreaterThan(60 * 1024 ** 2);
  });

  it('counts a process whose name imitates the fields after it, in its own tree', async () => {
    // A hostile server names its process so that a parser reading up to the first ")" would take the
    // wrong parent ("x) S 1 (y": parent 1) and leave it, and all it holds, out of the server's tree.
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-comm-'));
    try {
      const disguised = join(dir, 'x) S 1 (y');
      symlinkSync('/bin/sleep', disguised);
      const root = spawn('sh', ['-c', `"${disguised}" 30 & "${disguised}" 30 & wait`], { stdio: 'ignore' });
      children.push(root);
      await expect.poll(() => treeSize(root.pid!, true)?.processes, { timeout: 10_000 }).toBe(3);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
