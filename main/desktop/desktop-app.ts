// The desktop app's life: one instance per data folder, living in the tray (no window yet), running
// the engine with the desktop's effects, and stopping the engine before it exits. Takes Electron's
// objects as parameters — main.ts hands in the real ones, tests hand in fakes and a real engine.
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Effects, Logger } from '../core/effects.js';
import type { EngineOptions } from '../core/engine.js';
import { consoleLogger } from '../core/headless.js';
import type { KeyValueStore } from '../core/store/settings.js';
import { desktopNotifier, type NotificationClass } from './notifier.js';
import { desktopVault, type SafeStorageLike } from './safe-storage-vault.js';
import { installWarningFilter } from '../core/sqlite-warning.js';
import { createTray, type GatehouseTray, type TrayElectron, type TrayEngine } from './tray.js';
import { desktopUrlOpener, type ExternalOpener } from './url-opener.js';

/** The part of Electron's `app` this uses. */
export interface DesktopAppModule {
  setName(name: string): void;
  getPath(name: 'appData' | 'userData'): string;
  setPath(name: 'userData', path: string): void;
  getVersion(): string;
  requestSingleInstanceLock(): boolean;
  whenReady(): Promise<void>;
  on(event: 'second-instance', listener: () => void): unknown;
  on(event: 'window-all-closed', listener: () => void): unknown;
  on(event: 'before-quit', listener: (event: { preventDefault(): void }) => void): unknown;
  quit(): void;
  exit(exitCode?: number): void;
  dock?: { hide(): void } | undefined;
}

/** Every Electron object the shell uses, as main.ts imports them. */
export interface DesktopElectron<Image, Menu> extends TrayElectron<Image, Menu> {
  app: DesktopAppModule;
  dialog: { showErrorBox(title: string, content: string): void };
  safeStorage: SafeStorageLike;
  shell: ExternalOpener;
  Notification: NotificationClass;
}

/** The engine as the shell uses it (main/core/engine.ts's Engine is one). */
export interface DesktopEngine extends TrayEngine {
  readonly port: number;
  stop(): Promise<void>;
}

export interface DesktopOptions {
  /** The preferences store for a data folder: electron-store in the app. */
  openPreferences(dataDir: string): KeyValueStore;
  /** Starts the engine. By default imports main/core/engine.js only now, after the SQLite warning filter. */
  startEngine?: (options: EngineOptions) => Promise<DesktopEngine>;
  logger?: Logger;
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  /** Where SIGINT and SIGTERM arrive (process): they quit the app the orderly way. */
  signals?: NodeJS.EventEmitter;
  /** Passed to the tray (tests point it elsewhere or shorten its debounce). */
  trayIconDir?: string;
}

export interface RunningDesktop {
  readonly dataDir: string;
  readonly engine: DesktopEngine;
  readonly tray: GatehouseTray;
}

export const APP_NAME = 'Gatehouse';
export const START_FAILED_TITLE = 'Gatehouse could not start';

/**
 * Runs the app. Everything that must happen before Electron's `ready` (the app name, the data
 * folder, the single-instance lock) happens synchronously, before the first await: an ESM entry's
 * module evaluation is the only window Electron guarantees for it. Resolves once the engine and the
 * tray are up, or with undefined when this launch ends early (another instance runs, start failed).
 */
export async function runDesktop<Image, Menu>(
  electron: DesktopElectron<Image, Menu>,
  options: DesktopOptions,
): Promise<RunningDesktop | undefined> {
  const { app } = electron;
  const logger = options.logger ?? consoleLogger();
  const env = options.env ?? process.env;
  const platform = options.platform ?? process.platform;

  // The same folder defaultDataDir() names, so the CLI finds this engine: <appData>/Gatehouse, or
  // GATEHOUSE_DATA_DIR. Electron's own userData default follows package.json's lowercase name.
  app.setName(APP_NAME);
  app.setPath('userData', env.GATEHOUSE_DATA_DIR || join(app.getPath('appData'), APP_NAME));

  // The lock is per data folder: a second launch hands over to the first and leaves.
  if (!app.requestSingleInstanceLock()) {
    logger.info('Gatehouse is already running: its menu is in the tray.');
    app.quit();
    return undefined;
  }

  const notifier = desktopNotifier(electron.Notification, logger);
  // Filled in as the app comes up; the quit path and the URL opener read what is there.
  const live: { engine?: DesktopEngine; tray?: GatehouseTray } = {};
  let starting: Promise<DesktopEngine | undefined> = Promise.resolve(undefined);
  let quitRequested = false;
  let stopped = false;

  app.on('second-instance', () => {
    notifier.notify({
      title: 'Gatehouse is already running',
      body: 'Its menu is in the tray.',
      kind: 'info',
    });
  });
  // Gatehouse lives in the tray: closing windows (once there are any) never quits it.
  app.on('window-all-closed', () => undefined);
  app.on('before-quit', (event) => {
    if (stopped) return;
    // Hold the quit until the engine has closed its sessions, flushed the audit log and released
    // the port; then quit again, which passes through here.
    event.preventDefault();
    if (quitRequested) return;
    quitRequested = true;
    void (async () => {
      const running = await starting.catch(() => undefined);
      live.tray?.dispose();
      try {
        await running?.stop();
      } catch (error) {
        logger.error('the engine did not stop cleanly', { error: messageOf(error) });
      }
      stopped = true;
      app.quit();
    })();
  });
  const signals = options.signals ?? process;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) signals.on(signal, () => app.quit());

  await app.whenReady();
  if (platform === 'darwin') app.dock?.hide();
  if (quitRequested) return undefined;

  const dataDir = app.getPath('userData');
  const startEngine = options.startEngine ?? defaultStartEngine;
  const start = async (): Promise<DesktopEngine> => {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    // Electron creates userData with the default mode before we run; the engine's secrets live here.
    if (platform !== 'win32') chmodSync(dataDir, 0o700);
    const effects: Effects = {
      clock: { now: () => Date.now() },
      random: { bytes: (length) => randomBytes(length) },
      vault: desktopVault({ safeStorage: electron.safeStorage, dataDir, logger, platform }),
      openUrl: desktopUrlOpener(electron.shell, () => live.engine?.port),
      notifier,
      fetch: globalThis.fetch.bind(globalThis),
      logger,
    };
    const preferences = options.openPreferences(dataDir);
    return startEngine({ dataDir, effects, preferences, version: app.getVersion() });
  };
  const started = start();
  starting = started;
  let engine: DesktopEngine;
  try {
    engine = await started;
    live.engine = engine;
  } catch (error) {
    const message = messageOf(error);
    logger.error(START_FAILED_TITLE, { error: message });
    electron.dialog.showErrorBox(START_FAILED_TITLE, message);
    stopped = true;
    app.exit(1);
    return undefined;
  }
  if (quitRequested) return undefined;

  const tray = createTray(electron, engine, {
    quit: () => app.quit(),
    notifier,
    logger,
    platform,
    ...(options.trayIconDir ? { iconDir: options.trayIconDir } : {}),
  });
  live.tray = tray;
  logger.info(`Gatehouse ${app.getVersion()} is running in the tray; MCP endpoint ${engine.mcpUrl}`);
  return { dataDir, engine, tray };
}

async function defaultStartEngine(options: EngineOptions): Promise<DesktopEngine> {
  installWarningFilter();
  const { Engine } = await import('../core/engine.js');
  return Engine.start(options);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
