// Browser mode's page token: handed to this page once, in the fragment of the sign-in redirect
// (/ui/#gatehouse-session=…), kept in this origin's own storage (no other port can read it) and sent
// with every API call. The session cookie alone opens nothing (security-model.md "The browser UI").
import { UI_SESSION_FRAGMENT } from '@core/api/ui-session-contract.js';

const STORAGE_KEY = 'gatehouse.pageToken';

/** What taking the token needs of the window; tests pass their own. */
export interface PageTokenWindow {
  location: Pick<Location, 'hash' | 'pathname' | 'search'>;
  history: Pick<History, 'replaceState'>;
  localStorage?: Pick<Storage, 'getItem' | 'setItem'>;
}

/**
 * Takes the page token out of the address (so it is not left in the address bar, the history or a
 * bookmark), keeps it, and returns how to read the newest one: a sign-in in another tab replaces the
 * cookie, and this tab follows it.
 */
export function takePageToken(win: PageTokenWindow): () => string | null {
  let kept: string | null = null;
  const storage = (() => {
    try {
      return win.localStorage ?? null;
    } catch {
      // Storage switched off: the token lives as long as this page.
      return null;
    }
  })();
  const prefix = `#${UI_SESSION_FRAGMENT}=`;
  if (win.location.hash.startsWith(prefix)) {
    kept = decodeURIComponent(win.location.hash.slice(prefix.length));
    try {
      storage?.setItem(STORAGE_KEY, kept);
    } catch {
      // Full or refused: the token still lives in this page.
    }
    win.history.replaceState(null, '', `${win.location.pathname}${win.location.search}`);
  }
  return () => {
    try {
      return storage?.getItem(STORAGE_KEY) ?? kept;
    } catch {
      return kept;
    }
  };
}
