// Standard input for `Gatehouse --cli -- bridge`: which stream is opened on each system and for each
// kind of descriptor (with fakes, since Electron's replaced process.stdin exists only in Electron on
// Windows), and the Node constructors it uses reading a real pipe and a real file on fd 0 of a
// child process (run here on this machine's OS, taking the Windows path on purpose).
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { standardInput, type StandardInputOpeners } from '../../main/desktop/standard-input.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const cleanups: Array<() => unknown> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

/** Openers that record which one was used, over a descriptor of the given kind. */
function fakeOpeners(fd0: 'closed' | 'tty' | 'pipe' | 'file' | 'broken') {
  const used: string[] = [];
  const stream = (name: string) => {
    used.push(name);
    return Readable.from([name]);
  };
  const openers: StandardInputOpeners = {
    processStdin: () => stream('process.stdin'),
    isOpen: () => fd0 !== 'closed',
    isTty: () => fd0 === 'tty',
    pipe: (fd) => {
      if (fd0 === 'broken') throw Object.assign(new Error('open EBADF'), { code: 'EBADF' });
      if (fd0 !== 'pipe') {
        throw Object.assign(new TypeError('Unsupported fd type: FILE'), { code: 'ERR_INVALID_FD_TYPE' });
      }
      return stream(`socket on fd ${fd}`);
    },
    file: (fd) => stream(`file stream on fd ${fd}`),
    tty: (fd) => stream(`tty stream on fd ${fd}`),
  };
  return { openers, used };
}

async function text(stream: Readable): Promise<string> {
  let all = '';
  for await (const chunk of stream) all += String(chunk);
  return all;
}

describe('standardInput picks the stream', () => {
  it.each(['linux', 'darwin'] as const)(
    '%s: process.stdin, which Electron leaves alone there',
    async (platform) => {
      const { openers, used } = fakeOpeners('pipe');
      const input = standardInput(platform, openers);
      expect(input.kind).toBe('process');
      expect(await text(input.stream)).toBe('process.stdin');
      expect(used).toEqual(['process.stdin']);
    },
  );

  it.each([
    ['pipe', 'pipe', 'socket on fd 0'],
    ['file', 'file', 'file stream on fd 0'],
    ['tty', 'tty', 'tty stream on fd 0'],
  ] as const)(
    'Windows, fd 0 a %s: opens its own stream on fd 0, never process.stdin',
    async (fd0, kind, opened) => {
      const { openers, used } = fakeOpeners(fd0);
      const input = standardInput('win32', openers);
      expect(input.kind).toBe(kind);
      expect(await text(input.stream)).toBe(opened);
      expect(used).toEqual([opened]);
    },
  );

  it('Windows, no standard input at all: an empty stream, as a closed input reads elsewhere', async () => {
    const { openers, used } = fakeOpeners('closed');
    const input = standardInput('win32', openers);
    expect(input.kind).toBe('none');
    expect(await text(input.stream)).toBe('');
    expect(used).toEqual([]);
  });

  it('Windows: a pipe that cannot be opened is an error, not a silent switch to a file', () => {
    const { openers } = fakeOpeners('broken');
    expect(() => standardInput('win32', openers)).toThrow('open EBADF');
  });
});

describe('the Node streams it opens, on a real fd 0', () => {
  const moduleUrl = pathToFileURL(join(repoRoot, 'dist', 'main', 'desktop', 'standard-input.js')).href;
  /** A child that takes the Windows path on whatever fd 0 it got and echoes what it reads. */
  const child = `
    const { standardInput } = await import(${JSON.stringify(moduleUrl)});
    const input = standardInput('win32');
    let all = '';
    for await (const chunk of input.stream) all += chunk;
    process.stdout.write(input.kind + ':' + all);
  `;

  function runChild(stdin: 'pipe' | number, write?: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const process_ = spawn(process.execPath, ['--input-type=module', '-e', child], {
        stdio: [stdin, 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      process_.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
      process_.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
      process_.on('error', reject);
      process_.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`exit ${code}: ${err}`))));
      if (write !== undefined) process_.stdin!.end(write);
    });
  }

  it('reads MCP lines from a pipe through a socket on fd 0', async () => {
    const lines = '{"jsonrpc":"2.0","id":1,"method":"initialize"}\n{"jsonrpc":"2.0","method":"x"}\n';
    await expect(runChild('pipe', lines)).resolves.toBe(`pipe:${lines}`);
  });

  it('reads a redirected file through a file stream on fd 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-stdin-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, 'messages.jsonl'), '{"jsonrpc":"2.0","id":7,"method":"ping"}\n');
    const fd = openSync(join(dir, 'messages.jsonl'), 'r');
    cleanups.push(() => closeSync(fd));
    await expect(runChild(fd)).resolves.toBe('file:{"jsonrpc":"2.0","id":7,"method":"ping"}\n');
  });
});
