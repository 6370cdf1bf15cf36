// Command resolution like the user's terminal: the login shell's PATH (read between markers), the usual
// install directories when the shell gives nothing, PATHEXT and cmd.exe quoting on Windows — against a
// fake host, so Windows and macOS logic runs on any machine — plus one run on the real machine.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { stdioSettings } from '../../../../main/core/api/connector-config.js';
import {
  childEnvironment,
  CommandNotFoundError,
  createCommandResolver,
  defaultCommandResolver,
  knownSearchDirs,
  nodeLaunchHost,
  quoteForCmd,
  type LaunchHost,
} from '../../../../main/core/connectors/processes/stdio-launch.js';

interface FakeHostInput {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  homedir?: string;
  executables?: string[];
  directories?: string[];
  texts?: Record<string, string>;
  shellOutput?: string | null;
}

function fakeHost(input: FakeHostInput) {
  const shellCalls: Array<{ shell: string; script: string; timeoutMs: number }> = [];
  const norm = (p: string) => (input.platform === 'win32' ? p.toLowerCase() : p);
  const executables = new Set((input.executables ?? []).map(norm));
  const directories = new Set((input.directories ?? []).map(norm));
  const host: LaunchHost = {
    platform: input.platform,
    env: input.env,
    homedir: input.homedir ?? (input.platform === 'win32' ? 'C:\\Users\\Me' : '/Users/me'),
    cwd: input.platform === 'win32' ? 'C:\\work' : '/work',
    isExecutableFile: async (file) => executables.has(norm(file)),
    isDirectory: async (dir) => directories.has(norm(dir)),
    readText: async (file) => input.texts?.[file] ?? null,
    listDirectory: async (dir) =>
      [...directories]
        .filter((d) => d.startsWith(`${dir}/`) && !d.slice(dir.length + 1).includes('/'))
        .map((d) => d.slice(dir.length + 1)),
    runLoginShell: async (shell, script, timeoutMs) => {
      shellCalls.push({ shell, script, timeoutMs });
      return input.shellOutput ?? null;
    },
  };
  return { host, shellCalls };
}

const settings = (
  command: string,
  args: string[] = [],
  more: Partial<{ env: Record<string, string>; cwd: string }> = {},
) => stdioSettings.parse({ kind: 'stdio', command, args, ...more });

