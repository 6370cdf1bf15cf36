// Starting the desktop app: what is run on each platform, the override, and a launch that starts a
// real engine, which the bridge then finds through the data directory.
import { EventEmitter } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import {
  appCandidates,
  appImageCandidates,
  desktopAppLauncher,
  insidePackage,
  noAppLauncher,
} from '../../main/bridge/app-launcher.js';
import { locateEngine } from '../../main/bridge/engine-endpoint.js';
import { startEngine, type EngineFixture } from '../support/engine-fixture.js';

/** What the user reads when Gatehouse is not running (bridge-error.ts), as the user reads it. */
const NOT_RUNNING_MESSAGE =
  'Gatehouse is not running. Open the Gatehouse app (or run `gatehouse serve`), then restart this server in Claude.';

function fakeSpawn(outcome: 'spawn' | 'error' | { exit: number }) {
  const calls: Array<{ command: string; args: readonly string[] }> = [];
  const fake = ((command: string, args: readonly string[]) => {
    calls.push({ command, args });
    const child = Object.assign(new EventEmitter(), { unref: () => undefined });
    setImmediate(() => {
      if (outcome === 'spawn') child.emit('spawn');
      else if (outcome === 'error') child.emit('error', new Error('ENOENT'));
      else {
        child.emit('spawn');
        child.emit('exit', outcome.exit);
      }
    });
    return child;
  }) as unknown as typeof spawn;
  return { fake, calls };
}

