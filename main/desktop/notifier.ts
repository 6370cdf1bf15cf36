// The engine's Notifier as system notifications (a consent, an approval or a registration waiting, a
// failed tray action). Where the OS offers none, or one fails to show (an unsigned macOS build is
// not allowed to notify), the notice goes to the log instead of being dropped and the app is told,
// so a waiting decision can come forward another way. Clicking a notification opens Gatehouse where
// the notice points.
import type { Logger, Notifier } from '../core/effects.js';

type NoticeKind = Parameters<Notifier['notify']>[0]['kind'];
/** A notification as the engine asks for it (kind, title, body). */
export type Notice = Parameters<Notifier['notify']>[0];

/** What Electron's Notification constructor is given (a subset of NotificationConstructorOptions). */
export interface NotificationOptions {
  title: string;
  body: string;
  /** Linux and Windows: stay on screen until the user acts (a Windows "reminder" toast). */
  timeoutType?: 'default' | 'never';
  /** Linux and Windows: a critical notification is not hidden by "do not disturb" levels below it. */
  urgency?: 'normal' | 'critical' | 'low';
}

/** One shown notification, as far as this uses it. */
export interface NotificationLike {
  show(): void;
  on(event: 'click', listener: () => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  /** macOS and Windows: the notification could not be shown; `error` says why. */
  on(event: 'failed', listener: (event: unknown, error: string) => void): unknown;
}

/** The part of Electron's Notification class this uses. */
export interface NotificationClass {
  new (options: NotificationOptions): NotificationLike;
  isSupported(): boolean;
}

interface ShowOptions {
  /** Replaces the notifier's own click handling for this notice. */
  onClick?: () => void;
  /** A decision someone waits on: kept on screen until the user acts, where the OS allows. */
  urgent?: boolean;
}

/** The engine's Notifier, plus notices the shell raises itself with their own click and urgency. */
export interface DesktopNotifier extends Notifier {
  show(notice: Notice, options?: ShowOptions): void;
}

/** What a click on a notification does, by default and per notice. */
export interface DesktopNotifierOptions {
  /** What a click on a notice does unless the notice says otherwise. */
  onClick?: (kind: NoticeKind) => void;
  /** The OS could not show the notice (it has been logged already). */
  onFailed?: (notice: Notice) => void;
}

/** Notifications kept referenced until clicked or closed: a collected one loses its click handler. */
const KEPT = 20;

/** The engine's notifier in the app: Electron notifications, one the OS refuses logged. */
export function desktopNotifier(
  Notification: NotificationClass,
  logger: Logger,
  options: DesktopNotifierOptions = {},
): DesktopNotifier {
  const kept = new Set<NotificationLike>();
  const show = (notice: Notice, showOptions: ShowOptions = {}): void => {
    const { title, body, kind } = notice;
    if (!Notification.isSupported()) {
      logger.info(`${title} — ${body}`, { kind });
      return;
    }
    const notification = new Notification({
      title,
      body,
      ...(showOptions.urgent ? { timeoutType: 'never' as const, urgency: 'critical' as const } : {}),
    });
    const forget = () => kept.delete(notification);
    notification.on('click', () => {
      forget();
      if (showOptions.onClick) showOptions.onClick();
      else options.onClick?.(kind);
    });
    notification.on('close', forget);
    notification.on('failed', (_event, error) => {
      forget();
      logger.warn(`could not show a notification (${error}): ${title} — ${body}`, { kind });
      options.onFailed?.(notice);
    });
    kept.add(notification);
    if (kept.size > KEPT) kept.delete(kept.values().next().value!);
    notification.show();
  };
  return { show, notify: (notice) => show(notice) };
}
