// The tray menu builder: a snapshot of the engine in, a menu template out, every click bound to the
// right action with the right id.
import { describe, expect, it } from 'vitest';
import { statusLine, trayIconState, trayMenuTemplate, trayToolTip } from '../../main/desktop/tray-menu.js';
import { labels, menuItem, shown, type FakeMenuItem } from '../support/electron/fake-tray.js';
import {
  approval,
  client,
  connector,
  consent,
  NOW,
  recordingActions,
  registration,
  snapshot,
} from '../support/tray-snapshot.js';

describe('trayMenuTemplate', () => {
  it('with no clients: the status line, an empty clients submenu and the fixed items', () => {
    const menu = trayMenuTemplate(snapshot(), recordingActions());
    expect(labels(menu)).toEqual([
      'Gatehouse — active on 127.0.0.1:42830 · no clients connected',
      '---',
      'Connected clients',
      'Pending consents (0)',
      'Pending approvals (0)',
      '---',
      'Pause all access',
      'Copy MCP URL',
      'Open Gatehouse',
      '---',
      'Quit Gatehouse',
    ]);
    expect(menu[0]?.enabled).toBe(false);
    expect(menuItem(menu, 'Connected clients').submenu).toEqual([
      { label: 'No client has registered yet', enabled: false },
    ]);
    expect(menuItem(menu, 'Pending consents (0)')).toEqual({ label: 'Pending consents (0)', enabled: false });
  });

  it('lists each client with its last use and access, and Revoke calls the action with that client id', () => {
    const actions = recordingActions();
    const menu = trayMenuTemplate(
      snapshot({
        clients: [
          client({
            clientId: 'c-claude',
            name: 'Claude Code',
            lastUsedAt: NOW - 125_000,
            effectiveAccess: 'read',
          }),
          client({ clientId: 'c-cursor', name: 'Cursor', effectiveAccess: 'write' }),
        ],
      }),
      actions,
    );
    const clients = menuItem(menu, 'Connected clients').submenu ?? [];
    expect(labels(clients)).toEqual(['Claude Code (last used 2 min ago)', 'Cursor (never used)']);
    expect(labels(menuItem(clients, 'Claude Code (last used 2 min ago)').submenu ?? [])).toEqual([
      'Read-only access',
      'Revoke access',
    ]);
    expect(menuItem(clients, 'Cursor (never used)', 'Read & write access').enabled).toBe(false);

    menuItem(clients, 'Cursor (never used)', 'Revoke access').click?.();
    expect(actions.calls).toEqual([['revokeClient', 'c-cursor']]);
    menuItem(clients, 'Claude Code (last used 2 min ago)', 'Revoke access').click?.();
    expect(actions.calls).toEqual([
      ['revokeClient', 'c-cursor'],
      ['revokeClient', 'c-claude'],
    ]);
  });

  it('lists pending consents by client name and match code, each with approve and deny', () => {
    const actions = recordingActions();
    const menu = trayMenuTemplate(
      snapshot({
        consents: [
          consent({ id: 'k1', clientName: 'VS Code', matchCode: 'QX7-4KD' }),
          consent({
            id: 'k2',
            clientName: 'Cursor',
            matchCode: 'B2M-9TR',
            requestedAccess: 'write',
            redirectHost: 'localhost:33418',
          }),
        ],
      }),
      actions,
    );
    const pending = menuItem(menu, 'Pending consents (2)').submenu ?? [];
    expect(labels(pending)).toEqual(['VS Code — code QX7-4KD', 'Cursor — code B2M-9TR']);
    // The snapshot's access ceiling is read-only: the write approval says what it gives now.
    expect(labels(menuItem(pending, 'Cursor — code B2M-9TR').submenu ?? [])).toEqual([
      'Asks for read & write access · returns to localhost:33418',
      '---',
      'Approve read-only',
      'Approve read & write (read-only while your access ceiling is read-only)',
      'Deny',
    ]);
    expect(menuItem(pending, 'VS Code — code QX7-4KD').submenu?.[0]?.label).toBe(
      'Asks for read-only access · returns to 127.0.0.1:61234',
    );

    menuItem(pending, 'VS Code — code QX7-4KD', 'Approve read-only').click?.();
    menuItem(
      pending,
      'Cursor — code B2M-9TR',
      'Approve read & write (read-only while your access ceiling is read-only)',
    ).click?.();
    menuItem(pending, 'Cursor — code B2M-9TR', 'Deny').click?.();
    expect(actions.calls).toEqual([
      ['approveConsent', 'k1', 'read'],
      ['approveConsent', 'k2', 'write'],
      ['denyConsent', 'k2'],
    ]);
  });

  it.each([
    ['write', ['Approve read-only', 'Approve read & write']],
    [
      'off',
      [
        'Approve read-only (no access while your access ceiling is off)',
        'Approve read & write (no access while your access ceiling is off)',
      ],
    ],
  ] as const)('under the access ceiling "%s", the approvals say what they give', (ceiling, approvals) => {
    const menu = trayMenuTemplate(
      snapshot({
        status: { accessCeiling: ceiling },
        consents: [consent({ id: 'k1', clientName: 'Zed', matchCode: 'QX7-4KD' })],
      }),
      recordingActions(),
    );
    const submenu = menuItem(menu, 'Pending consents (1)', 'Zed — code QX7-4KD').submenu ?? [];
    expect(labels(submenu).slice(2, 4)).toEqual(approvals);
  });

  it('shows pending registrations only while there are some, with allow and deny', () => {
    const actions = recordingActions();
    const menu = trayMenuTemplate(
      snapshot({ registrations: [registration({ id: 'r1', clientName: 'Some Agent' })] }),
      actions,
    );
    const item = menuItem(menu, 'Pending registrations (1)', 'Some Agent');
    expect(labels(item.submenu ?? [])).toEqual([
      'Wants to register · returns to 127.0.0.1:5000, localhost:5000',
      '---',
      'Allow registration',
      'Deny',
    ]);
    menuItem(item.submenu ?? [], 'Allow registration').click?.();
    menuItem(item.submenu ?? [], 'Deny').click?.();
    expect(actions.calls).toEqual([
      ['approveRegistration', 'r1'],
      ['denyRegistration', 'r1'],
    ]);
  });

  it('offers Resume instead of Pause while paused, and says so in the status line', () => {
    const actions = recordingActions();
    const menu = trayMenuTemplate(snapshot({ status: { paused: true, connectedClients: 3 } }), actions);
    expect(menu[0]?.label).toBe('Gatehouse — paused on 127.0.0.1:42830 · all access blocked');
    expect(labels(menu)).not.toContain('Pause all access');
    menuItem(menu, 'Resume').click?.();
    expect(actions.calls).toEqual([['resume']]);

    const active = trayMenuTemplate(snapshot(), actions);
    expect(labels(active)).not.toContain('Resume');
    menuItem(active, 'Pause all access').click?.();
    expect(actions.calls).toEqual([['resume'], ['pause']]);
  });

  it('binds Copy MCP URL, Open Gatehouse and Quit, with the URL as the tooltip', () => {
    const actions = recordingActions();
    const menu = trayMenuTemplate(snapshot(), actions);
    expect(menuItem(menu, 'Copy MCP URL').toolTip).toBe('http://127.0.0.1:42830/mcp');
    menuItem(menu, 'Copy MCP URL').click?.();
    menuItem(menu, 'Open Gatehouse').click?.();
    menuItem(menu, 'Quit Gatehouse').click?.();
    expect(actions.calls).toEqual([['copyMcpUrl'], ['openWindow'], ['quit']]);
  });

  it('names the secret material a held call carries (never a value) and offers "Always allow for this connector"', () => {
    const actions = recordingActions();
    const menu = trayMenuTemplate(
      snapshot({
        approvals: [
          approval({
            id: 'a3',
            clientName: 'Claude Code',
            connector: 'notes',
            tool: 'store_note',
            reason: 'Its arguments carry secret material.',
            canAlways: false,
            secrets: [
              { kind: 'private-key-openssh', path: 'body' },
              { kind: 'aws-credentials', path: 'env.AWS_SECRET_ACCESS_KEY' },
            ],
          }),
        ],
      }),
      actions,
    );
    const pending = menuItem(menu, 'Pending approvals (1)').submenu ?? [];
    const item = 'Claude Code → store_note (notes)';
    expect(labels(menuItem(pending, item).submenu ?? [])).toEqual([
      'Its arguments carry secret material.',
      'It carries an OpenSSH private key and AWS credentials',
      '---',
      'Allow once',
      'Always allow for this connector',
      'Deny',
    ]);
    menuItem(pending, item, 'Always allow for this connector').click?.();
    expect(actions.calls).toEqual([['allowApprovalForConnector', 'a3']]);
  });

  it('lists pending approvals as client → tool, each with Allow once, Always and Deny', () => {
    const actions = recordingActions();
    const menu = trayMenuTemplate(
      snapshot({
        approvals: [
          approval({ id: 'a1', clientName: 'Claude Code', tool: 'create_issue' }),
          approval({
            id: 'a2',
            clientName: 'Cursor',
            connector: 'files',
            tool: 'write_file',
            reason: 'Rule "no writes outside ~/projects" asks',
            canAlways: false,
          }),
        ],
      }),
      actions,
    );
    const pending = menuItem(menu, 'Pending approvals (2)').submenu ?? [];
    expect(labels(pending)).toEqual(['Claude Code → create_issue (github)', 'Cursor → write_file (files)']);
    expect(labels(menuItem(pending, 'Claude Code → create_issue (github)').submenu ?? [])).toEqual([
      'create_issue asks before each call',
      '---',
      'Allow once',
      'Always for this client',
      'Deny',
    ]);
    // A rule asked: "always" cannot answer it.
    expect(labels(menuItem(pending, 'Cursor → write_file (files)').submenu ?? [])).toEqual([
      'Rule "no writes outside ~/projects" asks',
      '---',
      'Allow once',
      'Deny',
    ]);
    expect(menuItem(pending, 'Cursor → write_file (files)').submenu?.[0]?.enabled).toBe(false);

    menuItem(pending, 'Claude Code → create_issue (github)', 'Allow once').click?.();
    menuItem(pending, 'Claude Code → create_issue (github)', 'Always for this client').click?.();
    menuItem(pending, 'Cursor → write_file (files)', 'Deny').click?.();
    expect(actions.calls).toEqual([
      ['allowApproval', 'a1', false],
      ['allowApproval', 'a1', true],
      ['denyApproval', 'a2'],
    ]);
  });

  it('offers Reconnect for connectors whose authorization must be given again, and only those', () => {
    const actions = recordingActions();
    const menu = trayMenuTemplate(
      snapshot({
        connectors: [
          connector('github', 'action-required'),
          connector('files', 'not-applicable'),
          connector('linear', 'ready'),
          connector('crashing', 'not-applicable', 'error'),
        ],
      }),
      actions,
    );
    expect(labels(menu)).toContain('Connectors to reconnect (1)');
    expect(labels(menuItem(menu, 'Connectors to reconnect (1)').submenu ?? [])).toEqual(['github']);
    menuItem(menu, 'Connectors to reconnect (1)', 'github', 'Reconnect…').click?.();
    expect(actions.calls).toEqual([['reconnectConnector', 'github']]);
    expect(
      labels(trayMenuTemplate(snapshot(), actions)).some((label) => label.startsWith('Connectors')),
    ).toBe(false);
  });

  it('sends a connector whose bearer token is refused to the window, never to Reconnect', () => {
    const actions = recordingActions();
    const shot = snapshot({
      connectors: [
        connector('github', 'action-required', 'connected', 'token-refused'),
        connector('linear', 'action-required', 'connected', 'reconnect-needed'),
      ],
    });
    const menu = trayMenuTemplate(shot, actions);
    expect(labels(menuItem(menu, 'Connectors to reconnect (1)').submenu ?? [])).toEqual(['linear']);
    expect(labels(menuItem(menu, 'Tokens refused (1)').submenu ?? [])).toEqual(['github']);
    menuItem(menu, 'Tokens refused (1)', 'github', 'Give it a new token in Gatehouse…').click?.();
    expect(actions.calls).toEqual([['openWindow']]);
    expect(trayIconState(shot)).toBe('attention');
    expect(trayToolTip(shot)).toBe(
      'Gatehouse — active on 127.0.0.1:42830 · no clients connected · 1 connector needs reconnecting · 1 connector token refused',
    );
  });

  it('shows every `&` as written: "AT&T bot", "read & write", R&D names (each OS reads a lone & as a mnemonic)', () => {
    const name = 'AT&T bot';
    const menu = trayMenuTemplate(
      snapshot({
        clients: [client({ clientId: 'c1', name, effectiveAccess: 'write' })],
        consents: [consent({ id: 'k1', clientName: name, matchCode: 'AAA-AAA', requestedAccess: 'write' })],
        approvals: [
          approval({ id: 'a1', clientName: name, tool: 'search&replace', reason: 'Q&A tools ask' }),
        ],
        registrations: [registration({ id: 'r1', clientName: name })],
        connectors: [
          connector('R&D files', 'action-required'),
          connector('Ops&Co', 'action-required', 'connected', 'token-refused'),
        ],
      }),
      recordingActions(),
    );
    expect(labels(menuItem(menu, 'Connected clients').submenu ?? [])).toEqual(['AT&T bot (never used)']);
    expect(labels(menuItem(menu, 'Connected clients', 'AT&T bot (never used)').submenu ?? [])[0]).toBe(
      'Read & write access',
    );
    expect(labels(menuItem(menu, 'Pending consents (1)', 'AT&T bot — code AAA-AAA').submenu ?? [])).toEqual([
      'Asks for read & write access · returns to 127.0.0.1:61234',
      '---',
      'Approve read-only',
      'Approve read & write (read-only while your access ceiling is read-only)',
      'Deny',
    ]);
    expect(labels(menuItem(menu, 'Pending approvals (1)').submenu ?? [])).toEqual([
      'AT&T bot → search&replace (github)',
    ]);
    expect(
      labels(menuItem(menu, 'Pending approvals (1)', 'AT&T bot → search&replace (github)').submenu ?? [])[0],
    ).toBe('Q&A tools ask');
    expect(labels(menuItem(menu, 'Pending registrations (1)').submenu ?? [])).toEqual(['AT&T bot']);
    expect(labels(menuItem(menu, 'Connectors to reconnect (1)').submenu ?? [])).toEqual(['R&D files']);
    expect(labels(menuItem(menu, 'Tokens refused (1)').submenu ?? [])).toEqual(['Ops&Co']);
    // No label anywhere in the menu carries a mnemonic marker.
    const all = (items: readonly FakeMenuItem[]): string[] =>
      items.flatMap((item) => [
        ...(item.label === undefined ? [] : [item.label]),
        ...all(item.submenu ?? []),
      ]);
    expect(all(menu).filter((label) => shown(label).includes('['))).toEqual([]);
  });

  it('keeps a client’s very long name from taking over the menu', () => {
    const name = 'A'.repeat(500);
    const menu = trayMenuTemplate(
      snapshot({
        clients: [client({ clientId: 'c1', name })],
        consents: [consent({ id: 'k1', clientName: name, matchCode: 'AAA-AAA' })],
        approvals: [approval({ id: 'a1', clientName: name, tool: 'T'.repeat(500) })],
        registrations: [registration({ id: 'r1', clientName: name })],
      }),
      recordingActions(),
    );
    const clipped = `${'A'.repeat(59)}…`;
    expect(menuItem(menu, 'Connected clients').submenu?.[0]?.label).toBe(`${clipped} (never used)`);
    expect(menuItem(menu, 'Pending consents (1)').submenu?.[0]?.label).toBe(`${clipped} — code AAA-AAA`);
    expect(menuItem(menu, 'Pending approvals (1)').submenu?.[0]?.label).toBe(
      `${clipped} → ${'T'.repeat(59)}… (github)`,
    );
    expect(menuItem(menu, 'Pending registrations (1)').submenu?.[0]?.label).toBe(clipped);
  });
});

