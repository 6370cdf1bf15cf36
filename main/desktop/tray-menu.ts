// The tray menu as data: a pure function from a snapshot of the engine's state to a menu template
// (plain objects shaped like Electron's MenuItemConstructorOptions) whose clicks call an actions
// object. The tray is the user's own trusted surface, so consents, approvals and registrations are
// decided here.
import type {
  AccessCeiling,
  AccessLevel,
  ClientView,
  ConnectorView,
  PendingApprovalView,
  PendingConsentView,
  PendingRegistrationView,
  StatusView,
} from '../core/api/contract.js';
import { calledTool } from './decision-windows.js';
import { ago, redirectHost, secretKindsText } from '../core/text.js';

/** What the menu is built from: one read of the engine, taken together. */
export interface TraySnapshot {
  status: Pick<StatusView, 'issuer' | 'mcpUrl' | 'paused' | 'accessCeiling' | 'connectedClients'>;
  clients: readonly ClientView[];
  consents: readonly PendingConsentView[];
  registrations: readonly PendingRegistrationView[];
  approvals: readonly PendingApprovalView[];
  connectors: readonly Pick<ConnectorView, 'name' | 'status'>[];
  /** When the snapshot was taken, for "last used 2 min ago". */
  now: number;
}

/**
 * What a click can do. Each settles once the engine has acted, and never rejects: an implementation
 * reports its own failures to the user (the menu has nowhere to show them).
 */
export interface TrayActions {
  revokeClient(clientId: string): Promise<void>;
  approveConsent(id: string, access: AccessLevel): Promise<void>;
  denyConsent(id: string): Promise<void>;
  approveRegistration(id: string): Promise<void>;
  denyRegistration(id: string): Promise<void>;
  allowApproval(id: string, always: boolean): Promise<void>;
  /** Allows a call held for secret material; its connector handles secrets on purpose from now on. */
  allowApprovalForConnector(id: string): Promise<void>;
  denyApproval(id: string): Promise<void>;
  /** Opens the connector's authorization page in the browser again. */
  reconnectConnector(name: string): Promise<void>;
  pause(): Promise<void>;
  resume(): Promise<void>;
  copyMcpUrl(): void;
  openWindow(): void;
  quit(): void;
}

/** The subset of Electron's MenuItemConstructorOptions the tray uses (assignable to it). */
export interface TrayMenuItem {
  label?: string;
  type?: 'normal' | 'separator' | 'submenu';
  enabled?: boolean;
  toolTip?: string;
  click?: () => void;
  submenu?: TrayMenuItem[];
}

/** Which tray icon shows: active, paused, or something waits for the user. */
export type TrayIconState = 'active' | 'paused' | 'attention';

/** Connectors whose upstream authorization must be given again (Connect / Reconnect). */
function connectorsToReconnect(snapshot: Pick<TraySnapshot, 'connectors'>): string[] {
  return snapshot.connectors
    .filter((connector) => connector.status.auth === 'action-required' && !tokenRefused(connector))
    .map((connector) => connector.name);
}

/**
 * Bearer-token connectors whose token the server refuses: no sign-in can fix them (Reconnect would
 * fail), only a new token in the connector's settings.
 */
function connectorsWithRefusedToken(snapshot: Pick<TraySnapshot, 'connectors'>): string[] {
  return snapshot.connectors.filter(tokenRefused).map((connector) => connector.name);
}

function tokenRefused(connector: Pick<ConnectorView, 'status'>): boolean {
  return connector.status.auth === 'action-required' && connector.status.authProblem === 'token-refused';
}

/** How many questions wait for the user: consents, approvals, registrations. */
function waitingCount(snapshot: TraySnapshot): number {
  return snapshot.consents.length + snapshot.approvals.length + snapshot.registrations.length;
}

/**
 * Attention beats paused: a waiting question, or a connector that needs reconnecting, needs the
 * user even while paused.
 */
export function trayIconState(snapshot: TraySnapshot): TrayIconState {
  if (
    waitingCount(snapshot) > 0 ||
    connectorsToReconnect(snapshot).length > 0 ||
    connectorsWithRefusedToken(snapshot).length > 0
  )
    return 'attention';
  return snapshot.status.paused ? 'paused' : 'active';
}

/**
 * "Gatehouse — active on 127.0.0.1:42830 · 2 clients connected".
 * @internal Exported for its tests only: the tray's status line for every state, checked without Electron.
 */
