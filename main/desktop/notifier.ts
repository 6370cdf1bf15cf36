// The engine's Notifier as system notifications (a consent or registration waiting, a failed tray
// action). Where the OS offers none, the notice goes to the log instead of being dropped. Clicking
// a notification opens Gatehouse where the notice points.
import type { Logger, Notifier } from '../core/effects.js';

type NoticeKind = Parameters<Notifier['notify']>[0]['kind'];

/** One shown notification, as far as this uses it. */
export interface NotificationLike {
  show(): void;
  on(event: 'click' | 'close', listener: () => void): unknown;
}

/** The part of Electron's Notification class this uses. */
export interface NotificationClass {
  new (options: { title: string; body: string }): NotificationLike;
  isSupported(): boolean;
}

/** Notifications kept referenced until clicked or closed: a collected one loses its click handler. */
const KEPT = 20;

export function desktopNotifier(
  Notification: NotificationClass,
  logger: Logger,
  onClick?: (kind: NoticeKind) => void,
): Notifier {
  const kept = new Set<NotificationLike>();
  return {
    notify: ({ title, body, kind }) => {
      if (!Notification.isSupported()) {
        logger.info(`${title} — ${body}`, { kind });
        return;
      }
      const notification = new Notification({ title, body });
      const forget = () => kept.delete(notification);
      notification.on('click', () => {
        forget();
        onClick?.(kind);
      });
      notification.on('close', forget);
      kept.add(notification);
      if (kept.size > KEPT) kept.delete(kept.values().next().value!);
      notification.show();
    },
  };
}
