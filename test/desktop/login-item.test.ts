// "Start at login" follows the setting: Electron's login item on macOS and Windows, an XDG autostart
// entry on Linux (its Exec line escaped per the Desktop Entry Specification, and run for real by
// GLib's `gio launch` where it is installed), nothing (but a note in the log) in a development run or
// from a translocated macOS app — checked against a real engine's settings. A start at login is told
// apart from a start by the user, who gets the window.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  autostartEntry,
  electronLoginItem,
  execArgument,
  followStartAtLogin,
  loginItemFor,
  startedAtLogin,
  xdgAutostartItem,
  type LoginItemApp,
} from '../../main/desktop/login-item.js';
import { silentLogger, startEngine } from '../support/engine-fixture.js';

/** The XDG autostart entry's file name (login-item.ts). */
const AUTOSTART_FILE = 'dev.gatehouse.app.desktop';

/** What the user reads when macOS holds the login item off (login-item.ts). */
const LOGIN_ITEM_HELD =
  'Start at login is on in Gatehouse but off in System Settings → General → Login Items; Gatehouse leaves it as you set it there. Turn Gatehouse on there to start it at login.';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-login-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function fakeApp(
  wasOpenedAtLogin = false,
): LoginItemApp & { writes: boolean[]; args: Array<string[] | undefined> } {
  let openAtLogin = false;
  const writes: boolean[] = [];
  const args: Array<string[] | undefined> = [];
  return {
    writes,
    args,
    getLoginItemSettings: (options) => {
      args.push(options?.args);
      return { openAtLogin, wasOpenedAtLogin };
    },
    setLoginItemSettings: (settings) => {
      openAtLogin = settings.openAtLogin;
      writes.push(settings.openAtLogin);
      args.push(settings.args);
    },
  };
}

