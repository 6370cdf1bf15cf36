// Approvals: what waits for a decision, and each answer sent as chosen.
import { act, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { FakeGatehouse } from '../../../support/renderer/fake-gatehouse.js';
import { makeApproval } from '../../../support/renderer/fake-views.js';
import { renderApp } from '../../../support/renderer/render-app.js';

describe('ApprovalQueue', () => {
  it('shows client, connector, tool, redacted arguments, reason and a countdown', async () => {
    const fake = new FakeGatehouse({ approvals: [makeApproval()] });
    await renderApp(fake, '#/approvals');
    const card = screen.getByRole('article', { name: 'filesystem__write_file' });
    expect(within(card).getByText('Claude Code')).toBeTruthy();
    expect(within(card).getByText('filesystem')).toBeTruthy();
    expect(within(card).getByText('filesystem__write_file is set to ask before each call')).toBeTruthy();
    expect(within(card).getByLabelText('Arguments').textContent).toBe(
      JSON.stringify({ path: '/home/me/notes.txt', content: '[redacted]' }, null, 2),
    );
    expect(within(card).getByText(/^Denied automatically in [12]:\d\d unless you answer$/)).toBeTruthy();
  });

  it.each([
    [
      'Allow once',
      'approvals.allow',
      { id: 'approval-1', always: false },
      "Allowed Claude Code's call to filesystem__write_file once",
    ],
    [
      'Always for this client',
      'approvals.allow',
      { id: 'approval-1', always: true },
      "Allowed Claude Code's call to filesystem__write_file, and from now on for Claude Code",
    ],
    ['Deny', 'approvals.deny', { id: 'approval-1' }, "Denied Claude Code's call to filesystem__write_file"],
  ] as const)('%s', async (button, operation, input, toast) => {
    const fake = new FakeGatehouse({ approvals: [makeApproval()] });
    const { user } = await renderApp(fake, '#/approvals');
    await user.click(screen.getByRole('button', { name: button }));
    expect(fake.callsTo(operation)).toEqual([input]);
    expect(await screen.findByText(toast)).toBeTruthy();
    expect(await screen.findByText('No tool calls are waiting')).toBeTruthy();
  });

  it('#/approvals/<id> (how the desktop app opens a decision window) focuses that approval', async () => {
    const fake = new FakeGatehouse({
      approvals: [makeApproval(), makeApproval({ id: 'approval-2', tool: 'github__create_issue' })],
    });
    await renderApp(fake, '#/approvals/approval-2');
    expect(document.activeElement).toBe(screen.getByRole('article', { name: 'github__create_issue' }));
  });

  it('keeps that focus when an open window is sent to #/approvals/<id> from another page', async () => {
    const fake = new FakeGatehouse({
      approvals: [makeApproval(), makeApproval({ id: 'approval-2', tool: 'github__create_issue' })],
    });
    await renderApp(fake, '#/overview');
    act(() => {
      window.location.hash = '#/approvals/approval-2';
    });
    const card = await screen.findByRole('article', { name: 'github__create_issue' });
    await waitFor(() => expect(document.activeElement).toBe(card));
  });

  it('a call held for secret material names each kind and place, and can be allowed for its connector', async () => {
    const fake = new FakeGatehouse({
      approvals: [
        makeApproval({
          canAlways: false,
          reason: 'Its arguments carry secret material.',
          arguments: { path: '/home/me/.ssh/id_ed25519', content: '[private key removed by Gatehouse]' },
          secrets: [{ kind: 'private-key-openssh', path: 'content' }],
        }),
      ],
    });
    const { user } = await renderApp(fake, '#/approvals');
    const card = screen.getByRole('article', { name: 'filesystem__write_file' });
    const note = within(card).getByRole('note', { name: 'Secret material' });
    expect(note.textContent).toContain('content holds an OpenSSH private key');
    expect(within(card).queryByRole('button', { name: 'Always for this client' })).toBeNull();
    await user.click(within(card).getByRole('button', { name: 'Always allow for this connector' }));
    expect(fake.callsTo('approvals.allow')).toEqual([{ id: 'approval-1', connector: true }]);
    expect(
      await screen.findByText(
        "Allowed Claude Code's call to filesystem__write_file; filesystem handles secrets on purpose from now on",
      ),
    ).toBeTruthy();
  });

  it('offers "Always allow for this connector" only for a call held for secret material', async () => {
    const fake = new FakeGatehouse({ approvals: [makeApproval()] });
    await renderApp(fake, '#/approvals');
    expect(screen.queryByRole('button', { name: 'Always allow for this connector' })).toBeNull();
    expect(screen.queryByRole('note', { name: 'Secret material' })).toBeNull();
  });

  it('hides "Always for this client" when a rule asks (canAlways false)', async () => {
    const fake = new FakeGatehouse({ approvals: [makeApproval({ canAlways: false })] });
    await renderApp(fake, '#/approvals');
    expect(screen.getByRole('button', { name: 'Allow once' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Always for this client' })).toBeNull();
  });

  it('a new approval appears on approvals.changed, and the navigation counts it', async () => {
    const fake = new FakeGatehouse();
    await renderApp(fake, '#/approvals');
    act(() => {
      fake.state.approvals = [makeApproval()];
      fake.emit({ type: 'approvals.changed' });
    });
    expect(await screen.findByRole('article', { name: 'filesystem__write_file' })).toBeTruthy();
    const nav = screen.getByRole('navigation', { name: 'Gatehouse' });
    expect(await within(nav).findByLabelText('1 waiting')).toBeTruthy();
  });
});
