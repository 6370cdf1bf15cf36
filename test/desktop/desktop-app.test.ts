// The desktop app's life with fake Electron objects and a real engine: the data folder, Windows'
// AppUserModelID and the lock before `ready`, the window at a start by the user (not at login), a
// second launch showing the window, a translocated macOS app moving or quitting, the engine started
// with the desktop's effects, the menu, start at login, the Dock, a start failure shown in a dialog,
// and quitting only after the engine has stopped. Windows and decisions: the two files beside it.
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Engine } from '../../main/core/engine/engine.js';
import { ENGINE_FILE } from '../../main/core/engine/engine-record.js';
import { startEngine } from '../support/engine-fixture.js';
import { labels, menuItem } from '../support/electron/fake-tray.js';
import { afterThisTest, cleanUpLaunches, launch, tempDir, until } from '../support/desktop-launch.js';
import { freePort } from '../support/conformance-suite.js';
import { killHard, startServe } from '../support/serve-process.js';
import { MemoryKeyValueStore } from '../support/memory-stores.js';

/** How to move it by hand (translocation.ts). */
const MOVE_BY_HAND =
  'Quit Gatehouse, drag it from your Downloads folder (or the disk image) into Applications, and open it from there.';

/** Why the app should move (translocation.ts). */
const MOVE_DETAIL =
  'macOS is running Gatehouse from a temporary, read-only copy, because it was opened where it was downloaded. The clients you connect and “Start at login” would point at that copy, which is gone after a restart. Gatehouse can move itself to Applications and open again from there.';

/** The title of the "move to Applications" dialog (translocation.ts). */
const MOVE_TITLE = 'Move Gatehouse to your Applications folder';

afterEach(cleanUpLaunches);

