// A tool call or a registration that waits comes forward as a dialog on any page (after any consent),
// with the same answers as its own page; "Later" puts it off. In the background the tab title counts
// what waits and, once the user allowed it, a notification names each new request.
import { act, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakeGatehouse } from '../../../support/renderer/fake-gatehouse.js';
import { makeApproval, makeConsent, makeRegistration } from '../../../support/renderer/fake-views.js';
import { renderApp } from '../../../support/renderer/render-app.js';

function setHidden(hidden: boolean) {
  Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden });
  act(() => {
    document.dispatchEvent(new Event('visibilitychange'));
  });
}

afterEach(() => {
  setHidden(false);
  vi.unstubAllGlobals();
});

describe('a waiting tool call on any page', () => {
  it('arrives as a dialog naming client, connector, tool and arguments; Allow once answers it', async () => {
    const fake = new FakeGatehouse();
    const { user } = await renderApp(fake, '#/connectors');
    expect(screen.queryByRole('alertdialog')).toBeNull();
    act(() => {
      fake.state.approvals = [makeApproval()];
      fake.emit({ type: 'approvals.changed' });
    });
    const dialog = await screen.findByRole('alertdialog', {
      name: 'Claude Code wants to call filesystem__write_file',
    });
    expect(within(dialog).getByText('filesystem')).toBeTruthy();
    expect(within(dialog).getByText('filesystem__write_file is set to ask before each call')).toBeTruthy();
    expect(within(dialog).getByLabelText('Arguments').textContent).toBe(
      JSON.stringify({ path: '/home/me/notes.txt', content: '[redacted]' }, null, 2),
    );
    expect(within(dialog).getByText(/^[12]:\d\d, then it is denied$/)).toBeTruthy();
    await user.click(within(dialog).getByRole('button', { name: 'Allow once' }));
    expect(fake.callsTo('approvals.allow')).toEqual([{ id: 'approval-1', always: false }]);
    expect(await screen.findByText("Allowed Claude Code's call to filesystem__write_file once")).toBeTruthy();
    expect(screen.queryByRole('alertdialog')).toBeNull();
  });

  it.each([
    ['Always for this client', 'approvals.allow', { id: 'approval-1', always: true }],
    ['Deny', 'approvals.deny', { id: 'approval-1' }],
  ] as const)('%s answers it from the dialog', async (button, operation, input) => {
    const fake = new FakeGatehouse({ approvals: [makeApproval()] });
    const { user } = await renderApp(fake, '#/overview');
    const dialog = await screen.findByRole('alertdialog');
    await user.click(within(dialog).getByRole('button', { name: button }));
    expect(fake.callsTo(operation)).toEqual([input]);
  });

  it('waits behind a consent, and Later leaves it on the Approvals page', async () => {
    const fake = new FakeGatehouse({ consents: [makeConsent()], approvals: [makeApproval()] });
    const { user } = await renderApp(fake, '#/clients');
    expect(screen.getByRole('dialog', { name: /asks for access$/ })).toBeTruthy();
    expect(screen.queryByRole('alertdialog')).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Later' }));
    const dialog = await screen.findByRole('alertdialog', { name: /wants to call/ });
    await user.click(within(dialog).getByRole('button', { name: 'Later' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(fake.callsTo('approvals.deny')).toEqual([]);
    // On its own page the card shows it; no dialog repeats it there.
    act(() => {
      window.location.hash = '#/approvals';
    });
    expect(await screen.findByRole('article', { name: 'filesystem__write_file' })).toBeTruthy();
    expect(screen.queryByRole('alertdialog')).toBeNull();
  });
});

describe('a registration waiting under "Ask" on any page', () => {
  it('arrives as a dialog; Allow and Refuse answer it', async () => {
    const fake = new FakeGatehouse({ registrations: [makeRegistration()] });
    const { user } = await renderApp(fake, '#/tools');
    const dialog = await screen.findByRole('alertdialog', { name: 'Windsurf wants to register' });
    expect(within(dialog).getByText('http://127.0.0.1:51234/callback')).toBeTruthy();
    await user.click(within(dialog).getByRole('button', { name: 'Allow' }));
    expect(fake.callsTo('registrations.approve')).toEqual([{ id: 'registration-1' }]);
    expect(
      await screen.findByText('Allowed Windsurf to register; it will ask for consent next'),
    ).toBeTruthy();
  });
});

describe('in the background', () => {
  it('the tab title counts what waits, and comes back when the page is in front', async () => {
    const fake = new FakeGatehouse();
    await renderApp(fake, '#/activity');
    expect(document.title).toBe('Activity — Gatehouse');
    setHidden(true);
    expect(document.title).toBe('Activity — Gatehouse');
    act(() => {
      fake.state.approvals = [makeApproval()];
      fake.state.registrations = [makeRegistration()];
      fake.emit({ type: 'approvals.changed' });
      fake.emit({ type: 'registrations.changed' });
    });
    await vi.waitFor(() => expect(document.title).toBe('(2) Waiting for you — Gatehouse'));
    setHidden(false);
    expect(document.title).toBe('Activity — Gatehouse');
  });

  it('offers notifications, and once allowed announces each new request once', async () => {
    const shown: Array<{ title: string; body?: string }> = [];
    class FakeNotification {
      static permission: NotificationPermission = 'default';
      static requestPermission = vi.fn(async () => {
        FakeNotification.permission = 'granted';
        return 'granted' as const;
      });
      onclick: (() => void) | null = null;
      constructor(title: string, options?: NotificationOptions) {
        shown.push({ title, body: options?.body });
      }
      close() {}
    }
    vi.stubGlobal('Notification', FakeNotification);
    const fake = new FakeGatehouse();
    const { user } = await renderApp(fake, '#/overview');
    await user.click(screen.getByRole('button', { name: 'Notify me when something waits' }));
    expect(FakeNotification.requestPermission).toHaveBeenCalledOnce();
    expect(screen.queryByRole('button', { name: 'Notify me when something waits' })).toBeNull();

    setHidden(true);
    act(() => {
      fake.state.approvals = [makeApproval()];
      fake.emit({ type: 'approvals.changed' });
    });
    await vi.waitFor(() =>
      expect(shown).toEqual([
        {
          title: 'Claude Code wants to call filesystem__write_file',
          body: 'On filesystem. Allow or deny it in Gatehouse before it is denied.',
        },
      ]),
    );
    act(() => {
      fake.emit({ type: 'approvals.changed' });
    });
    setHidden(false);
    setHidden(true);
    expect(shown).toHaveLength(1);
  });
});
