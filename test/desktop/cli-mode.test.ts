// `Gatehouse --cli -- …`: argv picks CLI mode, the real CLI runs in-process with its own Chromium
// profile folder and the app exits with its code after its output is flushed; the README's command
// lines pass Electron's Windows argument check once the launch arguments start with `--`; and the
// launchers in build/bin/ find the app in the macOS and Linux layouts (run for real here, passing
// the Linux headless switches) and in the Windows one (read).
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  statSync,
  rmSync,
  symlinkSync,
  writeFileSync,
  copyFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import {
  cliArguments,
  cliLaunchArguments,
  cliProfileDir,
  runCliInApp,
  type CliApp,
} from '../../main/desktop/cli-mode.js';
import { startEngine } from '../support/engine-fixture.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-cli-mode-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function fakeApp(): CliApp & { exits: number[]; dockHidden: boolean; userData?: string; appData: string } {
  const app = {
    appData: tempDir(),
    exits: [] as number[],
    dockHidden: false,
    userData: undefined as string | undefined,
    exit: (code = 0) => void app.exits.push(code),
    getPath: () => app.appData,
    setPath: (_name: 'userData', path: string) => void (app.userData = path),
    dock: { hide: () => void (app.dockHidden = true) },
  };
  return app;
}

/**
 * Electron's Windows argument check, as in shell/app/command_line_args.cc (Electron 45): an argument
 * "is a URL" when the text before its first ':' is longer than one character, starts with a letter
 * and has no space; any argument after a URL argument makes wWinMain return -1 before any
 * JavaScript runs — unless a `--` came first, where the check stops.
 */
function electronWindowsCheckPasses(argv: readonly string[]): boolean {
  const isUrl = (arg: string) => {
    const end = arg.indexOf(':');
    if (end === -1) return false;
    const scheme = arg.slice(0, end);
    return scheme.length > 1 && /^[a-z]/i.test(scheme) && !/\s/.test(scheme);
  };
  let blocking = false;
  for (const arg of argv) {
    if (arg === '--') break;
    if (blocking) return false;
    if (isUrl(arg)) blocking = true;
  }
  return true;
}

/** Command lines from the README ("Everyday commands"), as a shell splits them. */
const readmeCommands: Array<[line: string, args: string[]]> = [
  [
    'gatehouse connectors add github --url https://api.githubcopilot.com/mcp/ --bearer-env GITHUB_TOKEN',
    [
      'connectors',
      'add',
      'github',
      '--url',
      'https://api.githubcopilot.com/mcp/',
      '--bearer-env',
      'GITHUB_TOKEN',
    ],
  ],
  [
    'gatehouse connectors add linear --url https://mcp.linear.app/mcp --oauth',
    ['connectors', 'add', 'linear', '--url', 'https://mcp.linear.app/mcp', '--oauth'],
  ],
  [
    'gatehouse clients register --name "My tool" --redirect-uri https://my.tool/callback',
    ['clients', 'register', '--name', 'My tool', '--redirect-uri', 'https://my.tool/callback'],
  ],
  [
    'gatehouse connectors add files --stdio --env-from TOKEN=MY_TOKEN -- npx -y @modelcontextprotocol/server-filesystem ~/Documents',
    [
      'connectors',
      'add',
      'files',
      '--stdio',
      '--env-from',
      'TOKEN=MY_TOKEN',
      '--',
      'npx',
      '-y',
      '@modelcontextprotocol/server-filesystem',
      '~/Documents',
    ],
  ],
];

function capture() {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  return { stream, text: () => text };
}

