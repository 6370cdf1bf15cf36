// The windows with a fake BrowserWindow: which page each loads and with what options, how they come
// forward on each OS (every Space on macOS, a flashing taskbar button on Windows), the Dock icon
// following the main window on macOS, and the guards on every web contents and on the session
// (navigation, new windows, webviews, permissions, CSP).
import { describe, expect, it } from 'vitest';
import {
  createWindows,
  guardSession,
  guardWebContents,
  type WindowOptions,
} from '../../main/desktop/windows.js';
import {
  CONTENT_SECURITY_POLICY,
  decisionWindowOptions,
  mainWindowOptions,
} from '../../main/desktop/window-policy.js';
import { silentLogger } from '../support/engine-fixture.js';
import { FakeBrowserWindow, FakeSession, FakeWebContents } from '../support/electron/fake-windows.js';

/** How soon a second renderer crash counts as a crash loop (windows.ts). */
const CRASH_LOOP_MS = 10_000;

const PRELOAD = '/app/dist/preload/preload.cjs';

function windowsHarness(options: { dock?: boolean; platform?: NodeJS.Platform; now?: () => number } = {}) {
  const created: FakeBrowserWindow[] = [];
  const dockLog: string[] = [];
  let appFocused = 0;
  const logs: string[] = [];
  const windows = createWindows({
    BrowserWindow: class extends FakeBrowserWindow {
      constructor(windowOptions: WindowOptions) {
        super(windowOptions);
        created.push(this);
      }
    },
    preload: PRELOAD,
    devTools: false,
    logger: silentLogger(logs),
    dock: options.dock
      ? { show: () => void dockLog.push('show'), hide: () => void dockLog.push('hide') }
      : undefined,
    focusApp: () => void appFocused++,
    platform: options.platform ?? 'linux',
    ...(options.now ? { now: options.now } : {}),
  });
  return { windows, created, dockLog, logs, appFocused: () => appFocused };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('the main window', () => {
  it('opens on the app’s home page with the policy’s options, shown and focused once painted', async () => {
    const { windows, created, appFocused } = windowsHarness();
    windows.showMain();
    expect(created).toHaveLength(1);
    const [window] = created;
    expect(window!.options).toEqual(mainWindowOptions({ preload: PRELOAD, devTools: false }));
    expect(window!.loads).toEqual(['app://gatehouse/index.html#/']);
    // Hidden until ready-to-show, so it never flashes empty.
    expect(window!.moves).toEqual([]);
    await tick();
    expect(window!.moves).toEqual(['show', 'moveTop', 'focus']);
    expect(appFocused()).toBe(1);
  });

  it('is brought forward, not duplicated, when opened again (a second launch, the tray)', async () => {
    const { windows, created } = windowsHarness();
    windows.showMain();
    await tick();
    created[0]!.minimized = true;
    windows.showMain();
    expect(created).toHaveLength(1);
    expect(created[0]!.moves).toEqual(['show', 'moveTop', 'focus', 'restore', 'show', 'moveTop', 'focus']);
  });

  it('is opened anew after the user closed it', () => {
    const { windows, created } = windowsHarness();
    windows.showMain();
    created[0]!.close();
    expect(windows.openCount).toBe(0);
    windows.showMain();
    expect(created).toHaveLength(2);
    expect(windows.openCount).toBe(1);
  });

  it('logs a page that fails to load', async () => {
    const { windows, created, logs } = windowsHarness();
    windows.showDecision('/consents/k1');
    created[0]!.loadURL = async () => {
      throw new Error('ERR_FILE_NOT_FOUND');
    };
    windows.showDecision('/consents/k2');
    await tick();
    expect(logs).toEqual([
      `error window: could not load the Gatehouse page ${JSON.stringify({ route: '/consents/k2', error: 'ERR_FILE_NOT_FOUND' })}`,
    ]);
  });
});

describe('the decision window', () => {
  it('opens in front of everything on the decision’s route', async () => {
    const { windows, created, appFocused } = windowsHarness();
    windows.showDecision('/consents/k1');
    const [window] = created;
    expect(window!.options).toEqual(decisionWindowOptions({ preload: PRELOAD, devTools: false }));
    expect(window!.options).toMatchObject({ alwaysOnTop: true });
    expect(window!.loads).toEqual(['app://gatehouse/index.html#/consents/k1']);
    await tick();
    expect(window!.moves).toEqual(['show', 'moveTop', 'focus']);
    expect(appFocused()).toBe(1);
  });

  it('moves to the next decision in the same window and comes forward again', async () => {
    const { windows, created } = windowsHarness();
    windows.showDecision('/consents/k1');
    await tick();
    windows.showDecision('/approvals/a1');
    expect(created).toHaveLength(1);
    expect(created[0]!.loads).toEqual([
      'app://gatehouse/index.html#/consents/k1',
      'app://gatehouse/index.html#/approvals/a1',
    ]);
    expect(created[0]!.moves.slice(3)).toEqual(['show', 'moveTop', 'focus']);
    // The same decision again only brings it forward.
    windows.showDecision('/approvals/a1');
    expect(created[0]!.loads).toHaveLength(2);
  });

  it('tells who listens when the user closes it, but not when the shell does', () => {
    const { windows, created } = windowsHarness();
    let dismissed = 0;
    windows.onDecisionDismissed(() => void dismissed++);
    windows.showDecision('/consents/k1');
    windows.closeDecision();
    expect(created[0]!.destroyed).toBe(true);
    expect(dismissed).toBe(0);

    windows.showDecision('/consents/k2');
    created[1]!.close(); // the user's close button
    expect(dismissed).toBe(1);
    expect(windows.focusDecision()).toBe(false);
  });

  it('loads the decision again when its page dies, and closes a window whose page keeps dying', async () => {
    let now = 1_000_000;
    const { windows, created, logs } = windowsHarness({ now: () => now });
    let dismissed = 0;
    windows.onDecisionDismissed(() => void dismissed++);
    windows.showDecision('/approvals/a1');
    await tick();
    const window = created[0]!;
    window.webContents.renderProcessGone('crashed');
    expect(window.loads).toEqual([
      'app://gatehouse/index.html#/approvals/a1',
      'app://gatehouse/index.html#/approvals/a1',
    ]);
    expect(window.destroyed).toBe(false);
    // Long after: another crash is loaded again; a second one within the crash-loop window closes it.
    now += CRASH_LOOP_MS + 1;
    window.webContents.renderProcessGone('oom');
    expect(window.loads).toHaveLength(3);
    now += 500;
    window.webContents.renderProcessGone('crashed');
    expect(window.destroyed).toBe(true);
    expect(window.loads).toHaveLength(3);
    // Closed by the shell, not dismissed by the user: the decision is still announced and waiting.
    expect(dismissed).toBe(0);
    expect(logs.filter((line) => line.includes('its page stopped'))).toHaveLength(3);
    // The next decision opens a fresh window.
    windows.showDecision('/approvals/a2');
    expect(created).toHaveLength(2);
  });

  it('reloads the main window on the page it was showing', async () => {
    const { windows, created } = windowsHarness();
    windows.showMain();
    await tick();
    const window = created[0]!;
    window.webContents.url = 'app://gatehouse/index.html#/activity';
    window.webContents.renderProcessGone('killed');
    expect(window.loads.at(-1)).toBe('app://gatehouse/index.html#/activity');
  });

  it('focusDecision brings an open decision window forward', async () => {
    const { windows, created } = windowsHarness();
    windows.showDecision('/consents/k1');
    await tick();
    expect(windows.focusDecision()).toBe(true);
    expect(created[0]!.moves).toEqual(['show', 'moveTop', 'focus', 'show', 'moveTop', 'focus']);
  });
});

describe('windows together', () => {
  it('owns exactly the web contents of its open windows', () => {
    const { windows, created } = windowsHarness();
    windows.showMain();
    windows.showDecision('/consents/k1');
    const [main, decision] = created;
    expect(windows.owns(main!.webContents)).toBe(true);
    expect(windows.owns(decision!.webContents)).toBe(true);
    expect(windows.owns(new FakeWebContents())).toBe(false);
    expect(windows.contents()).toEqual([main!.webContents, decision!.webContents]);
    decision!.close();
    expect(windows.owns(decision!.webContents)).toBe(false);
    expect(windows.contents()).toEqual([main!.webContents]);
  });

  it('macOS: shows the Dock icon while the main window is open; a decision window needs none', () => {
    const { windows, created, dockLog } = windowsHarness({ dock: true, platform: 'darwin' });
    windows.showDecision('/consents/k1');
    expect(dockLog).toEqual([]);
    windows.showMain();
    expect(dockLog).toEqual(['show']);
    created[1]!.close();
    expect(dockLog).toEqual(['show', 'hide']);
    windows.showMain();
    expect(dockLog).toEqual(['show', 'hide', 'show']);
  });
});

describe('the decision window on each OS', () => {
  it('macOS: joins every Space, full-screen ones too, without Electron switching the process type', async () => {
    const { windows, created, appFocused } = windowsHarness({ dock: true, platform: 'darwin' });
    windows.showDecision('/approvals/a1');
    expect(created[0]!.workspaces).toEqual([
      [true, { visibleOnFullScreen: true, skipTransformProcessType: true }],
    ]);
    await tick();
    expect(created[0]!.moves).toEqual(['show', 'moveTop', 'focus']);
    expect(appFocused()).toBe(1);
    windows.showMain();
    expect(created[1]!.workspaces).toEqual([]);
  });

  it('Windows: flashes its taskbar button when the OS kept the focus from it, until the user comes', async () => {
    const { windows, created } = windowsHarness({ platform: 'win32' });
    windows.showDecision('/approvals/a1');
    await tick();
    const [decision] = created;
    expect(decision!.moves).toEqual(['show', 'moveTop', 'focus', 'flash']);
    expect(decision!.workspaces).toEqual([]); // "does nothing on Windows"
    decision!.userFocuses();
    expect(decision!.moves.at(-1)).toBe('flash stopped');
    // Brought forward again while focused: nothing to flash.
    const before = decision!.moves.length;
    windows.focusDecision();
    expect(decision!.moves.slice(before)).toEqual(['show', 'moveTop', 'focus']);
  });

  it('Windows: the main window never flashes', async () => {
    const { windows, created } = windowsHarness({ platform: 'win32' });
    windows.showMain();
    await tick();
    expect(created[0]!.moves).toEqual(['show', 'moveTop', 'focus']);
  });

  it('Linux: joins every workspace; focus is only asked for (Wayland may ignore it)', async () => {
    const { windows, created } = windowsHarness({ platform: 'linux' });
    windows.showDecision('/consents/k1');
    await tick();
    expect(created[0]!.workspaces).toEqual([[true]]);
    expect(created[0]!.moves).toEqual(['show', 'moveTop', 'focus']);
  });
});

describe('guardWebContents', () => {
  function guarded() {
    const contents = new FakeWebContents();
    contents.url = 'app://gatehouse/index.html#/';
    const opened: string[] = [];
    const logs: string[] = [];
    guardWebContents(contents, {
      openExternal: async (url) => {
        if (url.startsWith('https://refused.example')) throw new Error('refused by the URL opener');
        opened.push(url);
      },
      logger: silentLogger(logs),
    });
    return { contents, opened, logs };
  }

  it.each([
    ['app://gatehouse/index.html#/clients', false],
    ['app://gatehouse/other.html', false],
    ['https://evil.example/phish', true],
    ['http://127.0.0.1:42830/', true],
    ['file:///etc/passwd', true],
    ['app://evil/index.html', true],
    ['javascript:alert(1)', true],
    ['data:text/html,hi', true],
  ])('will-navigate and will-redirect to %s: prevented %s', (url, prevented) => {
    const { contents, logs } = guarded();
    expect(contents.tryNavigate(url, 'will-navigate')).toBe(prevented);
    expect(contents.tryNavigate(url, 'will-redirect')).toBe(prevented);
    expect(logs).toHaveLength(prevented ? 2 : 0);
  });

  it('reads the URL from the second argument where the event has none (older Electron)', () => {
    const { contents } = guarded();
    let prevented = false;
    contents.events.emit(
      'will-navigate',
      { preventDefault: () => (prevented = true) },
      'https://evil.example/',
    );
    expect(prevented).toBe(true);
  });

  it.each([
    ['https://github.com/login/oauth', ['https://github.com/login/oauth']],
    ['http://evil.example/', []],
    ['app://gatehouse/index.html', []],
    ['file:///etc/passwd', []],
    ['javascript:alert(1)', []],
  ])('window.open(%s) opens no window; the browser gets %j', async (url, expected) => {
    const { contents, opened } = guarded();
    expect(contents.windowOpenHandler?.({ url })).toEqual({ action: 'deny' });
    await tick();
    expect(opened).toEqual(expected);
  });

  it('logs a link the URL opener refuses instead of throwing', async () => {
    const { contents, logs } = guarded();
    expect(contents.windowOpenHandler?.({ url: 'https://refused.example/' })).toEqual({ action: 'deny' });
    await tick();
    expect(logs).toEqual([
      `warn window: did not open a link ${JSON.stringify({ url: 'https://refused.example/', error: 'refused by the URL opener' })}`,
    ]);
  });

  it('prevents every <webview> from attaching', () => {
    const { contents } = guarded();
    expect(contents.tryAttachWebview()).toBe(true);
  });
});

describe('guardSession', () => {
  it.each([
    'media',
    'geolocation',
    'notifications',
    'clipboard-read',
    'hid',
    'serial',
    'usb',
    'openExternal',
  ])('denies the %s permission, asked or checked', async (permission) => {
    const session = new FakeSession();
    guardSession(session);
    await expect(session.requestPermission(permission)).resolves.toBe(false);
    expect(session.permissionCheckHandler?.({}, permission)).toBe(false);
  });

  it('puts the CSP on every response, replacing a looser one', () => {
    const session = new FakeSession();
    guardSession(session);
    expect(
      session.headersFor({
        'Content-Type': ['text/html'],
        'content-security-policy': ["script-src 'unsafe-eval' https:"],
      }),
    ).toEqual({ 'Content-Type': ['text/html'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] });
  });
});
