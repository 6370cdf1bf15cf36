// System notifications: shown with the OS's "stay until acted on" options for a decision, clicked
// through to where they point, logged instead of dropped where the OS has none, and — when the OS
// refuses one (an unsigned macOS build, Windows without the app's shortcut) — logged with its reason
// and handed back to the app.
import { describe, expect, it } from 'vitest';
import { desktopNotifier, type Notice } from '../../main/desktop/notifier.js';
import { silentLogger } from '../support/engine-fixture.js';
import { fakeDesktopElectron } from '../support/electron/fake-desktop-electron.js';

function harness() {
  const electron = fakeDesktopElectron('/nonexistent');
  const logs: string[] = [];
  const clicks: string[] = [];
  const failed: Notice[] = [];
  const notifier = desktopNotifier(electron.Notification, silentLogger(logs), {
    onClick: (kind) => void clicks.push(kind),
    onFailed: (notice) => void failed.push(notice),
  });
  return { electron, notifier, logs, clicks, failed };
}

describe('desktopNotifier', () => {
  it('shows an engine notice as it is, and a click goes to the app with its kind', () => {
    const { electron, notifier, clicks } = harness();
    notifier.notify({ title: 'Gatehouse could not revoke access', body: 'No such client.', kind: 'info' });
    expect(electron.notifications).toEqual([
      { title: 'Gatehouse could not revoke access', body: 'No such client.' },
    ]);
    electron.clickNotification('Gatehouse could not revoke access');
    expect(clicks).toEqual(['info']);
  });

  it('keeps an urgent notice on screen (Linux, Windows) and gives it its own click', () => {
    const { electron, notifier, clicks } = harness();
    let opened = 0;
    notifier.show(
      { title: 'Cursor asks for access', body: 'Match code K7Q-4MX.', kind: 'consent' },
      { urgent: true, onClick: () => void opened++ },
    );
    expect(electron.notifications).toEqual([
      {
        title: 'Cursor asks for access',
        body: 'Match code K7Q-4MX.',
        timeoutType: 'never',
        urgency: 'critical',
      },
    ]);
    electron.clickNotification('Cursor asks for access');
    expect([opened, clicks]).toEqual([1, []]);
  });

  it('logs a notice the OS refused, with its reason, and tells the app', () => {
    const { electron, notifier, logs, failed } = harness();
    const notice: Notice = {
      title: 'Claude wants to run github__create_issue',
      body: 'Allow or deny it.',
      kind: 'approval',
    };
    notifier.show(notice, { urgent: true });
    electron.failNotification(notice.title, 'Notifications are not allowed for this application');
    expect(logs).toEqual([
      `warn could not show a notification (Notifications are not allowed for this application): Claude wants to run github__create_issue — Allow or deny it. ${JSON.stringify({ kind: 'approval' })}`,
    ]);
    expect(failed).toEqual([notice]);
  });

  it('logs the notice instead where the OS has no notifications', () => {
    const { electron, notifier, logs } = harness();
    (electron.Notification as unknown as { supported: boolean }).supported = false;
    notifier.notify({ title: 'Cursor asks for access', body: 'Match code K7Q-4MX.', kind: 'consent' });
    expect(electron.notifications).toEqual([]);
    expect(logs).toEqual([
      `info Cursor asks for access — Match code K7Q-4MX. ${JSON.stringify({ kind: 'consent' })}`,
    ]);
  });
});