describe('cliArguments', () => {
  it.each<[string[], string[] | undefined]>([
    [['/Applications/Gatehouse.app/Contents/MacOS/Gatehouse'], undefined],
    [['/opt/Gatehouse/gatehouse', '--cli', 'status'], ['status']],
    [['/opt/Gatehouse/gatehouse', '--cli', '--', 'status'], ['status']],
    [
      ['/opt/Gatehouse/gatehouse', '--ozone-platform=headless', '--disable-gpu', '--cli', '--', 'status'],
      ['status'],
    ],
    // Only the launcher's own `--` goes: the user's, before a connector's command, stays.
    [
      ['Gatehouse.exe', '--cli', '--', 'connectors', 'add', 'x', '--stdio', '--', 'npx', '--', 'y'],
      ['connectors', 'add', 'x', '--stdio', '--', 'npx', '--', 'y'],
    ],
    [
      ['Gatehouse.exe', '--cli', '--', '--', 'npx'],
      ['--', 'npx'],
    ],
    [
      ['/opt/Gatehouse/gatehouse', '--cli', 'clients', 'revoke', 'c1', '--json'],
      ['clients', 'revoke', 'c1', '--json'],
    ],
    // A development run: electron <app folder> --cli …
    [['/repo/node_modules/electron/dist/electron', '/repo', '--cli', 'status'], ['status']],
    [['Gatehouse.exe', '--cli'], []],
    [['Gatehouse.exe', '--no-sandbox', 'status'], undefined],
    [['Gatehouse.exe', '--cli=status'], undefined],
  ])('%j → %j', (argv, expected) => {
    expect(cliArguments(argv)).toEqual(expected);
  });
});

describe('cliLaunchArguments', () => {
  it('puts `--` after --cli everywhere, and the headless switches before it on Linux', () => {
    expect(cliLaunchArguments(['status'], 'win32')).toEqual(['--cli', '--', 'status']);
    expect(cliLaunchArguments(['status'], 'darwin')).toEqual(['--cli', '--', 'status']);
    expect(cliLaunchArguments(['status'], 'linux')).toEqual([
      '--ozone-platform=headless',
      '--disable-gpu',
      '--cli',
      '--',
      'status',
    ]);
  });

  it.each(readmeCommands)(
    'Windows: `%s` passes Electron’s URL-argument check and arrives whole',
    (_line, args) => {
      const argv = ['C:\\Program Files\\Gatehouse\\Gatehouse.exe', ...cliLaunchArguments(args, 'win32')];
      expect(electronWindowsCheckPasses(argv)).toBe(true);
      expect(cliArguments(argv)).toEqual(args);
    },
  );

  it('Windows: without the `--` the same command lines would end before any JavaScript ran', () => {
    const stopped = readmeCommands.filter(
      ([, args]) => !electronWindowsCheckPasses(['C:\\Gatehouse\\Gatehouse.exe', '--cli', ...args]),
    );
    expect(stopped.map(([line]) => line)).toEqual(readmeCommands.slice(0, 2).map(([line]) => line));
  });

  it('the command lines tested here are the README’s own', () => {
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    for (const [line] of readmeCommands) expect(readme).toContain(line);
  });
});

