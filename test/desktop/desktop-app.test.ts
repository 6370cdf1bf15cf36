// The desktop app's life with fake Electron objects and a real engine: the data folder, Windows'
// AppUserModelID and the lock before `ready`, the window at a start by the user (not at login), a
// second launch showing the window, a translocated macOS app moving or quitting, the engine started
// with the desktop's effects, the window's content, guards, IPC and menu, the decision window and
// its announcement for a consent and for a tool call waiting for approval, start at login, the
// Dock, a start failure shown in a dialog, and quitting only after the engine has stopped.
import { EventEmitter } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine, ENGINE_FILE, type EngineOptions } from '../../main/core/engine.js';
import { MemoryKeyValueStore, type KeyValueStore } from '../../main/core/store/settings-store.js';
import { runDesktop, type DesktopEngine, type DesktopOptions } from '../../main/desktop/desktop-app.js';
import { CALL_CHANNEL, EVENT_CHANNEL } from '../../preload/ipc-channels.js';
import { CONTENT_SECURITY_POLICY } from '../../main/desktop/window-policy.js';
import { MOVE_BY_HAND, MOVE_DETAIL, MOVE_TITLE } from '../../main/desktop/translocation.js';
import { startEngine, silentLogger } from '../support/engine-fixture.js';
import { authorizeClient } from '../support/oauth-client.js';
import {
  callFrom,
  fakeDesktopElectron,
  fakeSafeStorage,
  labels,
  menuItem,
} from '../support/electron-fakes.js';
import { openAuthorization, registerPublicClient } from '../support/raw-oauth.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-desktop-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

interface LaunchOptions {
  lock?: boolean;
  packaged?: boolean;
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  /** Opened by the user (the window comes up) rather than at login, as most tests here launch. */
  byUser?: boolean;
  executable?: string;
  safeStorageAvailable?: boolean;
  preferences?: KeyValueStore;
  /** Omit to use the shell's own engine start (the real core, the port from preferences). */
  startEngine?: DesktopOptions['startEngine'] | 'default';
}

