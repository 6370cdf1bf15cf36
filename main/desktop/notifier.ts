// The engine's Notifier as system notifications (a consent or registration waiting, a failed tray
// action). Where the OS offers none, the notice goes to the log instead of being dropped.
import type { Logger, Notifier } from '../core/effects.js';

/** The part of Electron's Notification class this uses. */
export interface NotificationClass {
  new (options: { title: string; body: string }): { show(): void };
  isSupported(): boolean;
}

export function desktopNotifier(Notification: NotificationClass, logger: Logger): Notifier {
  return {
    notify: ({ title, body, kind }) => {
      if (!Notification.isSupported()) {
        logger.info(`${title} — ${body}`, { kind });
        return;
      }
      new Notification({ title, body }).show();
    },
  };
}
