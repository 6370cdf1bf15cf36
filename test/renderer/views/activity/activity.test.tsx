// Activity: filters go to audit.list, new events append live (or wait while the tail is paused),
// denials say why, and export holds what is loaded.
import { act, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakeGatehouse } from '../../../support/renderer/fake-gatehouse.js';
import { makeAuditEvent, makeClient, makeConnector } from '../../../support/renderer/fake-views.js';
import { renderApp } from '../../../support/renderer/render-app.js';
import { activityCsv, activityJsonLines } from '../../../../renderer/src/views/activity/activity-export.js';

describe('Activity', () => {
  /**
   * The window writes a time of today without its date, of another day with it: the tests that read
   * a time set the day they are run on (the clock stands still at `now`; timers are left real).
   */
  function today(now: Date): void {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(now);
  }
  afterEach(() => {
    vi.useRealTimers();
  });

  it('shows events with the decision, reason and who decided', async () => {
    const fake = new FakeGatehouse({
      audit: [
        makeAuditEvent({
          decision: 'deny',
          tool: 'write_file',
          reason: 'gatehouse: the user denied this call to filesystem__write_file',
          detail: { decidedBy: 'approval-setting', approval: 'deny', outcome: 'refused', durationMs: 3 },
        }),
        makeAuditEvent({ decision: 'deny', reason: 'no writes', detail: { decidedBy: 'rule:no-writes' } }),
      ],
    });
    await renderApp(fake, '#/activity');
    const denied = within(screen.getByRole('row', { name: /the user denied this call/ }));
    expect(denied.getByText('Denied')).toBeTruthy();
    expect(denied.getByText('Ask setting (you: deny)')).toBeTruthy();
    expect(denied.getByText('refused')).toBeTruthy();
    expect(within(screen.getByRole('row', { name: /no writes/ })).getByText('Rule no-writes')).toBeTruthy();
    // The event's type in words, the raw type in its title.
    expect(denied.getByText('Tool call').title).toBe('tool.call');
  });

  it('marks a call during which the sandbox refused its server something, not "Allowed / ok" alone', async () => {
    const fake = new FakeGatehouse({
      audit: [
        makeAuditEvent({
          decision: 'allow',
          tool: 'writes',
          reason: 'allowed by the ask setting',
          detail: {
            outcome: 'ok',
            sandbox: {
              refused: 3,
              named: [
                { kind: 'write', target: '/home/me/.bashrc', reason: 'outside', grant: null },
                { kind: 'host', target: 'blocked.example:443', reason: 'not listed', grant: null },
              ],
            },
          },
        }),
      ],
    });
    await renderApp(fake, '#/activity');
    const row = within(screen.getByRole('row', { name: /allowed by the ask setting/ }));
    expect(row.getByText('refused 3: a write to /home/me/.bashrc, blocked.example:443, …')).toBeTruthy();
    expect(row.getByText('sandbox')).toBeTruthy();
  });

  it('names the client on every line, by the registered name when the entry carries only its id', async () => {
    const fake = new FakeGatehouse({
      clients: [makeClient({ clientId: 'client-revoked', name: 'Claude Code' })],
      audit: [
        makeAuditEvent({
          type: 'mcp.request_refused',
          clientId: 'client-revoked',
          clientName: null,
          decision: 'deny',
          reason: 'MCP request refused: the client’s access was revoked by you at 07:40',
        }),
      ],
    });
    await renderApp(fake, '#/activity');
    const row = within(screen.getByRole('row', { name: /revoked by you at 07:40/ }));
    expect(row.getByText('Claude Code')).toBeTruthy();
    // The details button is named by the time it shows (label in name, WCAG 2.5.3).
    expect(row.getByRole('button').textContent).toMatch(/, details$/);
  });

  it('names event types in words', async () => {
    const fake = new FakeGatehouse({
      audit: [
        makeAuditEvent({ type: 'consent.granted', reason: 'granted' }),
        makeAuditEvent({ type: 'client.revoked', reason: 'revoked' }),
        makeAuditEvent({ type: 'mcp.request_denied', reason: 'challenged' }),
      ],
    });
    await renderApp(fake, '#/activity');
    expect(within(screen.getByRole('row', { name: /granted/ })).getByText('Consent granted')).toBeTruthy();
    expect(within(screen.getByRole('row', { name: /revoked/ })).getByText('Client revoked')).toBeTruthy();
    expect(
      within(screen.getByRole('row', { name: /challenged/ })).getByText('MCP request refused'),
    ).toBeTruthy();
  });

  it('folds a sign-in’s tokenless challenges into one row with a count, each time one click away', async () => {
    today(new Date(2026, 10, 23, 15, 0, 0));
    const at = new Date(2026, 10, 23, 14, 5, 0).getTime();
    // Ids in the order the engine would give them (the window lists by id, newest first).
    const challenge = (offset: number) =>
      makeAuditEvent({
        id: 1_000 + offset / 1_000,
        at: at + offset,
        type: 'mcp.request_denied',
        clientId: null,
        clientName: null,
        connector: null,
        tool: null,
        decision: 'deny',
        reason: 'No access token: challenged to authorize',
        detail: { path: '/mcp', status: 401 },
      });
    const fake = new FakeGatehouse({
      // Newest first, as audit.list answers; a consent in between starts a new run.
      audit: [
        challenge(9_000),
        makeAuditEvent({ id: 1_008, at: at + 8_000, type: 'consent.granted', tool: null, reason: 'granted' }),
        challenge(3_000),
        challenge(2_000),
        challenge(1_000),
        challenge(0),
      ],
    });
    const { user } = await renderApp(fake, '#/activity');
    const rows = screen.getAllByRole('row', { name: /challenged to authorize/ });
    expect(rows).toHaveLength(2);
    expect(within(rows[1]!).getByText('×4')).toBeTruthy();
    expect(within(rows[0]!).queryByText(/×/)).toBeNull();
    await user.click(within(rows[1]!).getByRole('button'));
    expect(screen.getByText(/^4 times: 14:05:00, 14:05:01, 14:05:02, 14:05:03\. /)).toBeTruthy();
  });

  it('says how long a call took in words, times on one 24-hour clock, and never cuts a tool’s name', async () => {
    today(new Date(2026, 10, 23, 15, 0, 0));
    const at = new Date(2026, 10, 23, 14, 7, 48).getTime();
    const fake = new FakeGatehouse({
      audit: [
        makeAuditEvent({
          at,
          tool: 'write_a_very_long_tool_name_indeed',
          reason: 'waited',
          detail: { decidedBy: 'approval-setting', durationMs: 120_000 },
        }),
        makeAuditEvent({ at, reason: 'quick', detail: { durationMs: 4_250 } }),
      ],
    });
    await renderApp(fake, '#/activity');
    const waited = within(screen.getByRole('row', { name: /waited/ }));
    expect(waited.getByText('2 min')).toBeTruthy();
    expect(waited.getByText('14:07:48')).toBeTruthy();
    const tool = waited.getByText(/write_a_very_long_tool_name_indeed/).closest('td')!;
    expect(tool.className).toBe('tool-cell');
    expect(tool.querySelector('wbr')).not.toBeNull();
    expect(within(screen.getByRole('row', { name: /quick/ })).getByText('4.3 s')).toBeTruthy();
  });

  it('filters pass through to audit.list', async () => {
    const fake = new FakeGatehouse({
      clients: [makeClient()],
      connectors: [makeConnector()],
    });
    const { user } = await renderApp(fake, '#/activity');
    await user.selectOptions(screen.getByLabelText('Client'), 'Claude Code');
    await user.selectOptions(screen.getByLabelText('Connector'), 'filesystem');
    await user.selectOptions(screen.getByLabelText('Decision'), 'Denied');
    await user.selectOptions(screen.getByLabelText('Time'), 'All time');
    await user.type(screen.getByLabelText('Tool'), 'read_file');
    const last = fake.callsTo('audit.list').at(-1);
    expect(last).toEqual({
      clientId: 'client-claude-code',
      connector: 'filesystem',
      decision: 'deny',
      tool: 'read_file',
      limit: 200,
    });
    await user.selectOptions(screen.getByLabelText('Time'), 'Last hour');
    const withRange = fake.callsTo('audit.list').at(-1) as { since: number };
    expect(Date.now() - withRange.since).toBeGreaterThanOrEqual(3_600_000);
    expect(Date.now() - withRange.since).toBeLessThan(3_660_000);
  });

  it('appends new events live, and holds them while the tail is paused', async () => {
    const fake = new FakeGatehouse({ audit: [makeAuditEvent({ reason: 'old event' })] });
    const { user } = await renderApp(fake, '#/activity');
    expect(screen.getByText('old event')).toBeTruthy();
    act(() => fake.emit({ type: 'audit.appended', event: makeAuditEvent({ reason: 'live event' }) }));
    expect(screen.getByText('live event')).toBeTruthy();
    const rows = screen.getAllByRole('row');
    expect(rows[1]?.textContent).toContain('live event');

    await user.click(screen.getByRole('button', { name: 'Pause live updates' }));
    act(() => fake.emit({ type: 'audit.appended', event: makeAuditEvent({ reason: 'while paused' }) }));
    expect(screen.queryByText('while paused')).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Resume (1 new)' }));
    expect(screen.getByText('while paused')).toBeTruthy();
  });

  it('a live event that does not match the filters is not shown', async () => {
    const fake = new FakeGatehouse({ clients: [makeClient()] });
    const { user } = await renderApp(fake, '#/activity');
    await user.selectOptions(screen.getByLabelText('Decision'), 'Denied');
    act(() => fake.emit({ type: 'audit.appended', event: makeAuditEvent({ reason: 'an allowed call' }) }));
    act(() =>
      fake.emit({
        type: 'audit.appended',
        event: makeAuditEvent({ decision: 'deny', reason: 'a denied call' }),
      }),
    );
    expect(screen.queryByText('an allowed call')).toBeNull();
    expect(screen.getByText('a denied call')).toBeTruthy();
  });

  it('exports what is loaded as JSONL or CSV', async () => {
    const fake = new FakeGatehouse({ audit: [makeAuditEvent({ reason: 'exported' })] });
    const created: Blob[] = [];
    const createObjectURL = vi.fn((blob: Blob) => {
      created.push(blob);
      return 'blob:fake';
    });
    Object.assign(URL, { createObjectURL, revokeObjectURL: vi.fn() });
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    const { user } = await renderApp(fake, '#/activity');
    await user.click(screen.getByRole('button', { name: 'Export CSV' }));
    await user.click(screen.getByRole('button', { name: 'Export JSONL' }));
    expect(click).toHaveBeenCalledTimes(2);
    expect(await created[0]!.text()).toContain('exported');
    expect(JSON.parse((await created[1]!.text()).trim()).reason).toBe('exported');
    click.mockRestore();
  });

  it('CSV quotes fields and defuses spreadsheet formulas; both formats list oldest first', () => {
    const newer = makeAuditEvent({ clientName: '=HYPERLINK("x")', reason: 'a, b' });
    const older = makeAuditEvent({ reason: 'first' });
    const csv = activityCsv([newer, older]).split('\r\n');
    expect(csv[0]).toBe('time,type,decision,client,client name,connector,tool,reason,detail');
    expect(csv[1]).toContain('first');
    expect(csv[2]).toContain(`"'=HYPERLINK(""x"")"`);
    expect(csv[2]).toContain('"a, b"');
    const lines = activityJsonLines([newer, older]).trim().split('\n');
    expect(JSON.parse(lines[0]!).reason).toBe('first');
  });
});
