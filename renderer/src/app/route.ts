// Which page is showing, kept in the URL's hash (#/clients, #/tools/github) so it works the same from
// the packaged app's files and under /ui/ in a browser, and Back/Forward behave.
import { useEffect, useState } from 'react';

const VIEWS = [
  'overview',
  'client-setup',
  'clients',
  'consents',
  'approvals',
  'registrations',
  'connectors',
  'tools',
  'activity',
  'settings',
] as const;
export type View = (typeof VIEWS)[number];

export interface Route {
  view: View;
  /** A page's own detail, e.g. the connector the Tools page opens on. */
  param: string | null;
}

function parseRoute(hash: string): Route {
  const [view, ...rest] = hash.replace(/^#\/?/, '').split('/');
  const known = (VIEWS as readonly string[]).includes(view ?? '') ? (view as View) : 'overview';
  const param = rest.length > 0 ? decodeURIComponent(rest.join('/')) : null;
  return { view: known, param: known === view ? param : null };
}

export function routeHref(view: View, param?: string): string {
  return `#/${view}${param ? `/${encodeURIComponent(param)}` : ''}`;
}

export function navigate(view: View, param?: string): void {
  window.location.hash = routeHref(view, param);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const update = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return route;
}