export function statusLine(status: TraySnapshot['status']): string {
  const where = new URL(status.issuer).host;
  if (status.paused) return `Gatehouse — paused on ${where} · all access blocked`;
  const state = status.accessCeiling === 'off' ? 'access off' : 'active';
  const connected = status.connectedClients;
  const clients = connected === 0 ? 'no clients' : connected === 1 ? '1 client' : `${connected} clients`;
  return `Gatehouse — ${state} on ${where} · ${clients} connected`;
}

/** One-line tooltip for the tray icon, mirroring the status line and anything waiting. */
export function trayToolTip(snapshot: TraySnapshot): string {
  const waiting = waitingCount(snapshot);
  const reconnect = connectorsToReconnect(snapshot).length;
  let text = statusLine(snapshot.status);
  if (waiting > 0) text += ` · ${waiting} waiting for you`;
  if (reconnect > 0)
    text += ` · ${reconnect} ${reconnect === 1 ? 'connector needs' : 'connectors need'} reconnecting`;
  const refused = connectorsWithRefusedToken(snapshot).length;
  if (refused > 0) text += ` · ${refused} ${refused === 1 ? 'connector token' : 'connector tokens'} refused`;
  return text;
}

const accessWords: Record<ClientView['effectiveAccess'], string> = {
  none: 'No access',
  read: 'Read-only access',
  write: 'Read & write access',
};

function clientItem(client: ClientView, now: number, actions: TrayActions): TrayMenuItem {
  const lastUsed = client.lastUsedAt === null ? 'never used' : `last used ${ago(client.lastUsedAt, now)}`;
  return {
    label: `${clip(client.name)} (${lastUsed})`,
    submenu: [
      { label: accessWords[client.effectiveAccess], enabled: false },
      { label: 'Revoke access', click: () => void actions.revokeClient(client.clientId) },
    ],
  };
}

/**
 * What an approval gives under the access ceiling, when that is less than what is approved: the
 * grant is kept as chosen, and the client gets more only when the user raises the ceiling.
 */
function cappedBy(ceiling: AccessCeiling, access: AccessLevel): string {
  if (ceiling === 'off') return ' (no access while your access ceiling is off)';
  if (ceiling === 'read' && access === 'write') return ' (read-only while your access ceiling is read-only)';
  return '';
}

function consentItem(
  consent: PendingConsentView,
  ceiling: AccessCeiling,
  actions: TrayActions,
): TrayMenuItem {
  const wants = consent.requestedAccess === 'write' ? 'read & write' : 'read-only';
  return {
    label: `${clip(consent.clientName)} — code ${consent.matchCode}`,
    submenu: [
      { label: `Asks for ${wants} access · returns to ${consent.redirectHost}`, enabled: false },
      { type: 'separator' },
      {
        label: `Approve read-only${cappedBy(ceiling, 'read')}`,
        click: () => void actions.approveConsent(consent.id, 'read'),
      },
      {
        label: `Approve read & write${cappedBy(ceiling, 'write')}`,
        click: () => void actions.approveConsent(consent.id, 'write'),
      },
      { label: 'Deny', click: () => void actions.denyConsent(consent.id) },
    ],
  };
}

function approvalItem(approval: PendingApprovalView, actions: TrayActions): TrayMenuItem {
  return {
    label: `${clip(approval.clientName)} → ${calledTool({ ...approval, tool: clip(approval.tool) })}`,
    submenu: [
      { label: clip(approval.reason, 120), enabled: false },
      // The kinds of secret material it carries, never a value.
      ...(approval.secrets.length > 0
        ? [{ label: clip(`It carries ${secretKindsText(approval.secrets)}`, 120), enabled: false }]
        : []),
      { type: 'separator' },
      { label: 'Allow once', click: () => void actions.allowApproval(approval.id, false) },
      // "Always" is not offered when a rule asked: a rule can depend on arguments, a memory cannot.
      ...(approval.canAlways
        ? [{ label: 'Always for this client', click: () => void actions.allowApproval(approval.id, true) }]
        : []),
      ...(approval.secrets.length > 0
        ? [
            {
              label: 'Always allow for this connector',
              click: () => void actions.allowApprovalForConnector(approval.id),
            },
          ]
        : []),
      { label: 'Deny', click: () => void actions.denyApproval(approval.id) },
    ],
  };
}

