// In a browser tab (not the desktop window, which notifies through the system tray), an offer to turn
// on notifications, so a request that waits while the tab is in the background is not missed.
import { useState } from 'react';
import { WINDOW_API_GLOBAL } from '../../../preload/ipc-channels.js';
import { notificationPermission } from './attention.js';

export function NotificationsOffer() {
  const [permission, setPermission] = useState(notificationPermission);
  if (WINDOW_API_GLOBAL in window || permission !== 'default') return null;
  const ask = async () => setPermission(await Notification.requestPermission());
  return (
    <button
      type="button"
      className="button small"
      title="A notification when a client asks for access, a tool call waits for you, or a client wants to register while this tab is in the background"
      onClick={() => void ask()}
    >
      Notify me when something waits
    </button>
  );
}
