// A fake of Electron's `app`: what the shell asked of it, and Electron's quit sequence.
import { EventEmitter } from 'node:events';
import type { DesktopAppModule } from '../../../main/desktop/desktop-app.js';

/** A fake `app`: records what the shell asked of it and plays Electron's quit sequence. */
export class FakeApp implements DesktopAppModule {
  readonly events = new EventEmitter();
  readonly calls: string[] = [];
  readonly paths = new Map<string, string>();
  name = 'gatehouse';
  lock = true;
  quitted = false;
  exitCode: number | undefined;
  isPackaged = false;
  appPath = '/nonexistent/gatehouse-app';
  loginItem = { openAtLogin: false };
  readonly loginItemWrites: boolean[] = [];
  /** The args each login item read and write named (Windows passes --hidden). */
  readonly loginItemArgs: Array<string[] | undefined> = [];
  /** macOS: whether this launch came from the login item. */
  wasOpenedAtLogin = false;
  focusCalls: Array<{ steal: boolean } | undefined> = [];
  readonly appUserModelIds: string[] = [];
  /** What moveToApplicationsFolder answers: true (moving), false (cancelled), or an error it throws. */
  moveResult: boolean | Error = true;
  moves = 0;
  readonly dock = {
    hidden: false,
    /** 'show' / 'hide' in the order the shell asked. */
    log: [] as string[],
    hide: () => {
      this.dock.hidden = true;
      this.dock.log.push('hide');
    },
    show: async () => {
      this.dock.hidden = false;
      this.dock.log.push('show');
    },
  };
  #ready: () => void = () => undefined;
  readonly #whenReady = new Promise<void>((resolve) => (this.#ready = resolve));
  /** Resolves once a quit has gone all the way through (not prevented). */
  readonly quit$: Promise<void>;
  #quitDone: () => void = () => undefined;

  constructor(appData: string) {
    this.paths.set('appData', appData);
    this.quit$ = new Promise((resolve) => (this.#quitDone = resolve));
  }

  setName(name: string): void {
    this.calls.push(`setName ${name}`);
    this.name = name;
  }
  getPath(name: 'appData' | 'userData'): string {
    const path = this.paths.get(name);
    if (!path) throw new Error(`no path ${name}`);
    return path;
  }
  setPath(name: 'userData', path: string): void {
    this.calls.push(`setPath ${name}`);
    this.paths.set(name, path);
  }
  getVersion(): string {
    return '9.9.9-test';
  }
  getAppPath(): string {
    return this.appPath;
  }
  getLoginItemSettings(options?: { args?: string[] }): { openAtLogin: boolean; wasOpenedAtLogin: boolean } {
    this.loginItemArgs.push(options?.args);
    return { ...this.loginItem, wasOpenedAtLogin: this.wasOpenedAtLogin };
  }
  setLoginItemSettings(settings: { openAtLogin: boolean; args?: string[] }): void {
    this.loginItem = { openAtLogin: settings.openAtLogin };
    this.loginItemWrites.push(settings.openAtLogin);
    this.loginItemArgs.push(settings.args);
  }
  focus(options?: { steal: boolean }): void {
    this.focusCalls.push(options);
  }
  setAppUserModelId(id: string): void {
    this.calls.push(`setAppUserModelId ${id}`);
    this.appUserModelIds.push(id);
  }
  moveToApplicationsFolder(): boolean {
    this.moves++;
    if (this.moveResult instanceof Error) throw this.moveResult;
    return this.moveResult;
  }
  requestSingleInstanceLock(): boolean {
    this.calls.push('requestSingleInstanceLock');
    return this.lock;
  }
  whenReady(): Promise<void> {
    return this.#whenReady;
  }
  /** Emits `ready`, as Electron does once the entry module has evaluated. */
  becomeReady(): void {
    this.calls.push('ready');
    this.#ready();
  }
  on(event: string, listener: (...args: never[]) => void): this {
    this.events.on(event, listener as (...args: unknown[]) => void);
    return this;
  }
  quit(): void {
    this.calls.push('quit');
    let prevented = false;
    this.events.emit('before-quit', { preventDefault: () => (prevented = true) });
    if (prevented || this.quitted) return;
    this.quitted = true;
    this.calls.push('quitted');
    this.#quitDone();
  }
  exit(exitCode = 0): void {
    this.calls.push(`exit ${exitCode}`);
    this.exitCode = exitCode;
    this.quitted = true;
    this.#quitDone();
  }
}