describe('command resolution on macOS and Linux', () => {
  it("searches the login shell's PATH, read between markers despite banners, and gives the child that PATH", async () => {
    const { host, shellCalls } = fakeHost({
      platform: 'darwin',
      env: { SHELL: '/bin/zsh', PATH: '/usr/bin:/bin:/usr/sbin:/sbin', HOME: '/Users/me' },
      shellOutput:
        'Last login: today\n__GATEHOUSE_PATH__/opt/homebrew/bin:/Users/me/.volta/bin:/usr/bin__GATEHOUSE_PATH__\nmotd',
      executables: ['/opt/homebrew/bin/npx', '/usr/bin/npx'],
    });
    const plan = await createCommandResolver(host)(settings('npx', ['-y', 'some-server']));
    expect(shellCalls).toEqual([
      { shell: '/bin/zsh', script: expect.stringContaining('"$PATH"'), timeoutMs: 5000 },
    ]);
    expect(shellCalls[0]?.script).toMatch(/^printf /);
    expect(plan.file).toBe('/opt/homebrew/bin/npx');
    expect(plan.args).toEqual(['-y', 'some-server']);
    expect(plan.windowsVerbatimArguments).toBe(false);
    expect(plan.env.PATH).toBe('/opt/homebrew/bin:/Users/me/.volta/bin:/usr/bin:/bin:/usr/sbin:/sbin');
  });

  it("tells the folders it searches, the login shell's first, sharing the one question with the launches", async () => {
    const { host, shellCalls } = fakeHost({
      platform: 'darwin',
      env: { SHELL: '/bin/zsh', PATH: '/usr/bin:/bin' },
      shellOutput: '__GATEHOUSE_PATH__/Users/me/.local/bin:/opt/homebrew/bin:/usr/bin__GATEHOUSE_PATH__',
      directories: ['/usr/local/bin'],
      executables: ['/opt/homebrew/bin/npx'],
    });
    const resolve = createCommandResolver(host);
    const [dirs, plan] = await Promise.all([resolve.searchDirs(), resolve(settings('npx'))]);
    expect(dirs).toEqual(['/Users/me/.local/bin', '/opt/homebrew/bin', '/usr/bin', '/bin', '/usr/local/bin']);
    expect(plan.env.PATH).toBe(dirs.join(':'));
    expect(shellCalls).toHaveLength(1);
  });

  it('asks the login shell once, whatever the number of launches', async () => {
    const { host, shellCalls } = fakeHost({
      platform: 'linux',
      env: { SHELL: '/bin/bash', PATH: '/usr/bin' },
      shellOutput: '__GATEHOUSE_PATH__/usr/bin__GATEHOUSE_PATH__',
      executables: ['/usr/bin/uvx'],
    });
    const resolve = createCommandResolver(host);
    await Promise.all([resolve(settings('uvx')), resolve(settings('uvx')), resolve(settings('uvx'))]);
    expect(shellCalls).toHaveLength(1);
  });

  it("falls back to Gatehouse's PATH plus install directories that exist, including nvm's default node", async () => {
    const nvm = '/Users/me/.nvm/versions/node';
    const { host } = fakeHost({
      platform: 'darwin',
      env: { SHELL: '/bin/zsh', PATH: '/usr/bin:/bin' },
      shellOutput: null, // timed out, or printed no markers
      directories: [
        '/opt/homebrew/bin',
        '/Users/me/.volta/bin',
        `${nvm}/v2.0.0`,
        `${nvm}/v20.1.0`,
        `${nvm}/v22.2.0`,
        `${nvm}/v22.11.0`,
        `${nvm}/v22.11.0/bin`,
        '/usr/bin',
      ],
      texts: { '/Users/me/.nvm/alias/default': '22\n' },
      executables: [`${nvm}/v22.11.0/bin/npx`],
    });
    const plan = await createCommandResolver(host)(settings('npx'));
    expect(plan.file).toBe(`${nvm}/v22.11.0/bin/npx`);
    expect(plan.env.PATH).toBe(`/usr/bin:/bin:/opt/homebrew/bin:/Users/me/.volta/bin:${nvm}/v22.11.0/bin`);
  });

  it('says exactly what was searched when the command is nowhere', async () => {
    const { host } = fakeHost({
      platform: 'darwin',
      env: { SHELL: '/bin/zsh', PATH: '/usr/bin:/bin' },
      shellOutput: '__GATEHOUSE_PATH__/usr/bin:/bin__GATEHOUSE_PATH__',
    });
    const failure = createCommandResolver(host)(settings('npx'));
    await expect(failure).rejects.toBeInstanceOf(CommandNotFoundError);
    await expect(failure).rejects.toThrow(
      'Cannot find "npx" on your PATH (searched: /usr/bin, /bin). Install it or give the full path in the connector\'s command.',
    );
  });

  it("looks the command up on Gatehouse's own PATH before one the connector sets, and starts the child with the connector's", async () => {
    const { host } = fakeHost({
      platform: 'linux',
      env: { SHELL: '/bin/bash', PATH: '/usr/bin' },
      shellOutput: '__GATEHOUSE_PATH__/usr/bin__GATEHOUSE_PATH__',
      executables: ['/usr/bin/npx', '/opt/evil/npx', '/opt/mine/tool'],
    });
    const resolve = createCommandResolver(host);
    // A connector's PATH (a catalog entry's, say) cannot swap the runtime Gatehouse starts…
    const npx = await resolve(settings('npx', [], { env: { PATH: '/opt/evil', TOKEN: 'x' } }));
    expect(npx.file).toBe('/usr/bin/npx');
    expect(npx.env.PATH).toBe('/opt/evil');
    expect(npx.env.TOKEN).toBe('x');
    // …but still finds a command only it has.
    expect((await resolve(settings('tool', [], { env: { PATH: '/opt/mine' } }))).file).toBe('/opt/mine/tool');
  });

  it('resolves relative and ~ paths against the working directory and home, and names a missing cwd', async () => {
    const { host } = fakeHost({
      platform: 'linux',
      env: { PATH: '/usr/bin' },
      executables: ['/srv/app/bin/server', '/Users/me/bin/server'],
      directories: ['/srv/app'],
    });
    const resolve = createCommandResolver(host);
    expect((await resolve(settings('./bin/server', [], { cwd: '/srv/app' }))).file).toBe(
      '/srv/app/bin/server',
    );
    expect((await resolve(settings('~/bin/server'))).file).toBe('/Users/me/bin/server');
    await expect(resolve(settings('./bin/server', [], { cwd: '/nowhere' }))).rejects.toThrow(
      'The working directory "/nowhere" does not exist. Fix the connector\'s working directory.',
    );
    await expect(resolve(settings('/opt/missing/server'))).rejects.toThrow(
      'Cannot find "/opt/missing/server" (looked for /opt/missing/server). Check the path in the connector\'s command, and that the file is executable.',
    );
  });

  it("keeps Gatehouse's own process plumbing out of the child's environment", () => {
    const env = childEnvironment(
      {
        platform: 'linux',
        env: {
          HOME: '/home/me',
          ELECTRON_RUN_AS_NODE: '1',
          NODE_OPTIONS: '--require x',
          PATH: '/old',
          LANG: 'C',
        },
      },
      '/new:/usr/bin',
      { API_KEY: 'k' },
    );
    expect(env).toEqual({ HOME: '/home/me', LANG: 'C', PATH: '/new:/usr/bin', API_KEY: 'k' });
  });
});

