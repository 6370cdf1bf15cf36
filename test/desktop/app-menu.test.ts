// The application menu: Quit, Pause / Resume and Copy MCP URL from the window on every OS (the
// macOS menu bar, the main window's menu bar on Windows and Linux), acting on a real engine through
// the tray's own actions, and following the engine when access is paused elsewhere.
import { afterEach, describe, expect, it } from 'vitest';
import { appMenuTemplate, installAppMenu, type AppMenuActions } from '../../main/desktop/app-menu.js';
import { trayActions } from '../../main/desktop/tray.js';
import { silentLogger, startEngine } from '../support/engine-fixture.js';
import { fakeTrayElectron, labels, menuItem, type FakeMenuItem } from '../support/electron/fake-tray.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function recordingActions() {
  const done: string[] = [];
  const actions: AppMenuActions = {
    pause: async () => void done.push('pause'),
    resume: async () => void done.push('resume'),
    copyMcpUrl: () => void done.push('copy'),
    openWindow: () => void done.push('open'),
    quit: () => void done.push('quit'),
  };
  return { actions, done };
}

const submenu = (template: FakeMenuItem[], label: string) => labels(menuItem(template, label).submenu ?? []);

describe('appMenuTemplate', () => {
  it('macOS: the app menu holds Pause, Copy MCP URL and Quit (⌘Q), beside Edit, View and Window', () => {
    const { actions } = recordingActions();
    const template = appMenuTemplate({ paused: false, devTools: false }, actions, 'darwin');
    expect(labels(template)).toEqual(['Gatehouse', 'Edit', 'View', 'Window']);
    expect(submenu(template, 'Gatehouse')).toEqual([
      'role:about',
      '---',
      'Pause all access',
      'Copy MCP URL',
      '---',
      'role:hide',
      'role:hideOthers',
      'role:unhide',
      '---',
      'Quit Gatehouse',
    ]);
    expect(menuItem(template, 'Gatehouse', 'Quit Gatehouse').accelerator).toBe('CommandOrControl+Q');
    expect(submenu(template, 'Edit')).toEqual([
      'role:undo',
      'role:redo',
      '---',
      'role:cut',
      'role:copy',
      'role:paste',
      'role:selectAll',
    ]);
    expect(submenu(template, 'Window')).toEqual(['role:minimize', 'role:close', '---', 'role:front']);
  });

  it.each(['win32', 'linux'] as const)(
    '%s: the window’s Gatehouse menu holds the same, with Alt keys',
    (platform) => {
      const { actions } = recordingActions();
      const template = appMenuTemplate({ paused: false, devTools: false }, actions, platform);
      expect(labels(template)).toEqual(['[G]atehouse', '[E]dit', '[V]iew', '[W]indow']);
      expect(submenu(template, '[G]atehouse')).toEqual([
        'Pause all access',
        'Copy MCP URL',
        '---',
        'Quit Gatehouse',
      ]);
      expect(submenu(template, '[V]iew')).toEqual(['role:resetZoom', 'role:zoomIn', 'role:zoomOut']);
    },
  );

  it('offers Resume while paused, and developer tools only outside the installed app', () => {
    const { actions } = recordingActions();
    const template = appMenuTemplate({ paused: true, devTools: true }, actions, 'linux');
    expect(submenu(template, '[G]atehouse')[0]).toBe('Resume');
    expect(submenu(template, '[V]iew').at(-1)).toBe('role:toggleDevTools');
  });

  it('each item calls its action', () => {
    const { actions, done } = recordingActions();
    const running = appMenuTemplate({ paused: false, devTools: false }, actions, 'win32');
    menuItem(running, '[G]atehouse', 'Pause all access').click?.();
    menuItem(running, '[G]atehouse', 'Copy MCP URL').click?.();
    menuItem(running, '[G]atehouse', 'Quit Gatehouse').click?.();
    const paused = appMenuTemplate({ paused: true, devTools: false }, actions, 'win32');
    menuItem(paused, '[G]atehouse', 'Resume').click?.();
    expect(done).toEqual(['pause', 'copy', 'quit', 'resume']);
  });
});

describe('installAppMenu on a real engine', () => {
  async function installed() {
    const fixture = await startEngine();
    cleanups.push(() => fixture.stop());
    const electron = fakeTrayElectron();
    let quits = 0;
    const actions = trayActions(fixture.engine, {
      clipboard: electron.clipboard,
      quit: () => void quits++,
      openWindow: () => undefined,
      notifier: { notify: () => undefined },
      logger: silentLogger(),
      afterChange: async () => undefined,
    });
    const menu = installAppMenu(electron.Menu, fixture.engine, actions, {
      platform: 'linux',
      devTools: false,
      logger: silentLogger(),
    });
    cleanups.push(() => menu.dispose());
    await menu.refresh();
    const current = () => electron.applicationMenus.at(-1)!.template;
    return { fixture, electron, current, quits: () => quits };
  }

  it('Pause all access pauses the engine, and the menu then offers Resume', async () => {
    const { fixture, electron, current } = await installed();
    expect(electron.applicationMenus).toHaveLength(1);
    menuItem(current(), '[G]atehouse', 'Pause all access').click?.();
    await until(async () => (await fixture.engine.call('settings.get')).paused, 'the pause');
    await until(async () => submenu(current(), '[G]atehouse')[0] === 'Resume', 'the menu to follow');
    menuItem(current(), '[G]atehouse', 'Resume').click?.();
    await until(async () => !(await fixture.engine.call('settings.get')).paused, 'the resume');
  });

  it('follows a pause made elsewhere (the tray, the CLI), and sets the menu only when it changes', async () => {
    const { fixture, electron, current } = await installed();
    await fixture.engine.call('access.pause');
    await until(async () => submenu(current(), '[G]atehouse')[0] === 'Resume', 'the menu to follow');
    const sets = electron.applicationMenus.length;
    await fixture.engine.call('settings.set', { auditRetentionDays: 30 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(electron.applicationMenus).toHaveLength(sets);
  });

  it('Copy MCP URL copies the engine’s MCP URL, and Quit quits', async () => {
    const { fixture, electron, current, quits } = await installed();
    menuItem(current(), '[G]atehouse', 'Copy MCP URL').click?.();
    expect(electron.clipboardWrites).toEqual([fixture.engine.mcpUrl]);
    menuItem(current(), '[G]atehouse', 'Quit Gatehouse').click?.();
    expect(quits()).toBe(1);
  });
});

async function until(condition: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