function registrationItem(registration: PendingRegistrationView, actions: TrayActions): TrayMenuItem {
  const hosts = [...new Set(registration.redirectUris.map(redirectHost))].join(', ');
  return {
    label: clip(registration.clientName),
    submenu: [
      { label: `Wants to register · returns to ${hosts}`, enabled: false },
      { type: 'separator' },
      { label: 'Allow registration', click: () => void actions.approveRegistration(registration.id) },
      { label: 'Deny', click: () => void actions.denyRegistration(registration.id) },
    ],
  };
}

/**
 * The tray menu. Every label is escaped (`menuLabel`): each OS reads a lone `&` as a mnemonic marker
 * and drops it, and the tray has no mnemonics, only names and words with `&` in them.
 */
export function trayMenuTemplate(snapshot: TraySnapshot, actions: TrayActions): TrayMenuItem[] {
  return trayMenuItems(snapshot, actions).map(withMenuLabels);
}

/**
 * A label shown as written: `&&` is a literal `&` in Electron 45's menus on every OS (macOS:
 * l10n_util::FixUpWindowsStyleLabel in electron_menu_controller.mm; Linux: the tray's D-Bus menu and
 * ui::ConvertAcceleratorsFromWindowsStyle; Windows: views' menus, run with HAS_MNEMONICS).
 */
function menuLabel(text: string): string {
  return text.replaceAll('&', '&&');
}

function withMenuLabels(item: TrayMenuItem): TrayMenuItem {
  return {
    ...item,
    ...(item.label === undefined ? {} : { label: menuLabel(item.label) }),
    ...(item.submenu ? { submenu: item.submenu.map(withMenuLabels) } : {}),
  };
}

function trayMenuItems(snapshot: TraySnapshot, actions: TrayActions): TrayMenuItem[] {
  const { status, clients, consents, approvals, registrations, now } = snapshot;
  const items: TrayMenuItem[] = [
    { label: statusLine(status), enabled: false },
    { type: 'separator' },
    {
      label: 'Connected clients',
      submenu:
        clients.length > 0
          ? clients.map((client) => clientItem(client, now, actions))
          : [{ label: 'No client has registered yet', enabled: false }],
    },
    consents.length > 0
      ? {
          label: `Pending consents (${consents.length})`,
          submenu: consents.map((consent) => consentItem(consent, status.accessCeiling, actions)),
        }
      : { label: 'Pending consents (0)', enabled: false },
    approvals.length > 0
      ? {
          label: `Pending approvals (${approvals.length})`,
          submenu: approvals.map((approval) => approvalItem(approval, actions)),
        }
      : { label: 'Pending approvals (0)', enabled: false },
  ];
  // Only shown while there is one: registrations wait only under the "ask" policy.
  if (registrations.length > 0) {
    items.push({
      label: `Pending registrations (${registrations.length})`,
      submenu: registrations.map((registration) => registrationItem(registration, actions)),
    });
  }
  const reconnect = connectorsToReconnect(snapshot);
  if (reconnect.length > 0) {
    items.push({
      label: `Connectors to reconnect (${reconnect.length})`,
      submenu: reconnect.map((name) => ({
        label: name,
        submenu: [{ label: 'Reconnect…', click: () => void actions.reconnectConnector(name) }],
      })),
    });
  }
  const refused = connectorsWithRefusedToken(snapshot);
  if (refused.length > 0) {
    items.push({
      label: `Tokens refused (${refused.length})`,
      submenu: refused.map((name) => ({
        label: name,
        submenu: [{ label: 'Give it a new token in Gatehouse…', click: () => actions.openWindow() }],
      })),
    });
  }
  items.push(
    { type: 'separator' },
    status.paused
      ? { label: 'Resume', click: () => void actions.resume() }
      : { label: 'Pause all access', click: () => void actions.pause() },
    { label: 'Copy MCP URL', toolTip: status.mcpUrl, click: () => actions.copyMcpUrl() },
    { label: 'Open Gatehouse', click: () => actions.openWindow() },
    { type: 'separator' },
    { label: 'Quit Gatehouse', click: () => actions.quit() },
  );
  return items;
}

/** Names come from clients and upstreams: keep one of them from taking over the menu. */
function clip(text: string, max = 60): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