describe('command resolution on Windows', () => {
  const windowsEnv = {
    Path: 'C:\\Windows\\system32;C:\\Program Files\\nodejs',
    PATHEXT: '.COM;.EXE;.BAT;.CMD;.VBS;.JS',
    ComSpec: 'C:\\Windows\\system32\\cmd.exe',
    APPDATA: 'C:\\Users\\Me\\AppData\\Roaming',
  };

  it('resolves npx to npx.cmd through PATHEXT (never the extensionless shell script) and runs it via cmd.exe', async () => {
    const { host, shellCalls } = fakeHost({
      platform: 'win32',
      env: windowsEnv,
      executables: ['C:\\Program Files\\nodejs\\npx', 'C:\\Program Files\\nodejs\\npx.cmd'],
    });
    const plan = await createCommandResolver(host)(
      settings('npx', ['-y', '@modelcontextprotocol/server-filesystem', 'C:\\Users\\Me\\My Documents']),
    );
    expect(shellCalls).toHaveLength(0);
    expect(plan.resolved).toBe('C:\\Program Files\\nodejs\\npx.cmd');
    expect(plan.file).toBe('C:\\Windows\\system32\\cmd.exe');
    expect(plan.args).toEqual([
      '/d',
      '/s',
      '/c',
      '"C:\\Program^ Files\\nodejs\\npx.cmd ^"-y^" ^"@modelcontextprotocol/server-filesystem^" ^"C:\\Users\\Me\\My^ Documents^""',
    ]);
    expect(plan.windowsVerbatimArguments).toBe(true);
    // One PATH variable, spelled the Windows way, whatever case Gatehouse's own environment used.
    expect(Object.keys(plan.env).filter((key) => key.toUpperCase() === 'PATH')).toEqual(['Path']);
    expect(plan.env.Path).toBe(windowsEnv.Path);
  });

  it('adds the npm global directory when it exists, and finds global package commands there', async () => {
    const { host } = fakeHost({
      platform: 'win32',
      env: windowsEnv,
      directories: ['C:\\Users\\Me\\AppData\\Roaming\\npm'],
      executables: ['C:\\Users\\Me\\AppData\\Roaming\\npm\\mcp-server-git.cmd'],
    });
    const plan = await createCommandResolver(host)(settings('mcp-server-git'));
    expect(plan.resolved).toBe('C:\\Users\\Me\\AppData\\Roaming\\npm\\mcp-server-git.cmd');
    expect(plan.env.Path).toBe(`${windowsEnv.Path};C:\\Users\\Me\\AppData\\Roaming\\npm`);
  });

  it('spawns an .exe directly, with its arguments untouched', async () => {
    const { host } = fakeHost({
      platform: 'win32',
      env: { ...windowsEnv, Path: 'C:\\Users\\Me\\.local\\bin' },
      executables: ['C:\\Users\\Me\\.local\\bin\\uvx.exe'],
    });
    const plan = await createCommandResolver(host)(settings('uvx', ['mcp-server-fetch', 'a&b']));
    expect(plan).toMatchObject({
      file: 'C:\\Users\\Me\\.local\\bin\\uvx.exe',
      args: ['mcp-server-fetch', 'a&b'],
      windowsVerbatimArguments: false,
    });
  });

  it('accepts a command that already has its extension, and a full path with spaces', async () => {
    const { host } = fakeHost({
      platform: 'win32',
      env: windowsEnv,
      executables: ['C:\\Program Files\\nodejs\\npx.cmd', 'C:\\Program Files\\My Server\\server.exe'],
    });
    const resolve = createCommandResolver(host);
    expect((await resolve(settings('npx.cmd'))).resolved).toBe('C:\\Program Files\\nodejs\\npx.cmd');
    expect((await resolve(settings('C:\\Program Files\\My Server\\server'))).file).toBe(
      'C:\\Program Files\\My Server\\server.exe',
    );
  });

  it('escapes cmd metacharacters once, and twice for an npm cmd-shim in node_modules\\.bin', async () => {
    const { host } = fakeHost({
      platform: 'win32',
      env: { ...windowsEnv, Path: 'C:\\proj\\node_modules\\.bin' },
      executables: ['C:\\proj\\node_modules\\.bin\\server.cmd'],
    });
    const plan = await createCommandResolver(host)(settings('server', ['a&b']));
    expect(plan.args.at(-1)).toBe('"C:\\proj\\node_modules\\.bin\\server.cmd ^^^"a^^^&b^^^""');
    expect(quoteForCmd('a&b', false)).toBe('^"a^&b^"');
    expect(quoteForCmd('he said "hi & bye"', false)).toBe('^"he^ said^ \\^"hi^ ^&^ bye\\^"^"');
    expect(quoteForCmd('C:\\dir\\', false)).toBe('^"C:\\dir\\\\^"');
    expect(quoteForCmd('%PATH%', false)).toBe('^"^%PATH^%^"');
    expect(quoteForCmd('', false)).toBe('^"^"');
  });

  it('names the PATH directories it searched when nothing matched any PATHEXT extension', async () => {
    const { host } = fakeHost({
      platform: 'win32',
      env: windowsEnv,
      executables: ['C:\\Program Files\\nodejs\\npx'],
    });
    await expect(createCommandResolver(host)(settings('npx'))).rejects.toThrow(
      'Cannot find "npx" on your PATH (searched: C:\\Windows\\system32, C:\\Program Files\\nodejs). Install it or give the full path in the connector\'s command.',
    );
  });
});

describe('command resolution on this machine', () => {
  it('finds node through the real login shell and PATH', async () => {
    const plan = await createCommandResolver(nodeLaunchHost())(settings('node', ['--version']));
    expect(path.basename(plan.resolved)).toMatch(/^node(\.exe)?$/);
    expect(plan.env.PATH?.split(path.delimiter)).toContain(path.dirname(plan.resolved));
  });

  it("knows the process-wide resolver's folders for judgments that cannot wait, once the login shell answered", async () => {
    const dirs = await defaultCommandResolver().searchDirs();
    expect(knownSearchDirs()).toEqual(dirs);
    // The login shell's folders come first; this process's own PATH is searched too, after them.
    for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean))
      expect(dirs).toContain(dir);
  });
});
