// `Gatehouse --cli -- …`: argv picks CLI mode, the real CLI runs in-process with its own Chromium
// profile folder and the app exits with its code after its output is flushed; the README's command
// lines pass Electron's Windows argument check once the launch arguments start with `--`; and the
// launchers in build/bin/ find the app in the macOS and Linux layouts (run for real here, passing
// the Linux headless switches) and in the Windows one (read).
import { spawn, spawnSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  mkdtempSync,
  readFileSync,
  statSync,
  rmSync,
  symlinkSync,
  writeFileSync,
  copyFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { PassThrough, Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import {
  cliArguments,
  cliLaunchArguments,
  appBundleOf,
  installedApp,
  runCliInApp,
  sweepStaleProfiles,
  type CliApp,
  type CliModeOptions,
} from '../../main/desktop/cli-mode.js';
import { startEngine } from '../support/engine-fixture.js';
import { until } from '../support/desktop-launch.js';

/** What each CLI run's temporary profile folder is named after (cli-mode.ts). */
const CLI_PROFILE_PREFIX = 'gatehouse-cli-';

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

type FakeCliApp = CliApp & {
  exits: number[];
  dockHidden: boolean;
  userData?: string;
  policies: string[];
  /** Electron's app events: `activate`, and `quit` (Browser::Shutdown). */
  activate: EventEmitter;
  isPackaged: boolean;
  /** Resolves whenReady: Electron's `ready`. */
  becomeReady(): void;
};

function fakeApp(): FakeCliApp {
  const activate = new EventEmitter();
  let ready: () => void = () => undefined;
  const readyPromise = new Promise<void>((resolve) => (ready = resolve));
  const app: FakeCliApp = {
    becomeReady: () => ready(),
    whenReady: () => readyPromise,
    exits: [] as number[],
    dockHidden: false,
    userData: undefined as string | undefined,
    policies: [] as string[],
    activate,
    isPackaged: true,
    exit: (code = 0) => void app.exits.push(code),
    setPath: (_name: 'userData', path: string) => void (app.userData = path),
    dock: { hide: () => void (app.dockHidden = true) },
    setActivationPolicy: (policy) => void app.policies.push(policy),
    on: (event: 'activate' | 'quit', listener: () => void) => activate.on(event, listener),
  };
  return app;
}

/**
 * runCliInApp with a temporary folder of its own and a stand-in for `process`'s uncaught-error events
 * (the real ones belong to the test runner).
 */
function runIn(app: CliApp, args: readonly string[], options: CliModeOptions = {}) {
  return runCliInApp(app, args, { tempDir: tempDir(), failures: new EventEmitter(), ...options });
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
  it('gives each run a fresh 0700 Chromium profile before anything runs, and removes it at exit', async () => {
    const temp = tempDir();
    const seen: string[] = [];
    const runOnce = async () => {
      const app = fakeApp();
      await runIn(app, [], {
        tempDir: temp,
        loadCli: async () => async () => {
          seen.push(app.userData!);
          expect(statSync(app.userData!).mode & 0o777).toBe(0o700);
          return 0;
        },
        stdout: capture().stream,
        stderr: capture().stream,
      });
      return app;
    };
    // Two runs at once (the bridge beside `gatehouse status`): two profiles.
    const apps = await Promise.all([runOnce(), runOnce()]);
    expect(new Set(seen).size).toBe(2);
    for (const profile of seen) {
      expect(profile.startsWith(join(temp, CLI_PROFILE_PREFIX))).toBe(true);
      expect(existsSync(profile)).toBe(false);
    }
    expect(readdirSync(temp)).toEqual([]);
    expect(apps.map((app) => app.exits)).toEqual([[0], [0]]);
  });

  it('removes the profile when the run ends through Browser::Quit (Ctrl-C, SIGTERM), before its own end', async () => {
    const app = fakeApp();
    let profile = '';
    await runIn(app, [], {
      loadCli: async () => async () => {
        profile = app.userData!;
        expect(basename(profile)).toMatch(new RegExp(`^${CLI_PROFILE_PREFIX}${process.pid}-[A-Za-z0-9]{6}$`));
        // Electron's shutdown signal handler: Browser::Quit → before-quit, will-quit, quit.
        app.activate.emit('quit');
        expect(existsSync(profile)).toBe(false);
        return 130;
      },
      stdout: capture().stream,
      stderr: capture().stream,
    });
    expect(app.exits).toEqual([130]);
  });

  it('sweeps the profiles of runs whose process is gone, and only those', async () => {
    const temp = tempDir();
    const gone = spawnSync(process.execPath, ['-e', 'process.pid']).pid!;
    const folder = (name: string) => {
      mkdirSync(join(temp, name));
      writeFileSync(join(temp, name, 'Local State'), '{}');
      return join(temp, name);
    };
    const stale = folder(`${CLI_PROFILE_PREFIX}${gone}-Ab12Cd`);
    const live = folder(`${CLI_PROFILE_PREFIX}${process.pid}-Ef34Gh`);
    const older = folder(`${CLI_PROFILE_PREFIX}Ij56Kl`); // an earlier version's, with no pid: left alone
    const other = folder('gatehouse-cli-notes');
    writeFileSync(join(temp, `${CLI_PROFILE_PREFIX}${gone}-Mn78Op`), ''); // a file, not a profile
    expect(sweepStaleProfiles(temp)).toEqual([stale]);
    expect([stale, live, older, other].map((path) => existsSync(path))).toEqual([false, true, true, true]);
    // A run starting sweeps before it runs; one whose pid looks alive (reused, or another user's) keeps it.
    const kept = folder(`${CLI_PROFILE_PREFIX}${gone}-Qr90St`);
    expect(sweepStaleProfiles(temp, () => true)).toEqual([]);
    const app = fakeApp();
    await runIn(app, [], {
      tempDir: temp,
      loadCli: async () => async () => 0,
      stdout: capture().stream,
      stderr: capture().stream,
    });
    expect(existsSync(kept)).toBe(false);
    expect(readdirSync(temp).sort()).toEqual(
      [basename(live), basename(older), basename(other), `${CLI_PROFILE_PREFIX}${gone}-Mn78Op`].sort(),
    );
  });

  it.each([
    ['linux', '/opt/Gatehouse/gatehouse', {}, '/opt/Gatehouse/gatehouse'],
    [
      'linux',
      '/tmp/.mount_GatehoXYZ/gatehouse',
      { APPIMAGE: '/home/me/Gatehouse.AppImage' },
      '/home/me/Gatehouse.AppImage',
    ],
    ['darwin', '/Users/me/Apps/Gatehouse.app/Contents/MacOS/Gatehouse', {}, '/Users/me/Apps/Gatehouse.app'],
    ['win32', 'D:\\Tools\\Gatehouse\\Gatehouse.exe', {}, 'D:\\Tools\\Gatehouse\\Gatehouse.exe'],
  ] as const)(
    '%s: tells the bridge the installed app it runs from (%s)',
    async (platform, executable, env, app) => {
      const installed = fakeApp();
      const dev = fakeApp();
      dev.isPackaged = false;
      const seen: Array<string | undefined> = [];
      for (const run of [installed, dev]) {
        await runIn(run, ['bridge'], {
          platform,
          executable,
          env,
          spawn: (() =>
            Object.assign(new EventEmitter(), { unref: () => undefined })) as unknown as typeof spawn,
          loadCli: async () => async (_argv, io) => {
            seen.push(io.desktopApp);
            return 0;
          },
          stdout: capture().stream,
          stderr: capture().stream,
        });
      }
      expect(installedApp(platform, executable, env)).toBe(app);
      // A development run is no installed app: the bridge searches as the npm CLI's does.
      expect(seen).toEqual([app, undefined]);
    },
  );

  it('hands the CLI the standard input it was given, opened only when a command asks', async () => {
    const app = fakeApp();
    let opened = 0;
    let read = '';
    await runIn(app, ['bridge'], {
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
    const code = await runIn(app, ['status', '--data-dir', dataDir], {
      stdout: stdout.stream,
      stderr: stderr.stream,
      platform: 'darwin',
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
    const code = await runIn(app, ['status', '--json', '--data-dir', fixture.dataDir], {
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
    await runIn(app, ['status'], {
      loadCli: async () => {
        throw new Error('Cannot find module dist/main/cli/run-cli.js');
      },
      stdout: capture().stream,
      stderr: stderr.stream,
    });
    expect(app.exits).toEqual([1]);
    expect(stderr.text()).toBe('gatehouse: Cannot find module dist/main/cli/run-cli.js\n');
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
    await runIn(app, [], {
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

describe('runCliInApp when something fails outside the command', () => {
  it('an uncaught error: one line and its stack on stderr, exit 1, profile removed, once', async () => {
    const app = fakeApp();
    const failures = new EventEmitter();
    const stderr = capture();
    let finish: (code: number) => void = () => undefined;
    const run = runIn(app, ['bridge'], {
      failures,
      loadCli: async () => () => new Promise<number>((resolve) => (finish = resolve)),
      stdout: capture().stream,
      stderr: stderr.stream,
    });
    await until(() => failures.listenerCount('uncaughtException') === 1, 'the handlers');
    await new Promise((resolve) => setImmediate(resolve));
    failures.emit('uncaughtException', new TypeError('boom'));
    expect(app.exits).toEqual([1]);
    expect(stderr.text()).toMatch(/^gatehouse: unexpected error: TypeError: boom\n {4}at /);
    expect(existsSync(app.userData!)).toBe(false);
    // The command's own end, later, does not exit a second time.
    finish(0);
    await run;
    expect(app.exits).toEqual([1]);
  });

  it('an unhandled rejection ends the run the same way', async () => {
    const app = fakeApp();
    const failures = new EventEmitter();
    const stderr = capture();
    await runIn(app, [], {
      failures,
      loadCli: async () => async () => {
        failures.emit('unhandledRejection', 'the relay went away');
        return 0;
      },
      stdout: capture().stream,
      stderr: stderr.stream,
    });
    expect(app.exits).toEqual([1]);
    expect(stderr.text()).toBe('gatehouse: unexpected error: the relay went away\n');
  });

  it('standard output closed by its reader (| head -c 5) is a normal end: exit 0, nothing on stderr', async () => {
    const app = fakeApp();
    const stderr = capture();
    // A real pipe whose reader leaves after five bytes: the next writes fail with EPIPE.
    const head = spawn('head', ['-c', '5'], { stdio: ['pipe', 'pipe', 'inherit'] });
    let read = '';
    head.stdout.on('data', (chunk: Buffer) => (read += chunk.toString()));
    const exited = new Promise((resolve) => head.once('exit', resolve));
    const run = runIn(app, ['activity', '--json'], {
      loadCli: async () => async (_argv, io) => {
        io.stdout('line 1\n');
        await exited;
        for (let line = 2; line < 1_000 && app.exits.length === 0; line++) {
          io.stdout(`line ${line}\n`.repeat(1_000));
          await new Promise((resolve) => setImmediate(resolve));
        }
        return 0;
      },
      stdout: head.stdin,
      stderr: stderr.stream,
    });
    await until(() => app.exits.length > 0, 'the run to end');
    expect(app.exits).toEqual([0]);
    expect(read).toBe('line ');
    expect(stderr.text()).toBe('');
    await run;
    expect(app.exits).toEqual([0]);
  });

  it('macOS: keeps out of activation, and hands a reopen to the app bundle with `open -n`', async () => {
    const app = fakeApp();
    const spawned: Array<{ command: string; args: readonly string[] }> = [];
    const fakeSpawn = ((command: string, args: readonly string[]) => {
      spawned.push({ command, args });
      return Object.assign(new EventEmitter(), { unref: () => undefined });
    }) as unknown as typeof spawn;
    await runIn(app, ['bridge'], {
      platform: 'darwin',
      executable: '/Applications/Gatehouse.app/Contents/MacOS/Gatehouse',
      spawn: fakeSpawn,
      loadCli: async () => async () => {
        // Finder, Spotlight or `open -a Gatehouse` picked this process while the bridge runs.
        app.activate.emit('activate');
        return 0;
      },
      stdout: capture().stream,
      stderr: capture().stream,
    });
    expect([app.dockHidden, app.policies]).toEqual([true, ['prohibited']]);
    expect(spawned).toEqual([{ command: 'open', args: ['-n', '/Applications/Gatehouse.app'] }]);
    // Set again once launched: finishLaunching may have set the Info.plist's policy over it.
    app.becomeReady();
    await until(() => app.policies.length === 2, 'the policy set again after ready');
    expect(app.policies).toEqual(['prohibited', 'prohibited']);
  });

  it('macOS: a development run relays nothing (its bundle is Electron.app), other OSes set no policy', async () => {
    const dev = fakeApp();
    dev.isPackaged = false;
    await runIn(dev, [], {
      platform: 'darwin',
      loadCli: async () => async () => 0,
      stdout: capture().stream,
      stderr: capture().stream,
    });
    expect(dev.activate.listenerCount('activate')).toBe(0);
    const linux = fakeApp();
    await runIn(linux, [], {
      platform: 'linux',
      loadCli: async () => async () => 0,
      stdout: capture().stream,
      stderr: capture().stream,
    });
    expect([linux.policies, linux.dockHidden, linux.activate.listenerCount('activate')]).toEqual([
      [],
      false,
      0,
    ]);
  });

  it.each<[string, string | undefined]>([
    ['/Applications/Gatehouse.app/Contents/MacOS/Gatehouse', '/Applications/Gatehouse.app'],
    [
      '/Users/a/Applications/My Apps/Gatehouse.app/Contents/MacOS/Gatehouse',
      '/Users/a/Applications/My Apps/Gatehouse.app',
    ],
    ['/opt/Gatehouse/gatehouse', undefined],
    ['/repo/node_modules/electron/dist/Electron', undefined],
  ])('the app bundle around %s is %s', (executable, bundle) => {
    expect(appBundleOf(executable)).toBe(bundle);
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