describe('runCliInApp', () => {
  it('gives Chromium its own profile folder before anything runs, apart from the app’s', async () => {
    const app = fakeApp();
    let seenUserData: string | undefined;
    await runCliInApp(app, [], {
      loadCli: async () => async () => {
        seenUserData = app.userData;
        return 0;
      },
      stdout: capture().stream,
      stderr: capture().stream,
    });
    const profile = join(app.appData, 'Gatehouse', 'cli-profile');
    expect(cliProfileDir(app.appData)).toBe(profile);
    expect(seenUserData).toBe(profile);
    // Not the app's folder (<appData>/Gatehouse), nor Electron's default after package.json's name.
    expect(profile.toLowerCase()).not.toBe(join(app.appData, 'gatehouse').toLowerCase());
    expect(statSync(profile).mode & 0o777).toBe(0o700);
    expect(statSync(join(app.appData, 'Gatehouse')).mode & 0o777).toBe(0o700);
  });

  it('hands the CLI the standard input it was given, opened only when a command asks', async () => {
    const app = fakeApp();
    let opened = 0;
    let read = '';
    await runCliInApp(app, ['bridge'], {
      stdin: () => {
        opened++;
        return Readable.from(['{"jsonrpc":"2.0"}\n']);
      },
      loadCli: async () => async (_argv, io) => {
        expect(opened).toBe(0);
        for await (const chunk of io.stdin!()) read += String(chunk);
        return 0;
      },
      stdout: capture().stream,
      stderr: capture().stream,
    });
    expect([opened, read]).toEqual([1, '{"jsonrpc":"2.0"}\n']);
  });

  it('runs the real CLI and exits the app with its code, without a Dock icon', async () => {
    const app = fakeApp();
    const stdout = capture();
    const stderr = capture();
    const dataDir = tempDir();
    const code = await runCliInApp(app, ['status', '--data-dir', dataDir], {
      stdout: stdout.stream,
      stderr: stderr.stream,
    });
    expect(code).toBe(1);
    expect(app.exits).toEqual([1]);
    expect(app.dockHidden).toBe(true);
    expect(stdout.text()).toBe('');
    expect(stderr.text()).toBe(
      `gatehouse: Gatehouse is not running (no engine record in ${dataDir}). Start it with \`gatehouse serve\` or open the Gatehouse app.\n`,
    );
  });

  it('talks to the running engine like the npm-installed CLI', async () => {
    const fixture = await startEngine();
    cleanups.push(() => fixture.stop());
    const app = fakeApp();
    const stdout = capture();
    const code = await runCliInApp(app, ['status', '--json', '--data-dir', fixture.dataDir], {
      stdout: stdout.stream,
      stderr: capture().stream,
    });
    expect(code).toBe(0);
    expect(app.exits).toEqual([0]);
    expect(JSON.parse(stdout.text())).toMatchObject({ mcpUrl: fixture.engine.mcpUrl, paused: false });
  });

  it('exits with 1 and says why when the CLI cannot be loaded', async () => {
    const app = fakeApp();
    const stderr = capture();
    await runCliInApp(app, ['status'], {
      loadCli: async () => {
        throw new Error('Cannot find module dist/main/cli/commands.js');
      },
      stdout: capture().stream,
      stderr: stderr.stream,
    });
    expect(app.exits).toEqual([1]);
    expect(stderr.text()).toBe('gatehouse: Cannot find module dist/main/cli/commands.js\n');
  });

  it('exits only after the output has been written', async () => {
    const app = fakeApp();
    const order: string[] = [];
    // A pipe that takes its time: each chunk is out only when its callback runs.
    const slow = new Writable({
      write(chunk: Buffer, _encoding, done) {
        setTimeout(() => {
          if (chunk.length > 0) order.push('written');
          done();
        }, 20);
      },
    });
    const exit = app.exit;
    app.exit = (code) => {
      order.push('exit');
      exit(code);
    };
    await runCliInApp(app, [], {
      loadCli: async () => async (_argv, io) => {
        io.stdout('x'.repeat(100_000));
        return 0;
      },
      stdout: slow,
      stderr: capture().stream,
    });
    expect(order).toEqual(['written', 'exit']);
  });
});