function hasGio(): boolean {
  return spawnSync('gio', ['version'], { encoding: 'utf8' }).status === 0;
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('loginItemFor', () => {
  it.each(['darwin', 'win32'] as const)('%s (installed): Electron’s login item', (platform) => {
    const app = fakeApp();
    const item = loginItemFor({ platform, packaged: true, app, env: {}, executable: '/x' });
    if ('unavailable' in item) throw new Error(item.unavailable);
    item.setEnabled(true);
    expect(app.writes).toEqual([true]);
  });

  it('linux (installed): an XDG autostart entry, not Electron’s login item', () => {
    const app = fakeApp();
    const configHome = tempDir();
    const item = loginItemFor({
      platform: 'linux',
      packaged: true,
      app,
      env: { XDG_CONFIG_HOME: configHome },
      executable: '/opt/Gatehouse/gatehouse',
    });
    if ('unavailable' in item) throw new Error(item.unavailable);
    item.setEnabled(true);
    expect(app.writes).toEqual([]);
    expect(existsSync(join(configHome, 'autostart', AUTOSTART_FILE))).toBe(true);
  });

  it('macOS, run from App Translocation: none, because nothing may point at the temporary copy', () => {
    const item = loginItemFor({
      platform: 'darwin',
      packaged: true,
      translocated: true,
      app: fakeApp(),
      env: {},
      executable: '/private/var/folders/x/T/AppTranslocation/ABC/d/Gatehouse.app/Contents/MacOS/Gatehouse',
    });
    expect(item).toEqual({
      unavailable:
        'Start at login needs Gatehouse in the Applications folder: macOS is running it from a temporary copy.',
    });
  });

  it.each([
    ['darwin', false, 'Start at login takes effect in the installed app, not in a development run.'],
    ['linux', false, 'Start at login takes effect in the installed app, not in a development run.'],
    ['freebsd', true, 'Start at login is not supported on freebsd.'],
  ] as const)('%s, installed %s: none, because “%s”', (platform, packaged, reason) => {
    const item = loginItemFor({ platform, packaged, app: fakeApp(), env: {}, executable: '/x' });
    expect(item).toEqual({ unavailable: reason });
  });
});

describe('electronLoginItem', () => {
  it('macOS: reads and writes openAtLogin (SMAppService takes no arguments)', () => {
    const app = fakeApp();
    const item = electronLoginItem(app, 'darwin');
    expect(item.isEnabled()).toBe(false);
    item.setEnabled(true);
    expect(item.isEnabled()).toBe(true);
    expect(app.writes).toEqual([true]);
    expect(app.args).toEqual([undefined, undefined, undefined]);
  });

  it('Windows: registers the app with --hidden, and reads the entry with the same arguments', () => {
    const app = fakeApp();
    const item = electronLoginItem(app, 'win32');
    item.isEnabled();
    item.setEnabled(true);
    expect(app.args).toEqual([['--hidden'], ['--hidden']]);
  });
});

describe('startedAtLogin', () => {
  it.each<[NodeJS.Platform, string[], boolean, boolean]>([
    ['linux', ['/opt/Gatehouse/gatehouse', '--hidden'], false, true],
    ['linux', ['/opt/Gatehouse/gatehouse'], false, false],
    ['win32', ['C:\\Gatehouse\\Gatehouse.exe', '--hidden'], false, true],
    ['win32', ['C:\\Gatehouse\\Gatehouse.exe'], false, false],
    ['darwin', ['/Applications/Gatehouse.app/Contents/MacOS/Gatehouse'], true, true],
    ['darwin', ['/Applications/Gatehouse.app/Contents/MacOS/Gatehouse'], false, false],
    ['darwin', ['/Applications/Gatehouse.app/Contents/MacOS/Gatehouse', '--hidden'], false, true],
  ])('%s %j, macOS login item says %s: %s', (platform, argv, wasOpenedAtLogin, expected) => {
    expect(startedAtLogin(platform, argv, fakeApp(wasOpenedAtLogin))).toBe(expected);
  });
});

describe('xdgAutostartItem', () => {
  it('writes an autostart entry that starts the executable, and removes it', () => {
    const configHome = tempDir();
    const item = xdgAutostartItem({ configHome, executable: '/opt/Gatehouse/gatehouse' });
    const file = join(configHome, 'autostart', AUTOSTART_FILE);
    expect(item.isEnabled()).toBe(false);
    item.setEnabled(true);
    expect(item.isEnabled()).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe(
      [
        '[Desktop Entry]',
        'Type=Application',
        'Name=Gatehouse',
        'Comment=Your own gate between AI clients and MCP connectors',
        'Exec="/opt/Gatehouse/gatehouse" --hidden',
        'Terminal=false',
        'X-GNOME-Autostart-enabled=true',
        '',
      ].join('\n'),
    );
    item.setEnabled(false);
    expect(existsSync(file)).toBe(false);
    expect(item.isEnabled()).toBe(false);
    item.setEnabled(false); // already gone: no error
  });

  it('counts an entry for another executable (an older install) as not enabled', () => {
    const configHome = tempDir();
    xdgAutostartItem({ configHome, executable: '/old/gatehouse' }).setEnabled(true);
    expect(xdgAutostartItem({ configHome, executable: '/opt/Gatehouse/gatehouse' }).isEnabled()).toBe(false);
  });

  it.each([
    ['/opt/Gatehouse/gatehouse', '"/opt/Gatehouse/gatehouse"'],
    // Quoting escapes " ` $ \ with a backslash; the string-value escape then doubles every backslash.
    ['/home/a "b"/$HOME/`x`', '"/home/a \\\\"b\\\\"/\\\\$HOME/\\\\`x\\\\`"'],
    // A literal backslash ends up as four, as the specification says.
    ['/home/me\\Apps/Gatehouse.AppImage', '"/home/me\\\\\\\\Apps/Gatehouse.AppImage"'],
    // % would start a field code.
    ['/home/me/100% sure/Gatehouse.AppImage', '"/home/me/100%% sure/Gatehouse.AppImage"'],
    ['/home/me/tab\there', '"/home/me/tab\\there"'],
  ])('escapes %j for the Exec key as %s', (path, escaped) => {
    expect(execArgument(path)).toBe(escaped);
    expect(autostartEntry(path)).toContain(`\nExec=${escaped} --hidden\n`);
  });

  it.skipIf(!hasGio())('GLib (gio launch) runs the entry as written: the awkward path, and --hidden', () => {
    const root = tempDir();
    const folder = join(root, 'we ird "q" $HOME `b` \\back');
    mkdirSync(folder, { recursive: true });
    const out = join(root, 'argv.txt');
    const executable = join(folder, 'run me.sh');
    writeFileSync(executable, `#!/bin/sh\nprintf '%s\\n' "$0" "$@" > '${out}'\n`);
    chmodSync(executable, 0o755);
    const entry = join(root, 'entry.desktop');
    writeFileSync(entry, autostartEntry(executable));
    const result = spawnSync('gio', ['launch', entry], { encoding: 'utf8', timeout: 10_000 });
    expect(result.stderr).toBe('');
    const deadline = Date.now() + 5_000;
    while (!existsSync(out) && Date.now() < deadline) spawnSync('sleep', ['0.05']);
    expect(readFileSync(out, 'utf8')).toBe(`${executable}\n--hidden\n`);
  });

  it('uses $APPIMAGE and $XDG_CONFIG_HOME on Linux', () => {
    const configHome = tempDir();
    const item = loginItemFor({
      platform: 'linux',
      packaged: true,
      app: fakeApp(),
      env: { APPIMAGE: '/home/me/Apps/Gatehouse.AppImage', XDG_CONFIG_HOME: configHome },
      executable: '/tmp/.mount_Gateh1234/gatehouse',
    });
    if ('unavailable' in item) throw new Error(item.unavailable);
    item.setEnabled(true);
    expect(readFileSync(join(configHome, 'autostart', AUTOSTART_FILE), 'utf8')).toContain(
      'Exec="/home/me/Apps/Gatehouse.AppImage" --hidden',
    );
  });
});

describe('followStartAtLogin on a real engine', () => {
  it('applies the setting at start and follows every change', async () => {
    const fixture = await startEngine();
    cleanups.push(() => fixture.stop());
    const app = fakeApp();
    const follow = followStartAtLogin(fixture.engine, electronLoginItem(app), silentLogger());
    cleanups.push(follow.dispose);
    await follow.ready;
    // Off by default, and already off: nothing written.
    expect(app.writes).toEqual([]);

    await fixture.engine.call('settings.set', { startAtLogin: true });
    await until(() => app.writes.length === 1, 'the login item to be enabled');
    expect(app.getLoginItemSettings().openAtLogin).toBe(true);

    // Unrelated settings changes do not write it again.
    await fixture.engine.call('settings.set', { auditRetentionDays: 10 });
    await fixture.engine.call('settings.set', { startAtLogin: false });
    await until(() => app.writes.length === 2, 'the login item to be disabled');
    expect(app.writes).toEqual([true, false]);

    follow.dispose();
    await fixture.engine.call('settings.set', { startAtLogin: true });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(app.writes).toEqual([true, false]);
  });

  it('macOS: leaves a login item the user turned off in System Settings off, and says so once', async () => {
    const fixture = await startEngine();
    cleanups.push(() => fixture.stop());
    // SMAppService as Electron reads it (browser_mac.mm): openAtLogin is status === 'enabled'.
    let status: 'not-registered' | 'enabled' | 'requires-approval' = 'not-registered';
    const writes: boolean[] = [];
    const app: LoginItemApp = {
      getLoginItemSettings: () => ({ openAtLogin: status === 'enabled', wasOpenedAtLogin: false, status }),
      setLoginItemSettings: ({ openAtLogin }) => {
        writes.push(openAtLogin);
        status = openAtLogin ? 'enabled' : 'not-registered';
      },
    };
    const logs: string[] = [];
    const follow = followStartAtLogin(fixture.engine, electronLoginItem(app, 'darwin'), silentLogger(logs));
    cleanups.push(follow.dispose);
    await follow.ready;
    await fixture.engine.call('settings.set', { startAtLogin: true });
    await until(() => writes.length === 1, 'the login item to be registered');

    // The user switches Gatehouse off under System Settings → General → Login Items.
    status = 'requires-approval';
    await fixture.engine.call('settings.set', { auditRetentionDays: 11 });
    await until(() => logs.length === 1, 'the note');
    await fixture.engine.call('settings.set', { auditRetentionDays: 12 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(writes).toEqual([true]);
    expect(logs).toEqual([`info ${LOGIN_ITEM_HELD}`]);

    // Turned off in Gatehouse too, then on again: still the user's "off" in System Settings.
    await fixture.engine.call('settings.set', { startAtLogin: false });
    await fixture.engine.call('settings.set', { startAtLogin: true });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(writes).toEqual([true]);
    // Windows has no such state: it registers as asked.
    expect(electronLoginItem(app, 'win32').heldByUser).toBeUndefined();
  });

  it('says once, in a development run, that the setting applies to the installed app', async () => {
    const fixture = await startEngine();
    cleanups.push(() => fixture.stop());
    const logs: string[] = [];
    const follow = followStartAtLogin(
      fixture.engine,
      { unavailable: 'Start at login takes effect in the installed app, not in a development run.' },
      silentLogger(logs),
    );
    cleanups.push(follow.dispose);
    await follow.ready;
    expect(logs).toEqual([]);
    await fixture.engine.call('settings.set', { startAtLogin: true });
    await until(() => logs.length === 1, 'the note');
    await fixture.engine.call('settings.set', { auditRetentionDays: 12 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(logs).toEqual([
      'info Start at login takes effect in the installed app, not in a development run.',
    ]);
  });
});
