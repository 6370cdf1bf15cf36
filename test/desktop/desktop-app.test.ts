// The desktop app's life with fake Electron objects and a real engine: the data folder and lock
// before `ready`, a second launch leaving, the engine started with the desktop's effects, a start
// failure shown in a dialog, and quitting only after the engine has stopped.
import { EventEmitter } from 'node:events';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine, ENGINE_FILE, type EngineOptions } from '../../main/core/engine.js';
import { MemoryKeyValueStore, type KeyValueStore } from '../../main/core/store/settings.js';
import { runDesktop, type DesktopEngine, type DesktopOptions } from '../../main/desktop/desktop-app.js';
import { startEngine, silentLogger } from '../support/engine-fixture.js';
import { fakeDesktopElectron, fakeSafeStorage, labels } from '../support/electron-fakes.js';

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
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
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

  it('uses GATEHOUSE_DATA_DIR as the data folder, as the CLI does', async () => {
    const dataDir = join(tempDir(), 'custom');
    const { app, run, engines } = launch({ env: { GATEHOUSE_DATA_DIR: dataDir } });
    expect(app.getPath('userData')).toBe(dataDir);
    app.becomeReady();
    await run;
    expect(engines[0]?.options.dataDir).toBe(dataDir);
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

  it('tells the user it is already running when a second launch hands over', async () => {
    const { app, run, electron } = launch();
    app.becomeReady();
    await run;
    app.events.emit('second-instance');
    expect(electron.notifications).toEqual([
      { title: 'Gatehouse is already running', body: 'Its menu is in the tray.' },
    ]);
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

    effects.notifier.notify({ title: 'Consent needed', body: 'Cursor asks for access', kind: 'consent' });
    expect(electron.notifications).toEqual([{ title: 'Consent needed', body: 'Cursor asks for access' }]);
  });
});