describe('runDesktop', () => {
  it('names the app, sets the data folder and takes the lock before ready, then starts the engine and the tray', async () => {
    const { app, run, appData, engines, preferenceDirs, electron } = launch();
    // The synchronous part: everything Electron needs before `ready`.
    expect(app.calls).toEqual(['setName Gatehouse', 'setPath userData', 'requestSingleInstanceLock']);
    const dataDir = join(appData, 'Gatehouse');
    expect(app.getPath('userData')).toBe(dataDir);
    expect(engines).toEqual([]);

    app.becomeReady();
    const running = await run;
    expect(running?.dataDir).toBe(dataDir);
    expect(engines).toHaveLength(1);
    const options = engines[0]!.options;
    expect(options.dataDir).toBe(dataDir);
    expect(options.version).toBe('9.9.9-test');
    expect(options.effects.vault.kind).toBe('os-keychain');
    // Claude Desktop reaches Gatehouse through this app's own executable in CLI mode, with the
    // launchers' arguments (on Linux: no display needed).
    expect(options.clientSetup?.bridgeCommand?.()).toEqual({
      command: process.execPath,
      args: [
        app.getAppPath(),
        '--ozone-platform=headless',
        '--disable-gpu',
        '--cli',
        '--',
        'bridge',
        '--data-dir',
        dataDir,
      ],
    });
    expect(preferenceDirs).toEqual([dataDir]);
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(existsSync(join(dataDir, ENGINE_FILE))).toBe(true);

    expect(electron.trays).toHaveLength(1);
    await running?.tray.refresh();
    expect(labels(electron.trays[0]?.menu?.template ?? [])[0]).toBe(
      `Gatehouse — active on 127.0.0.1:${running?.engine.port} · no clients connected`,
    );
    expect(app.dock.hidden).toBe(false);
  });

  it.each([
    [true, 'dev.gatehouse.app'],
    [false, '/dev/electron.exe'],
  ])(
    'Windows (installed %s): sets the AppUserModelID %s before anything else, for toasts',
    async (packaged, id) => {
      const { app, run, engines } = launch({ platform: 'win32', packaged, executable: '/dev/electron.exe' });
      expect(app.calls).toEqual([
        'setName Gatehouse',
        'setPath userData',
        `setAppUserModelId ${id}`,
        'requestSingleInstanceLock',
      ]);
      app.becomeReady();
      const running = await run;
      // The bridge command carries no Linux switches, and `--` keeps URLs from stopping Electron.
      expect(engines[0]!.options.clientSetup?.bridgeCommand?.().args).toEqual([
        ...(packaged ? [] : [app.getAppPath()]),
        '--cli',
        '--',
        'bridge',
        '--data-dir',
        running!.dataDir,
      ]);
    },
  );

  it.each(['linux', 'darwin'] as const)('%s: sets no AppUserModelID', (platform) => {
    const { app } = launch({ platform });
    expect(app.appUserModelIds).toEqual([]);
  });

  it.each(['linux', 'win32', 'darwin'] as const)(
    '%s: opened by the user, the main window comes up; started at login, it stays in the tray',
    async (platform) => {
      const user = launch({ platform, byUser: true });
      user.app.becomeReady();
      await user.run;
      expect(user.electron.windows.map((window) => window.loads)).toEqual([['app://gatehouse/index.html#/']]);

      const login = launch({ platform });
      login.app.becomeReady();
      await login.run;
      expect(login.electron.windows).toEqual([]);
    },
  );

  it('sets the application menu: Quit there stops the engine before the app quits', async () => {
    const { app, run, electron, order, quitted } = launch();
    app.becomeReady();
    const running = await run;
    await until(() => electron.applicationMenus.length > 0, 'the menu');
    const menu = electron.applicationMenus.at(-1)!.template;
    expect(labels(menu)).toEqual(['[G]atehouse', '[E]dit', '[V]iew', '[W]indow']);
    menuItem(menu, '[G]atehouse', 'Copy MCP URL').click?.();
    expect(electron.clipboardWrites).toEqual([running!.engine.mcpUrl]);
    menuItem(menu, '[G]atehouse', 'Quit Gatehouse').click?.();
    await quitted;
    expect(order).toEqual(['engine stopped', 'app quitted']);
  });

  it('uses GATEHOUSE_DATA_DIR as the data folder, as the CLI does', async () => {
    const dataDir = join(tempDir(), 'custom');
    const { app, run, engines } = launch({ env: { GATEHOUSE_DATA_DIR: dataDir } });
    expect(app.getPath('userData')).toBe(dataDir);
    app.becomeReady();
    await run;
    expect(engines[0]?.options.dataDir).toBe(dataDir);
  });

  describe('macOS, run from App Translocation (opened where it was downloaded)', () => {
    const translocated =
      '/private/var/folders/zz/abc/T/AppTranslocation/1F2E/d/Gatehouse.app/Contents/MacOS/Gatehouse';

    it('offers to move itself, and starts nothing while Electron moves and relaunches it', async () => {
      const { app, run, electron, engines } = launch({ platform: 'darwin', executable: translocated });
      app.becomeReady();
      await expect(run).resolves.toBeUndefined();
      expect(electron.messageBoxes).toEqual([
        { message: MOVE_TITLE, detail: MOVE_DETAIL, buttons: ['Move to Applications', 'Quit'] },
      ]);
      expect(app.moves).toBe(1);
      expect(engines).toEqual([]);
      expect(electron.trays).toEqual([]);
    });

    it('quits when the user says Quit, and says how to move it when the move fails', async () => {
      const declined = launch({ platform: 'darwin', executable: translocated });
      declined.electron.messageBoxAnswers.push(1);
      declined.app.becomeReady();
      await declined.run;
      expect([declined.app.moves, declined.app.exitCode, declined.engines.length]).toEqual([0, 0, 0]);

      const failed = launch({ platform: 'darwin', executable: translocated });
      failed.app.moveResult = new Error('Failed to copy the app: Permission denied');
      failed.app.becomeReady();
      await failed.run;
      expect(failed.electron.errorBoxes).toEqual([
        {
          title: 'Gatehouse could not move itself',
          content: `Failed to copy the app: Permission denied\n\n${MOVE_BY_HAND}`,
        },
      ]);
      expect([failed.app.exitCode, failed.engines.length]).toEqual([0, 0]);
    });

    it('runs as usual from Applications', async () => {
      const { app, run, electron } = launch({
        platform: 'darwin',
        executable: '/Applications/Gatehouse.app/Contents/MacOS/Gatehouse',
      });
      app.becomeReady();
      expect(await run).toBeDefined();
      expect(electron.messageBoxes).toEqual([]);
    });
  });

  it('hides the dock icon on macOS', async () => {
    const { app, run } = launch({ platform: 'darwin' });
    app.becomeReady();
    await run;
    expect(app.dock.hidden).toBe(true);
  });

  it('leaves at once when another instance holds the lock', async () => {
    const { app, run, engines, electron } = launch({ lock: false });
    // No `ready` needed: a second launch never gets that far.
    await expect(run).resolves.toBeUndefined();
    expect(app.calls).toEqual([
      'setName Gatehouse',
      'setPath userData',
      'requestSingleInstanceLock',
      'quit',
      'quitted',
    ]);
    expect(engines).toEqual([]);
    expect(electron.trays).toEqual([]);
  });

  it('opens the window when a second launch hands over', async () => {
    const { app, run, electron } = launch();
    app.becomeReady();
    await run;
    expect(electron.windows).toEqual([]); // started at login, it stays in the tray
    app.events.emit('second-instance', {}, ['/opt/Gatehouse/gatehouse']);
    expect(electron.windows).toHaveLength(1);
    expect(electron.windows[0]?.loads).toEqual(['app://gatehouse/index.html#/']);
    await until(() => electron.windows[0]!.moves.includes('focus'), 'the window to come forward');
    // A third launch brings the same window forward.
    app.events.emit('second-instance', {}, ['/opt/Gatehouse/gatehouse']);
    expect(electron.windows).toHaveLength(1);
    expect(electron.notifications).toEqual([]);
  });

  it('a second launch given --hidden (the bridge starting the app for a client) shows nothing', async () => {
    const { app, run, electron, logs } = launch();
    app.events.emit('second-instance', {}, ['/opt/Gatehouse/gatehouse', '--hidden']);
    expect(electron.notifications).toEqual([]);
    app.becomeReady();
    await run;
    app.events.emit('second-instance', {}, ['/opt/Gatehouse/gatehouse', '--hidden']);
    expect(electron.windows).toEqual([]);
    expect(logs).toContain('info Another launch with --hidden handed over: Gatehouse stays in the tray.');
    // The user opening it again still gets the window.
    app.events.emit('second-instance', {}, ['/opt/Gatehouse/gatehouse']);
    expect(electron.windows).toHaveLength(1);
  });

  it('Linux AppImage: the bridge command names $APPIMAGE, not the temporary mount', async () => {
    const { app, run, engines } = launch({
      packaged: true,
      executable: '/tmp/.mount_GatehoXYZ/gatehouse',
      env: { APPIMAGE: '/home/me/Applications/Gatehouse-1.0.0-linux-x86_64.AppImage' },
    });
    app.becomeReady();
    const running = await run;
    expect(engines[0]!.options.clientSetup?.bridgeCommand?.()).toEqual({
      command: '/home/me/Applications/Gatehouse-1.0.0-linux-x86_64.AppImage',
      args: [
        '--ozone-platform=headless',
        '--disable-gpu',
        '--cli',
        '--',
        'bridge',
        '--data-dir',
        running!.dataDir,
      ],
    });
  });

  it('Linux session loss (`quit` without before-quit): logs it and starts the engine’s stop', async () => {
    const { app, run, logs, order } = launch();
    app.becomeReady();
    await run;
    app.events.emit('quit');
    expect(logs).toContain('warn Gatehouse is ending without its orderly stop (the desktop session ended?)');
    await until(() => order.includes('engine stopped'), 'the engine to stop');
  });

  it('writes uncaught errors and rejections to the log file instead of Electron’s error box', async () => {
    const { run, app, signals, logs } = launch();
    app.becomeReady();
    await run;
    // Electron's own handler shows its box only when it is the sole listener (lib/browser/init.ts).
    expect(signals.listenerCount('uncaughtException')).toBe(1);
    signals.emit('uncaughtException', new RangeError('tray went away'));
    signals.emit('unhandledRejection', new Error('late refresh'));
    expect(logs.filter((line) => line.startsWith('error An unexpected'))).toEqual([
      expect.stringMatching(/^error An unexpected error in the main process .*RangeError: tray went away/),
      expect.stringMatching(
        /^error An unexpected rejected promise in the main process .*Error: late refresh/,
      ),
    ]);
  });

  it('tells the user it is already running when a second launch comes before the engine is up', async () => {
    const { app, electron } = launch();
    app.events.emit('second-instance', {}, ['/opt/Gatehouse/gatehouse']);
    expect(electron.notifications).toEqual([
      { title: 'Gatehouse is already running', body: 'Its menu is in the tray.' },
    ]);
    expect(electron.windows).toEqual([]);
  });

  it('macOS: opens the window when the app is opened again from the Dock or Finder', async () => {
    const { app, run, electron } = launch({ platform: 'darwin' });
    app.becomeReady();
    await run;
    app.events.emit('activate');
    expect(electron.windows).toHaveLength(1);
  });

  it('follows the start-at-login setting in the installed app', async () => {
    const { app, run } = launch({ packaged: true, platform: 'darwin' });
    app.becomeReady();
    const running = await run;
    await running!.engine.call('settings.set', { startAtLogin: true });
    await until(() => app.loginItem.openAtLogin, 'the login item');
    await running!.engine.call('settings.set', { startAtLogin: false });
    await until(() => !app.loginItem.openAtLogin, 'the login item to go');
    expect(app.loginItemWrites).toEqual([true, false]);
  });

  it('registers no login item in a development run', async () => {
    const { app, run, logs } = launch({ packaged: false, platform: 'darwin' });
    app.becomeReady();
    const running = await run;
    await running!.engine.call('settings.set', { startAtLogin: true });
    await until(() => logs.some((line) => line.includes('Start at login takes effect')), 'the note');
    expect(app.loginItemWrites).toEqual([]);
  });

  it('keeps running when every window closes', async () => {
    const { app, run } = launch();
    app.becomeReady();
    await run;
    expect(app.events.listenerCount('window-all-closed')).toBe(1);
    app.events.emit('window-all-closed');
    expect(app.quitted).toBe(false);
  });

  it('shows the engine error in a dialog and exits when the port is taken', async () => {
    const other = await startEngine();
    afterThisTest(() => other.stop());
    const preferences = new MemoryKeyValueStore();
    preferences.set('port', other.engine.port);
    const { app, run, electron, logs } = launch({ preferences, startEngine: 'default' });
    app.becomeReady();
    await expect(run).resolves.toBeUndefined();
    const message = `Port ${other.engine.port} on 127.0.0.1 is already in use (another Gatehouse, or another program). Gatehouse does not move to another port because your clients are configured for this one: stop the other program, or choose a port with --port N (or Settings → Port) and update your clients.`;
    expect(electron.errorBoxes).toEqual([{ title: 'Gatehouse could not start', content: message }]);
    expect(app.exitCode).toBe(1);
    expect(electron.trays).toEqual([]);
    expect(logs).toContain(`error Gatehouse could not start ${JSON.stringify({ error: message })}`);
  });

  it('stops the engine before the app quits', async () => {
    const { app, run, order, quitted, electron } = launch();
    app.becomeReady();
    const running = await run;
    const dataDir = running!.dataDir;
    const port = running!.engine.port;

    app.quit();
    // The first quit is held while the engine stops.
    expect(app.quitted).toBe(false);
    await quitted;
    expect(order).toEqual(['engine stopped', 'app quitted']);
    expect(electron.trays[0]?.destroyed).toBe(true);
    expect(electron.ipc.handlers.size).toBe(0);
    expect(existsSync(join(dataDir, ENGINE_FILE))).toBe(false);
    await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
  });

  it('quits the orderly way on SIGTERM', async () => {
    const { app, run, signals, order, quitted } = launch();
    app.becomeReady();
    await run;
    signals.emit('SIGTERM');
    await quitted;
    expect(order).toEqual(['engine stopped', 'app quitted']);
  });

  it('does not start the engine when asked to quit before ready', async () => {
    const { app, run, engines, quitted } = launch();
    app.quit();
    await quitted;
    app.becomeReady();
    await expect(run).resolves.toBeUndefined();
    expect(engines).toEqual([]);
  });

  it('falls back to the key-file vault, with a warning, when the OS keychain is unavailable', async () => {
    const { app, run, engines, logs } = launch({ safeStorageAvailable: false });
    app.becomeReady();
    await run;
    expect(engines[0]?.options.effects.vault.kind).toBe('key-file');
    expect(
      logs.some((line) =>
        line.startsWith('warn The OS keychain is not available, so stored secrets are protected less'),
      ),
    ).toBe(true);
    // And the user is told: status.get (gatehouse status, Settings) says what seals the secrets.
    expect((await (engines[0]?.engine as Engine).call('status.get')).secretProtection).toBe('key-file');
  });

  it('reports the OS keychain in the status when it seals the secrets', async () => {
    const { app, run, engines } = launch();
    app.becomeReady();
    await run;
    expect((await (engines[0]?.engine as Engine).call('status.get')).secretProtection).toBe('os-keychain');
  });

  it('starts on a data folder whose engine ended without any quit event (a Windows logoff), taking it over', async () => {
    // What TerminateCurrentProcessImmediately (WM_ENDSESSION) leaves: a real engine killed mid-run.
    const dataDir = tempDir();
    const children: ChildProcess[] = [];
    afterThisTest(() => Promise.all(children.map((child) => killHard(child))));
    const { child } = await startServe(dataDir, await freePort(), children);
    const before = JSON.parse(readFileSync(join(dataDir, ENGINE_FILE), 'utf8')) as { pid: number };
    expect(before.pid).toBe(child.pid);
    await killHard(child);

    const { app, run } = launch({ platform: 'win32', env: { GATEHOUSE_DATA_DIR: dataDir } });
    app.becomeReady();
    const running = await run;
    expect(running?.dataDir).toBe(dataDir);
    const after = JSON.parse(readFileSync(join(dataDir, ENGINE_FILE), 'utf8')) as {
      pid: number;
      port: number;
    };
    expect(after).toMatchObject({ pid: process.pid, port: running!.engine.port });
  });
});