function launch(options: LaunchOptions = {}) {
  const appData = tempDir();
  const electron = fakeDesktopElectron(
    appData,
    fakeSafeStorage({ available: options.safeStorageAvailable ?? true }),
  );
  electron.app.lock = options.lock ?? true;
  electron.app.isPackaged = options.packaged ?? false;
  electron.app.wasOpenedAtLogin = !options.byUser;
  // The app folder: a built renderer page for app:// to serve.
  electron.app.appPath = join(appData, 'app');
  mkdirSync(join(appData, 'app', 'dist', 'renderer'), { recursive: true });
  writeFileSync(
    join(appData, 'app', 'dist', 'renderer', 'index.html'),
    '<!doctype html><title>Gatehouse</title>',
  );
  const signals = new EventEmitter();
  const logs: string[] = [];
  const order: string[] = [];
  const engines: Array<{ options: EngineOptions; engine: DesktopEngine }> = [];
  const preferenceDirs: string[] = [];
  const preferences = options.preferences ?? new MemoryKeyValueStore();
  const onPort0 = async (engineOptions: EngineOptions): Promise<DesktopEngine> => {
    const engine = await Engine.start({ ...engineOptions, port: 0 });
    const stop = engine.stop.bind(engine);
    // Record when the engine finished stopping, to compare with when the app quit.
    engine.stop = async () => {
      await stop();
      order.push('engine stopped');
    };
    engines.push({ options: engineOptions, engine });
    return engine;
  };
  const run = runDesktop(electron, {
    openPreferences: (dir) => {
      preferenceDirs.push(dir);
      return preferences;
    },
    ...(options.startEngine === 'default' ? {} : { startEngine: options.startEngine ?? onPort0 }),
    logger: silentLogger(logs),
    env: options.env ?? {},
    platform: options.platform ?? 'linux',
    signals,
    argv: options.byUser ? ['gatehouse'] : ['gatehouse', '--hidden'],
    ...(options.executable ? { executable: options.executable } : {}),
  });
  cleanups.push(async () => {
    // Whatever the test did, leave no engine running.
    for (const { engine } of engines) await engine.stop();
  });
  const app = electron.app;
  // Recorded as it happens, so a quit that did not wait for the engine shows up out of order.
  const quitted = app.quit$.then(() => void order.push('app quitted'));
  return { electron, app, run, signals, logs, order, engines, preferenceDirs, appData, quitted };
}

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
    expect(labels(menu)).toEqual(['&Gatehouse', '&Edit', '&View', '&Window']);
    menuItem(menu, '&Gatehouse', 'Copy MCP URL').click?.();
    expect(electron.clipboardWrites).toEqual([running!.engine.mcpUrl]);
    menuItem(menu, '&Gatehouse', 'Quit Gatehouse').click?.();
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
    app.events.emit('second-instance');
    expect(electron.windows).toHaveLength(1);
    expect(electron.windows[0]?.loads).toEqual(['app://gatehouse/index.html#/']);
    await until(() => electron.windows[0]!.moves.includes('focus'), 'the window to come forward');
    // A third launch brings the same window forward.
    app.events.emit('second-instance');
    expect(electron.windows).toHaveLength(1);
    expect(electron.notifications).toEqual([]);
  });

  it('tells the user it is already running when a second launch comes before the engine is up', async () => {
    const { app, electron } = launch();
    app.events.emit('second-instance');
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

  it('registers app:// before ready, serves the built renderer on it after, and guards the session', async () => {
    const { app, run, electron } = launch();
    expect(electron.privilegedSchemes.map((scheme) => scheme.scheme)).toEqual(['app']);
    expect(electron.protocolHandlers.size).toBe(0);
    app.becomeReady();
    await run;
    const handler = electron.protocolHandlers.get('app');
    const response = await handler!(new Request('app://gatehouse/index.html'));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('<!doctype html><title>Gatehouse</title>');
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    await expect(electron.defaultSession.requestPermission('media')).resolves.toBe(false);
    expect(electron.defaultSession.headersFor({})).toEqual({
      'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
    });
  });

  it('guards every window it opens, and opens https links in the browser instead', async () => {
    const { app, run, electron } = launch();
    app.becomeReady();
    const running = await run;
    running!.windows.showMain();
    const contents = electron.windows[0]!.webContents;
    expect(contents.tryNavigate('https://evil.example/')).toBe(true);
    expect(contents.tryNavigate('app://gatehouse/index.html#/clients')).toBe(false);
    expect(contents.tryAttachWebview()).toBe(true);
    expect(contents.windowOpenHandler?.({ url: 'https://modelcontextprotocol.io/' })).toEqual({
      action: 'deny',
    });
    expect(contents.windowOpenHandler?.({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    await until(() => electron.opened.length > 0, 'the link to open');
    expect(electron.opened).toEqual(['https://modelcontextprotocol.io/']);
  });

  it('says so in the log when the preload script was not built', async () => {
    const { app, run, logs, appData } = launch();
    app.becomeReady();
    await run;
    const preload = join(appData, 'app', 'dist', 'preload', 'preload.cjs');
    expect(logs).toContain(
      `error The window's preload script is missing (${preload}): build it with npm run build.`,
    );
  });

  it('opens windows with the built preload, and DevTools only outside the installed app', async () => {
    const { app, run, electron, appData, logs } = launch({ packaged: true });
    mkdirSync(join(appData, 'app', 'dist', 'preload'), { recursive: true });
    writeFileSync(join(appData, 'app', 'dist', 'preload', 'preload.cjs'), '');
    app.becomeReady();
    const running = await run;
    expect(logs.filter((line) => line.includes('preload'))).toEqual([]);
    running!.windows.showMain();
    expect(electron.windows[0]!.options.webPreferences).toMatchObject({
      preload: join(appData, 'app', 'dist', 'preload', 'preload.cjs'),
      devTools: false,
      sandbox: true,
      contextIsolation: true,
    });
  });

  it('answers the window’s calls through IPC and pushes engine events to it', async () => {
    const { app, run, electron } = launch();
    app.becomeReady();
    const running = await run;
    running!.windows.showMain();
    const contents = electron.windows[0]!.webContents;
    const reply = await electron.ipc.invoke(CALL_CHANNEL, callFrom(contents), 'settings.set', {
      auditRetentionDays: 45,
    });
    expect(reply).toMatchObject({ ok: true, value: { auditRetentionDays: 45 } });
    await until(
      () => contents.sent.some((message) => JSON.stringify(message.args) === '[{"type":"settings.changed"}]'),
      'the settings event',
    );
    expect(contents.sent.every((message) => message.channel === EVENT_CHANNEL)).toBe(true);
  });

  it('Open Gatehouse in the tray opens the window', async () => {
    const { app, run, electron } = launch();
    app.becomeReady();
    const running = await run;
    await running!.tray.refresh();
    menuItem(electron.trays[0]!.menu!.template, 'Open Gatehouse').click?.();
    expect(electron.windows).toHaveLength(1);
  });

  it('a waiting consent brings the decision window forward on its route, with a notification', async () => {
    const { app, run, electron } = launch({ platform: 'darwin' });
    app.becomeReady();
    const running = await run;
    const engine = running!.engine as Engine;
    const clientId = await registerPublicClient(engine, { client_name: 'Decision Test Client' });
    await openAuthorization(engine, clientId, { scope: 'mcp:read', resource: engine.mcpUrl });
    const [pending] = await engine.call('consents.list');
    await until(() => electron.windows.length === 1, 'the decision window');
    const decision = electron.windows[0]!;
    expect(decision.options).toMatchObject({ alwaysOnTop: true });
    expect(decision.loads).toEqual([`app://gatehouse/index.html#/consents/${pending!.id}`]);
    await until(() => decision.moves.includes('focus'), 'the decision window to take focus');
    // macOS 14+ decides itself: the app asks to be active (never `steal`), and the window is on every Space.
    expect(app.focusCalls.length).toBeGreaterThan(0);
    expect(app.focusCalls.every((options) => options === undefined)).toBe(true);
    expect(decision.workspaces).toEqual([
      [true, { visibleOnFullScreen: true, skipTransformProcessType: true }],
    ]);
    // A decision window alone keeps the app a menu-bar app (no Dock icon), as full-screen Spaces need.
    expect(app.dock.log).toEqual(['hide']);
    // Announced once, by the shell, with the deadline in the window's words; kept on screen.
    expect(electron.notifications).toHaveLength(1);
    expect(electron.notifications[0]).toMatchObject({
      title: 'Decision Test Client asks for access',
      timeoutType: 'never',
      urgency: 'critical',
    });
    expect(electron.notifications[0]!.body).toMatch(
      new RegExp(
        `^Match code ${pending!.matchCode}\\. Denied automatically in (10:00|9:[0-5]\\d) unless you answer\\.$`,
      ),
    );

    // Clicking the notification returns to the decision, not to a new window.
    const focusesBefore = decision.moves.filter((move) => move === 'focus').length;
    electron.clickNotification('Decision Test Client asks for access');
    expect(decision.moves.filter((move) => move === 'focus').length).toBe(focusesBefore + 1);
    expect(electron.windows).toHaveLength(1);

    // Answered elsewhere (here, as the CLI or tray would): the window goes.
    await engine.call('consents.deny', { id: pending!.id });
    await until(() => decision.destroyed, 'the decision window to close');
    expect(app.dock.log).toEqual(['hide']);
  });

  it('Windows: a tool call waiting for approval comes forward like a consent: window, flashing taskbar button, notification', async () => {
    const { app, run, electron } = launch({ platform: 'win32' });
    app.becomeReady();
    const running = await run;
    const engine = running!.engine as Engine;
    await engine.call('connectors.add', {
      name: 'everything',
      settings: { kind: 'stdio', command: process.execPath, args: [serverEverything(), 'stdio'] },
    });
    await engine.call('tools.set', { connector: 'everything', tool: 'echo', approval: 'ask' });
    const { client } = await authorizeClient(engine, { access: 'read', name: 'Approval Tester' });
    cleanups.push(() => client.close());
    // The client's consent came and went through the decision window; now its tool call waits.
    await until(() => electron.windows.every((window) => window.destroyed), 'the consent window to close');
    const before = electron.windows.length;
    const call = client.callTool({ name: 'everything__echo', arguments: { message: 'may I?' } });
    await until(() => electron.windows.length > before, 'the decision window');
    const [pending] = await engine.call('approvals.list');
    const decision = electron.windows.at(-1)!;
    expect(decision.loads).toEqual([`app://gatehouse/index.html#/approvals/${pending!.id}`]);
    await until(() => decision.moves.includes('flash'), 'the taskbar button to flash');
    const notice = electron.notifications.at(-1)!;
    expect(notice).toMatchObject({
      title: 'Approval Tester wants to run everything__echo',
      timeoutType: 'never',
      urgency: 'critical',
    });
    expect(notice.body).toMatch(
      /^Allow or deny it in Gatehouse\. Denied automatically in (2:00|1:[0-5]\d) unless you answer\.$/,
    );
    // The engine's own notice for it was not shown as well: one notification per decision.
    expect(
      electron.notifications.filter((shown) => shown.title.startsWith('Approval Tester wants')),
    ).toHaveLength(1);

    decision.userFocuses();
    expect(decision.moves.at(-1)).toBe('flash stopped');
    await engine.call('approvals.allow', { id: pending!.id, always: false });
    expect((await call).content).toEqual([{ type: 'text', text: 'Echo: may I?' }]);
    await until(() => decision.destroyed, 'the decision window to close');
  });

  it('a notification the OS refuses (unsigned macOS) is logged, and the decision window is brought forward again', async () => {
    const { app, run, electron, logs } = launch({ platform: 'darwin' });
    app.becomeReady();
    const running = await run;
    const engine = running!.engine as Engine;
    const clientId = await registerPublicClient(engine, { client_name: 'Unsigned Test Client' });
    await openAuthorization(engine, clientId, { scope: 'mcp:read', resource: engine.mcpUrl });
    await until(() => electron.notifications.length === 1, 'the notification');
    const decision = electron.windows[0]!;
    await until(() => decision.moves.includes('focus'), 'the decision window');
    const focuses = decision.moves.filter((move) => move === 'focus').length;
    electron.failNotification(
      'Unsigned Test Client asks for access',
      'Notifications are not allowed for this application',
    );
    expect(decision.moves.filter((move) => move === 'focus').length).toBe(focuses + 1);
    expect(
      logs.some((line) =>
        line.startsWith(
          'warn could not show a notification (Notifications are not allowed for this application): Unsigned Test Client asks for access — Match code',
        ),
      ),
    ).toBe(true);
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
    cleanups.push(() => other.stop());
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
  });

  it('hands the engine a URL opener limited to https and its own port, and system notifications', async () => {
    const { app, run, engines, electron } = launch();
    app.becomeReady();
    const running = await run;
    const { effects } = engines[0]!.options;
    const own = `http://127.0.0.1:${running?.engine.port}/consent/abc`;
    await effects.openUrl.open('https://auth.example.com/authorize');
    await effects.openUrl.open(own);
    await expect(effects.openUrl.open('http://127.0.0.1:1/')).rejects.toThrow(
      'Gatehouse will not open http://127.0.0.1:1/',
    );
    await expect(effects.openUrl.open('file:///etc/passwd')).rejects.toThrow(
      'Gatehouse will not open a file: link',
    );
    expect(electron.opened).toEqual(['https://auth.example.com/authorize', own]);

    effects.notifier.notify({
      title: 'Gatehouse could not reconnect',
      body: 'github: refused',
      kind: 'info',
    });
    expect(electron.notifications).toEqual([
      { title: 'Gatehouse could not reconnect', body: 'github: refused' },
    ]);
    // Consents and approvals are announced by the decision watcher, with their deadline, not here.
    effects.notifier.notify({ title: 'Consent needed', body: 'Cursor asks for access', kind: 'consent' });
    effects.notifier.notify({ title: 'Approval needed', body: 'Cursor runs a tool', kind: 'approval' });
    expect(electron.notifications).toHaveLength(1);
  });
});

function serverEverything(): string {
  return join(
    dirname(createRequire(import.meta.url).resolve('@modelcontextprotocol/server-everything/package.json')),
    'dist',
    'index.js',
  );
}

async function until(condition: () => boolean, what: string, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