describe('the gatehouse launchers (build/bin)', () => {
  const launcher = join(repoRoot, 'build', 'bin', 'gatehouse');

  /** A stand-in for the app binary: prints its arguments and exits 3. */
  function fakeAppBinary(file: string): void {
    writeFileSync(file, '#!/bin/sh\necho "app:$*"\nexit 3\n');
    chmodSync(file, 0o755);
  }

  function install(resourcesDir: string): string {
    mkdirSync(join(resourcesDir, 'bin'), { recursive: true });
    const installed = join(resourcesDir, 'bin', 'gatehouse');
    copyFileSync(launcher, installed);
    chmodSync(installed, 0o755);
    return installed;
  }

  const run = (file: string, args: string[]) =>
    spawnSync(file, args, { encoding: 'utf8', env: { PATH: process.env.PATH } });

  it.skipIf(process.platform === 'win32')('macOS layout: runs Contents/MacOS/Gatehouse --cli …', () => {
    const contents = join(tempDir(), 'Gatehouse.app', 'Contents');
    mkdirSync(join(contents, 'MacOS'), { recursive: true });
    fakeAppBinary(join(contents, 'MacOS', 'Gatehouse'));
    const result = run(install(join(contents, 'Resources')), ['clients', 'revoke', 'a b', '--json']);
    expect(result.stdout).toBe('app:--cli -- clients revoke a b --json\n');
    expect(result.status).toBe(3);
  });

  it.skipIf(process.platform === 'win32')(
    'Linux layout, through a relative and an absolute symlink on PATH',
    () => {
      const root = tempDir();
      const opt = join(root, 'opt', 'Gatehouse');
      mkdirSync(opt, { recursive: true });
      fakeAppBinary(join(opt, 'gatehouse'));
      const installed = install(join(opt, 'resources'));
      mkdirSync(join(root, 'usr', 'bin'), { recursive: true });
      symlinkSync('../../opt/Gatehouse/resources/bin/gatehouse', join(root, 'usr', 'bin', 'gatehouse'));
      symlinkSync(join(root, 'usr', 'bin', 'gatehouse'), join(root, 'gatehouse-abs'));
      for (const entry of [installed, join(root, 'usr', 'bin', 'gatehouse'), join(root, 'gatehouse-abs')]) {
        const result = run(entry, ['status']);
        expect(result.stdout, entry).toBe('app:--ozone-platform=headless --disable-gpu --cli -- status\n');
        expect(result.status).toBe(3);
      }
    },
  );

  it.skipIf(process.platform === 'win32').each(readmeCommands)(
    'Linux layout: `%s` reaches the app as cliLaunchArguments() writes it, and the CLI gets it back whole',
    (_line, args) => {
      const opt = join(tempDir(), 'opt', 'Gatehouse');
      mkdirSync(opt, { recursive: true });
      // Prints each argument on its own line, as the app's argv would hold them.
      writeFileSync(join(opt, 'gatehouse'), '#!/bin/sh\nfor arg in "$@"; do printf \'%s\\n\' "$arg"; done\n');
      chmodSync(join(opt, 'gatehouse'), 0o755);
      const result = run(install(join(opt, 'resources')), args);
      const argv = result.stdout.split('\n').slice(0, -1);
      expect(argv).toEqual(cliLaunchArguments(args, 'linux'));
      expect(cliArguments(['/opt/Gatehouse/gatehouse', ...argv])).toEqual(args);
    },
  );

  it.skipIf(process.platform === 'win32')('says where it looked when there is no app beside it', () => {
    const resources = join(tempDir(), 'resources');
    const result = run(install(resources), ['status']);
    expect(result.status).toBe(127);
    expect(result.stderr).toContain('gatehouse: the Gatehouse app was not found beside');
  });

  it('Windows: gatehouse.cmd runs ..\\..\\Gatehouse.exe --cli -- with every argument and its exit code', () => {
    const script = readFileSync(join(repoRoot, 'build', 'bin', 'gatehouse.cmd'), 'utf8');
    expect(script.split('\r\n').filter((line) => line && !line.startsWith('rem '))).toEqual([
      '@echo off',
      'setlocal',
      'set "GATEHOUSE_APP=%~dp0..\\..\\Gatehouse.exe"',
      'if not exist "%GATEHOUSE_APP%" goto missing',
      '"%GATEHOUSE_APP%" --cli -- %*',
      'exit /b %ERRORLEVEL%',
      ':missing',
      'echo gatehouse: the Gatehouse app was not found beside this launcher. 1>&2',
      'exit /b 127',
    ]);
    // cmd.exe reads batch files line by line: CRLF throughout.
    expect(script.replaceAll('\r\n', '')).not.toContain('\n');
  });
});