describe('desktopAppLauncher', () => {
  it('opens a new instance of the app by name on macOS, in the background and the tray, and reports whether it exists', async () => {
    const found = fakeSpawn({ exit: 0 });
    expect(await desktopAppLauncher({ platform: 'darwin', env: {}, spawn: found.fake }).launch()).toBe(true);
    // -n: never the running command-line Gatehouse (this bridge) that a plain `open -a` may activate.
    expect(found.calls).toEqual([
      { command: 'open', args: ['-n', '-g', '-a', 'Gatehouse', '--args', '--hidden'] },
    ]);
    const missing = fakeSpawn({ exit: 1 });
    expect(await desktopAppLauncher({ platform: 'darwin', env: {}, spawn: missing.fake }).launch()).toBe(
      false,
    );
  });

  it('starts the first installed app found on PATH or in its install folder, in the tray', async () => {
    expect(appCandidates('linux', { PATH: '/usr/bin:/opt/bin' })).toEqual([
      '/usr/bin/gatehouse-app',
      '/usr/bin/Gatehouse',
      '/opt/bin/gatehouse-app',
      '/opt/bin/Gatehouse',
      '/opt/Gatehouse/gatehouse',
    ]);
    expect(
      appCandidates('win32', { Path: 'C:\\bin', LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local' }),
    ).toHaveLength(4);
    const started = fakeSpawn('spawn');
    const launcher = desktopAppLauncher({
      platform: 'linux',
      env: { PATH: '/usr/bin:/opt/bin' },
      spawn: started.fake,
      isFile: (path) => path === '/opt/bin/Gatehouse',
    });
    expect(await launcher.launch()).toBe(true);
    expect(started.calls).toEqual([{ command: '/opt/bin/Gatehouse', args: ['--hidden'] }]);
    const none = desktopAppLauncher({
      platform: 'linux',
      env: { PATH: '/usr/bin' },
      spawn: started.fake,
      isFile: () => false,
    });
    expect(await none.launch()).toBe(false);
  });

  it('Linux: a bridge run by an AppImage starts that AppImage ($APPIMAGE), before anything installed', async () => {
    const started = fakeSpawn('spawn');
    const appImage = '/home/me/Applications/Gatehouse-1.0.0-linux-x86_64.AppImage';
    const launcher = desktopAppLauncher({
      platform: 'linux',
      env: { APPIMAGE: appImage, PATH: '/usr/bin' },
      spawn: started.fake,
      isFile: (path) => path === appImage || path === '/opt/Gatehouse/gatehouse',
    });
    expect(await launcher.launch()).toBe(true);
    expect(started.calls).toEqual([{ command: appImage, args: ['--hidden'] }]);
  });

  it('Linux: finds the newest Gatehouse AppImage in ~/Applications, ~/.local/bin, ~/Downloads or on PATH', async () => {
    const home = mkdtempSync(join(tmpdir(), 'gatehouse-home-'));
    const bin = mkdtempSync(join(tmpdir(), 'gatehouse-bin-'));
    try {
      mkdirSync(join(home, 'Downloads'));
      const older = join(home, 'Downloads', 'Gatehouse-0.9.0-linux-x86_64.AppImage');
      const newer = join(home, 'Downloads', 'Gatehouse-1.0.0-linux-x86_64.AppImage');
      writeFileSync(older, '');
      writeFileSync(newer, '');
      writeFileSync(join(home, 'Downloads', 'Other-1.0.0.AppImage'), '');
      mkdirSync(join(home, 'Downloads', 'gatehouse.AppImage')); // a folder, not an AppImage
      utimesSync(older, new Date(2026, 0, 1), new Date(2026, 0, 1));
      utimesSync(newer, new Date(2026, 5, 1), new Date(2026, 5, 1));
      writeFileSync(join(bin, 'gatehouse.appimage'), '');
      const env = { HOME: home, PATH: bin };
      expect(appImageCandidates(env)).toEqual([newer, older, join(bin, 'gatehouse.appimage')]);
      const started = fakeSpawn('spawn');
      const launcher = desktopAppLauncher({
        platform: 'linux',
        env,
        spawn: started.fake,
        isFile: () => false,
      });
      expect(await launcher.launch()).toBe(true);
      expect(started.calls).toEqual([{ command: newer, args: ['--hidden'] }]);
      // Not on Windows: AppImages are Linux's.
      const windows = fakeSpawn('spawn');
      await desktopAppLauncher({ platform: 'win32', env, spawn: windows.fake, isFile: () => false }).launch();
      expect(windows.calls).toEqual([]);
    } finally {
      rmSync(home, { recursive: true, force: true });
      rmSync(bin, { recursive: true, force: true });
    }
  });

  it('starts the installed app this bridge runs inside, wherever it was installed', async () => {
    // A per-machine install in a custom folder: nothing the search knows.
    const exe = 'D:\\Tools\\Gatehouse\\Gatehouse.exe';
    const windows = fakeSpawn('spawn');
    const launcher = desktopAppLauncher({
      platform: 'win32',
      env: { PATH: 'C:\\bin', LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local' },
      spawn: windows.fake,
      isFile: (path) => path === exe || path.endsWith('Programs/Gatehouse/Gatehouse.exe'),
      desktopApp: exe,
      packageContainer: async () => null,
    });
    expect(await launcher.refusal?.()).toBeNull();
    expect(await launcher.launch()).toBe(true);
    expect(windows.calls).toEqual([{ command: exe, args: ['--hidden'] }]);
    // macOS: that bundle, not whichever "Gatehouse" LaunchServices knows first.
    const mac = fakeSpawn({ exit: 0 });
    await desktopAppLauncher({
      platform: 'darwin',
      env: {},
      spawn: mac.fake,
      desktopApp: '/Users/me/Apps/Gatehouse.app',
    }).launch();
    expect(mac.calls).toEqual([
      { command: 'open', args: ['-n', '-g', '/Users/me/Apps/Gatehouse.app', '--args', '--hidden'] },
    ]);
  });

  it('Windows: refuses to start the app from inside another app’s package, saying what to do', async () => {
    const started = fakeSpawn('spawn');
    const launcher = desktopAppLauncher({
      platform: 'win32',
      env: {},
      spawn: started.fake,
      desktopApp: 'C:\\Program Files\\Gatehouse\\Gatehouse.exe',
      packageContainer: async () => 'Claude_pzs8sxrjxfjjc',
    });
    const refusal = insidePackage('Claude_pzs8sxrjxfjjc');
    expect(await launcher.refusal?.()).toBe(refusal);
    expect(refusal).toBe(
      "Gatehouse is not running, and this bridge will not start it: it runs inside another app's package (Claude_pzs8sxrjxfjjc), where Windows would keep a Gatehouse started from here apart from your own, with its data in that app's private folder. Open Gatehouse from the Start menu (or turn on Start at login in its Settings), then restart this server in Claude.",
    );
    // GATEHOUSE_APP_COMMAND is the user's own choice: no refusal.
    const chosen = desktopAppLauncher({
      platform: 'win32',
      env: { GATEHOUSE_APP_COMMAND: 'C:\\x\\app.exe' },
      packageContainer: async () => 'Claude_pzs8sxrjxfjjc',
    });
    expect(await chosen.refusal?.()).toBeNull();
  });

  it('follows GATEHOUSE_APP_COMMAND, and starts nothing when it is empty', async () => {
    const started = fakeSpawn('spawn');
    expect(
      await desktopAppLauncher({
        platform: 'linux',
        env: { GATEHOUSE_APP_COMMAND: '/x/app' },
        spawn: started.fake,
      }).launch(),
    ).toBe(true);
    expect(started.calls).toEqual([{ command: '/x/app', args: [] }]);
    expect(
      await desktopAppLauncher({
        platform: 'darwin',
        env: { GATEHOUSE_APP_COMMAND: '' },
        spawn: started.fake,
      }).launch(),
    ).toBe(false);
    expect(started.calls).toHaveLength(1);
    const failing = fakeSpawn('error');
    expect(
      await desktopAppLauncher({
        platform: 'linux',
        env: { GATEHOUSE_APP_COMMAND: '/x/app' },
        spawn: failing.fake,
      }).launch(),
    ).toBe(false);
  });
});

describe('locateEngine', () => {
  let dataDir: string | undefined;
  let fixture: EngineFixture | undefined;
  afterEach(async () => {
    await fixture?.stop();
    fixture = undefined;
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const log: string[] = [];
  const options = (launcher = noAppLauncher) => ({
    dataDir: dataDir!,
    launcher,
    fetch: globalThis.fetch,
    log: (line: string) => void log.push(line),
  });

  it('answers with the launcher’s refusal, and starts nothing', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-locate-'));
    let launched = false;
    const launcher = {
      refusal: async () => insidePackage('Claude_pzs8sxrjxfjjc'),
      launch: async () => (launched = true),
    };
    await expect(locateEngine(options(launcher))).rejects.toThrow(insidePackage('Claude_pzs8sxrjxfjjc'));
    expect(launched).toBe(false);
  });

  it('says Gatehouse is not running at once when there is nothing to start', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-locate-'));
    await expect(locateEngine(options())).rejects.toThrow(NOT_RUNNING_MESSAGE);
  });

  it('starts the app and waits for its engine to listen', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-locate-'));
    const dir = dataDir;
    const launcher = {
      launch: async () => {
        setTimeout(
          () => void startEngine({ dataDir: dir, keepDataDir: true }).then((started) => (fixture = started)),
          300,
        );
        return true;
      },
    };
    const url = await locateEngine(options(launcher));
    expect(url.href).toBe(fixture!.engine.mcpUrl);
    expect(log).toContain('Gatehouse is not running; starting the Gatehouse app…');
  });

  it('gives up after the start wait', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-locate-'));
    const started = Date.now();
    await expect(
      locateEngine({ ...options({ launch: async () => true }), startWaitMs: 400 }),
    ).rejects.toThrow(NOT_RUNNING_MESSAGE);
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
  });
});
