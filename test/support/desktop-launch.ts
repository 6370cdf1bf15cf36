// What the desktop app's tests share: the shell started by runDesktop on fake Electron objects (see
// support/electron/) with a real engine on a free port, everything it left cleaned up after each test.
import { EventEmitter } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Engine } from '../../main/core/engine/engine.js';
import type { EngineOptions } from '../../main/core/engine/engine-options.js';
import type { KeyValueStore } from '../../main/core/store/settings-store.js';
import { runDesktop, type DesktopEngine, type DesktopOptions } from '../../main/desktop/desktop-app.js';
import { silentLogger } from './engine-fixture.js';
import { fakeDesktopElectron } from './electron/fake-desktop-electron.js';
import { fakeSafeStorage } from './electron/fake-safe-storage.js';
import { MemoryKeyValueStore } from './memory-stores.js';

const cleanups: Array<() => unknown> = [];

/** Runs `cleanup` after the current test; clean-ups run last in, first out. */
export function afterThisTest(cleanup: () => unknown): void {
  cleanups.push(cleanup);
}

/** Ends what the last test left behind: its engines, then their folders. Call in afterEach. */
export async function cleanUpLaunches(): Promise<void> {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
}

/** A fresh temporary folder, removed after the test. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-desktop-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** How a test launches the app: the OS, packaging, how it was opened, the keychain, preferences. */
export interface LaunchOptions {
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

/** Starts the desktop shell on fake Electron; returns the fakes and what the shell recorded. */
export function launch(options: LaunchOptions = {}) {
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

/** server-everything's entry, for a connector the decision tests call. */
export function serverEverything(): string {
  return join(
    dirname(createRequire(import.meta.url).resolve('@modelcontextprotocol/server-everything/package.json')),
    'dist',
    'index.js',
  );
}

/** Waits until `condition` holds, failing with `what` after `ms`. */
export async function until(condition: () => boolean, what: string, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
