// The sandbox's grant rules apart from a running server: what a command line proposes (a data file in
// the home folder to write, a settings file to read, a local service), where a granted file is saved
// (through a folder of its own, copied back by rename, never through a link the server made), and the
// gate's name answers (asked once for many connections).
import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { proposedGrants, withGrants } from '../../../../main/core/connectors/sandbox/grant-proposals.js';
import {
  keepSaved,
  linkSaved,
  savedFiles,
  throughSaved,
} from '../../../../main/core/connectors/sandbox/sandbox-files.js';
import { cachedLookup } from '../../../../main/core/connectors/sandbox/sandbox-gate-rules.js';
import { DEFAULT_SANDBOX } from '../../../../main/core/api/connector-config.js';
import { sandboxProfile } from '../../../../main/core/connectors/sandbox/sandbox-profile.js';
import { runtimeReads } from '../../../../main/core/connectors/sandbox/sandbox-grants.js';

const root = mkdtempSync(join(tmpdir(), 'gatehouse-grant-rules-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const home = join(root, 'home');
mkdirSync(join(home, '.config', 'autostart'), { recursive: true });
mkdirSync(join(home, 'notes'), { recursive: true });
mkdirSync(join(home, '.local', 'bin'), { recursive: true });
writeFileSync(join(home, 'memory.jsonl'), '');
writeFileSync(join(home, 'settings.yaml'), 'a: 1\n');
const place = { platform: 'linux' as const, home, dataDir: join(root, 'data') };

describe('grants a command line asks for', () => {
  it('proposes an existing data file to write, a settings file to read, folders, and local services', () => {
    const proposals = proposedGrants(
      {
        args: [
          join(home, 'notes'),
          '--config',
          join(home, 'settings.yaml'),
          '--out=~/.config/autostart',
          join(home, '.ssh', 'id_ed25519'),
        ],
        env: {
          MEMORY_FILE_PATH: join(home, 'memory.jsonl'),
          DATABASE_URL: 'postgres://me@localhost/app',
          OLLAMA_HOST: 'http://127.0.0.1:11434',
        },
        cwd: null,
      },
      place,
      { cwd: root, pathDirs: [join(home, '.local', 'bin')] },
    );
    expect(proposals).toEqual(
      expect.arrayContaining([
        { kind: 'write', target: '~/notes', from: 'argument 1', warning: null, refused: null },
        { kind: 'read', target: '~/settings.yaml', from: 'argument 3', warning: null, refused: null },
        {
          kind: 'write',
          target: '~/.config/autostart',
          from: 'argument 4',
          warning: 'what is written there runs by itself later (at login, in every shell, or as a service)',
          refused: null,
        },
        {
          kind: 'write',
          target: '~/memory.jsonl',
          from: 'environment MEMORY_FILE_PATH',
          warning: null,
          refused: null,
        },
        {
          kind: 'local',
          target: 'localhost:5432',
          from: 'environment DATABASE_URL',
          warning: null,
          refused: null,
        },
        {
          kind: 'local',
          target: '127.0.0.1:11434',
          from: 'environment OLLAMA_HOST',
          warning: null,
          refused: null,
        },
      ]),
    );
    // A secret is never proposed as a grant it could be (it does not exist here, and is refused anyway).
    expect(proposals.some((p) => p.target.includes('.ssh') && p.refused === null)).toBe(false);
    const granted = withGrants(DEFAULT_SANDBOX, proposals);
    expect(granted.folders).toEqual(expect.arrayContaining(['~/notes', '~/memory.jsonl']));
    expect(granted.readFolders).toEqual(['~/settings.yaml']);
    expect(granted.localServices).toEqual(['localhost:5432', '127.0.0.1:11434']);
  });
});

describe('a granted file saved by rename', () => {
  const file = join(home, 'memory.jsonl');
  const scratch = join(root, 'scratch');

  it('is saved through a folder of its own when the command line names it, copied back atomically', async () => {
    writeFileSync(file, 'one\n');
    const saved = savedFiles([file, join(home, 'notes')], ['--x', `--memory=${file}`], scratch, home);
    expect(saved).toEqual([
      {
        granted: file,
        inside: expect.stringMatching(new RegExp(`^${scratch}/files/[0-9a-f]{12}/memory\\.jsonl$`)),
      },
    ]);
    expect(throughSaved(`--memory=${file}`, saved, home)).toBe(`--memory=${saved[0]!.inside}`);
    expect(throughSaved('~/memory.jsonl', saved, home)).toBe(saved[0]!.inside);
    expect(throughSaved('other', saved, home)).toBe('other');
    linkSaved(saved);
    const inside = saved[0]!.inside;
    // A hard link: a write in place is a write to the user's file.
    expect(statSync(inside).ino).toBe(statSync(file).ino);
    const keeper = keepSaved(saved, (message) => {
      throw new Error(message);
    });
    // The server's save: a temp file beside it, renamed over it.
    writeFileSync(`${inside}.abc.tmp`, 'one\ntwo\n');
    renameSync(`${inside}.abc.tmp`, inside);
    await expect.poll(() => readFileSync(file, 'utf8'), { timeout: 5_000 }).toBe('one\ntwo\n');
    // Nothing of the copy is left beside the user's file.
    expect(readdirSync(home).filter((entry) => entry.includes('memory'))).toEqual(['memory.jsonl']);
    // A link the server puts there instead is never followed: the user's file stays as it was.
    rmSync(inside);
    symlinkSync(join(home, 'settings.yaml'), inside);
    keeper.close();
    expect(lstatSync(file).isSymbolicLink()).toBe(false);
    expect(readFileSync(file, 'utf8')).toBe('one\ntwo\n');
  });

  it('copies back at the next start a save a killed Gatehouse did not, and links the file again', () => {
    writeFileSync(file, 'old\n');
    const saved = savedFiles([file], [file], scratch, home);
    rmSync(saved[0]!.inside, { force: true });
    mkdirSync(join(saved[0]!.inside, '..'), { recursive: true });
    writeFileSync(saved[0]!.inside, 'saved while Gatehouse was killed\n');
    linkSaved(saved);
    expect(readFileSync(file, 'utf8')).toBe('saved while Gatehouse was killed\n');
    expect(statSync(saved[0]!.inside).ino).toBe(statSync(file).ino);
    // An older leftover is not: the user's file is the newer.
    rmSync(saved[0]!.inside);
    writeFileSync(saved[0]!.inside, 'stale\n');
    const past = new Date(Date.now() - 60_000);
    utimesSync(saved[0]!.inside, past, past);
    linkSaved(saved);
    expect(readFileSync(file, 'utf8')).toBe('saved while Gatehouse was killed\n');
  });
});

describe('the gate’s name answers', () => {
  it('asks once for many connections to one name, and answers them all', async () => {
    const answers = await Promise.all(
      Array.from(
        { length: 20 },
        () =>
          new Promise<string[]>((resolve, reject) =>
            cachedLookup('localhost', { all: true }, (error, addresses) =>
              error ? reject(error) : resolve(addresses.map((a) => a.address)),
            ),
          ),
      ),
    );
    expect(new Set(answers.map((a) => a.join())).size).toBe(1);
    expect(answers[0]!.length).toBeGreaterThan(0);
  });
});

describe('a connector’s own npx cache', () => {
  it('loses, before a start, a package an interrupted install left without its package.json', () => {
    const place = {
      platform: 'linux' as const,
      home,
      dataDir: join(root, 'data'),
      scratchRoot: join(root, 'scratch'),
      tempRoot: join(root, 'temp'),
    };
    const npx = join(root, 'scratch', 'memory', 'npm', '_npx');
    mkdirSync(join(npx, 'c98ccc168155bafa', 'node_modules'), { recursive: true });
    mkdirSync(join(npx, '0123456789abcdef', 'node_modules'), { recursive: true });
    writeFileSync(join(npx, '0123456789abcdef', 'package.json'), '{}');
    sandboxProfile('memory', { kind: 'stdio', command: 'npx', args: [], env: {} } as never, place, {
      cwd: root,
      resolved: process.execPath,
      args: [],
      pathValue: '',
      random: { bytes: (size: number) => Buffer.alloc(size, 1) } as never,
    });
    // The interrupted one goes (npm would fail on it at every start); the installed one stays.
    expect(readdirSync(npx)).toEqual(['0123456789abcdef']);
  });
});

// `npx x` (and pnpm's and Bun's runners) first looks for x in the project it starts in: inside the
// sandbox it may read the node_modules folders at and above its working folder, as outside, and no other.
describe('a package runner started in a project', () => {
  const project = join(home, 'work', 'app');
  for (const folder of [
    join(project, 'packages', 'api', 'node_modules'),
    join(project, 'node_modules'),
    join(home, 'work', 'node_modules'),
    join(home, 'elsewhere', 'node_modules'),
  ])
    mkdirSync(folder, { recursive: true });
  const cwd = join(project, 'packages', 'api');
  const launched = (program: string) => {
    writeFileSync(join(home, '.local', 'bin', program), '');
    return runtimeReads(
      { resolved: join(home, '.local', 'bin', program), args: ['-y', 'x'], pathValue: '', cwd },
      place,
      [home],
    );
  };

  it('reads the node_modules folders at and above its working folder, and no others', () => {
    for (const runner of ['npx', 'pnpx', 'bunx']) {
      const reads = launched(runner);
      expect(reads, runner).toEqual(
        expect.arrayContaining([
          join(cwd, 'node_modules'),
          join(project, 'node_modules'),
          join(home, 'work', 'node_modules'),
        ]),
      );
      expect(reads, runner).not.toContain(join(home, 'elsewhere', 'node_modules'));
    }
  });

  it('reads none for a program that is not one of them', () => {
    for (const program of ['uvx', 'npx-helper', 'server'])
      expect(
        launched(program).filter((read) => read.endsWith('node_modules')),
        program,
      ).toEqual([]);
  });
});