describe('statusLine', () => {
  const base = snapshot().status;
  it.each([
    [{}, 'Gatehouse — active on 127.0.0.1:42830 · no clients connected'],
    [{ connectedClients: 1 }, 'Gatehouse — active on 127.0.0.1:42830 · 1 client connected'],
    [{ connectedClients: 2 }, 'Gatehouse — active on 127.0.0.1:42830 · 2 clients connected'],
    [
      { accessCeiling: 'off' as const, connectedClients: 2 },
      'Gatehouse — access off on 127.0.0.1:42830 · 2 clients connected',
    ],
    [{ paused: true }, 'Gatehouse — paused on 127.0.0.1:42830 · all access blocked'],
    [{ issuer: 'http://127.0.0.1:50123' }, 'Gatehouse — active on 127.0.0.1:50123 · no clients connected'],
  ])('%j → %s', (patch, expected) => {
    expect(statusLine({ ...base, ...patch })).toBe(expected);
  });

  it('adds what is waiting to the tooltip', () => {
    const waiting = snapshot({
      consents: [consent({ id: 'k1', clientName: 'A', matchCode: 'AAA-AAA' })],
      registrations: [registration({ id: 'r1', clientName: 'B' })],
    });
    expect(trayToolTip(waiting)).toBe(
      'Gatehouse — active on 127.0.0.1:42830 · no clients connected · 2 waiting for you',
    );
    expect(trayToolTip(snapshot())).toBe('Gatehouse — active on 127.0.0.1:42830 · no clients connected');
  });

  it('counts approvals as waiting and names connectors that need reconnecting', () => {
    expect(
      trayToolTip(
        snapshot({
          approvals: [approval({ id: 'a1', clientName: 'A', tool: 't' })],
          connectors: [connector('github', 'action-required'), connector('linear', 'action-required')],
        }),
      ),
    ).toBe(
      'Gatehouse — active on 127.0.0.1:42830 · no clients connected · 1 waiting for you · 2 connectors need reconnecting',
    );
    expect(trayToolTip(snapshot({ connectors: [connector('github', 'action-required')] }))).toBe(
      'Gatehouse — active on 127.0.0.1:42830 · no clients connected · 1 connector needs reconnecting',
    );
  });
});

describe('trayIconState', () => {
  const pendingConsent = [consent({ id: 'k1', clientName: 'A', matchCode: 'AAA-AAA' })];
  const pendingRegistration = [registration({ id: 'r1', clientName: 'B' })];
  it.each([
    ['active', snapshot()],
    ['paused', snapshot({ status: { paused: true } })],
    ['attention', snapshot({ consents: pendingConsent })],
    ['attention', snapshot({ registrations: pendingRegistration })],
    ['attention', snapshot({ status: { paused: true }, consents: pendingConsent })],
    ['attention', snapshot({ approvals: [approval({ id: 'a1', clientName: 'A', tool: 't' })] })],
    ['attention', snapshot({ connectors: [connector('github', 'action-required')] })],
    [
      'attention',
      snapshot({ status: { paused: true }, connectors: [connector('github', 'action-required')] }),
    ],
    [
      'active',
      snapshot({ connectors: [connector('github', 'ready'), connector('files', 'not-applicable')] }),
    ],
  ] as const)('%s', (expected, state) => {
    expect(trayIconState(state)).toBe(expected);
  });
});
