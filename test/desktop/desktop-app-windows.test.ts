// The desktop app's windows with fake Electron objects and a real engine: app:// serving the built
// renderer, the guards on every window and the session, the preload, DevTools, IPC calls and pushed
// events, and Open Gatehouse from the tray.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CALL_CHANNEL, EVENT_CHANNEL } from '../../preload/ipc-channels.js';
import { CONTENT_SECURITY_POLICY } from '../../main/desktop/window-policy.js';
import { callFrom } from '../support/electron/fake-ipc.js';
import { menuItem } from '../support/electron/fake-tray.js';
import { cleanUpLaunches, launch, until } from '../support/desktop-launch.js';

afterEach(cleanUpLaunches);

describe('runDesktop', () => {
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
});
