// The desktop app's decisions with fake Electron objects and a real engine: a waiting consent or tool
// approval brings the decision window forward with a notification (and Windows' flashing taskbar
// button), a notification the OS refuses, and the URL opener and notifier the engine is handed.
import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../main/core/engine/engine.js';
import { authorizeClient } from '../support/oauth-client.js';
import { openAuthorization, registerPublicClient } from '../support/raw-oauth.js';
import {
  afterThisTest,
  cleanUpLaunches,
  launch,
  serverEverything,
  until,
} from '../support/desktop-launch.js';

afterEach(cleanUpLaunches);

describe('runDesktop', () => {
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
    afterThisTest(() => client.close());
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
