// Getting the user's attention when something waits and the page is in the background: the tab title
// counts what waits ("(2) Waiting for you — Gatehouse": requests, and tools or items held for review),
// and, if the user allowed it, a browser notification names each new request. Clicking the
// notification brings the tab forward.
import { useEffect, useEffectEvent, useRef, useSyncExternalStore } from 'react';
import { useApprovals, useConnectors, useConsents, useRegistrations } from './stores-context.js';

/** One waiting request as a notification says it. */
interface Waiting {
  id: string;
  title: string;
  body: string;
}

function visibility(onChange: () => void): () => void {
  document.addEventListener('visibilitychange', onChange);
  return () => document.removeEventListener('visibilitychange', onChange);
}

/** Whether this page may show notifications, may ask, or cannot (no Notification API, or refused). */
export function notificationPermission(): NotificationPermission | 'unsupported' {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

/**
 * Keeps the tab title and notifications in step with what waits. `pageTitle` is the title the current
 * page would have; while hidden with something waiting, the title counts it instead.
 */
export function useAttention(pageTitle: string): void {
  const consents = useConsents((state) => state.consents);
  const approvals = useApprovals((state) => state.approvals);
  const registrations = useRegistrations((state) => state.registrations);
  // Tools and items held for review wait for the user too (the Tools page; held-notice.ts says so).
  const held = useConnectors((state) =>
    state.connectors.reduce((sum, connector) => sum + connector.heldTools + connector.heldItems, 0),
  );
  const hidden = useSyncExternalStore(visibility, () => document.hidden);
  const waiting: Waiting[] = [
    ...consents.map((consent) => ({
      id: `consent:${consent.id}`,
      title: `${consent.clientName} asks for access`,
      body: `Match code ${consent.matchCode}. Answer in Gatehouse.`,
    })),
    ...approvals.map((approval) => ({
      id: `approval:${approval.id}`,
      title: `${approval.clientName} wants to call ${approval.tool}`,
      body: `On ${approval.connector}. Allow or deny it in Gatehouse before it is denied.`,
    })),
    ...registrations.map((registration) => ({
      id: `registration:${registration.id}`,
      title: `${registration.clientName} wants to register`,
      body: 'Allow or refuse it in Gatehouse.',
    })),
  ];

  const count = waiting.length + held;
  useEffect(() => {
    document.title = hidden && count > 0 ? `(${count}) Waiting for you — Gatehouse` : pageTitle;
  }, [hidden, count, pageTitle]);

  // Each request is announced once, and only while the page is hidden (in front, the dialog shows it).
  const announced = useRef(new Set<string>());
  const ids = waiting.map((item) => item.id).join('\n');
  // `waiting` is derived from the three lists, which `ids` stands for: read it as it is when they change.
  const announce = useEffectEvent(() => {
    const current = new Set(ids ? ids.split('\n') : []);
    for (const id of announced.current) if (!current.has(id)) announced.current.delete(id);
    if (!hidden || notificationPermission() !== 'granted') return;
    for (const item of waiting) {
      if (announced.current.has(item.id)) continue;
      announced.current.add(item.id);
      const notification = new Notification(item.title, { body: item.body, tag: item.id });
      notification.onclick = () => {
        window.focus();
        notification.close();
      };
    }
  });
  useEffect(() => announce(), [ids, hidden]);
}
