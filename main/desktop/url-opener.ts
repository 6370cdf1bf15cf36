// Opens links in the user's browser, but only links Gatehouse has reason to open: https:// pages
// (an upstream's authorization page) and Gatehouse's own loopback pages. shell.openExternal hands a
// URL to the OS, which runs whatever handler a scheme names (file:, javascript:, custom app
// schemes), so every other URL is refused with a sentence saying why.
import type { UrlOpener } from '../core/effects.js';
import { GatehouseError } from '../core/errors.js';

/** The one method of Electron's `shell` this needs. */
export interface ExternalOpener {
  openExternal(url: string): Promise<void>;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost']);

/**
 * The normalized URL when Gatehouse may open it; throws a bad_request GatehouseError otherwise.
 * `enginePort` is the port the engine serves on (undefined before it has started).
 * @internal Exported for its tests only: every refused URL, checked without opening one.
 */
export function checkOpenableUrl(raw: string, enginePort: number | undefined): string {
  const ownPages = enginePort === undefined ? null : `http://127.0.0.1:${enginePort}`;
  const allowed = ownPages
    ? `it opens only https:// links and its own pages at ${ownPages}`
    : 'it opens only https:// links until its engine has started';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw refused(`Gatehouse will not open "${shorten(raw)}": it is not a valid URL.`);
  }
  if (url.username || url.password) {
    // https://trusted.example@evil.example/ reads as trusted.example to a person.
    throw refused(`Gatehouse will not open a link that carries a user name or password (${url.host}).`);
  }
  if (url.protocol === 'https:') return url.href;
  if (url.protocol === 'http:') {
    const ours = ownPages !== null && LOOPBACK_HOSTS.has(url.hostname) && url.port === String(enginePort);
    if (ours) return url.href;
    throw refused(`Gatehouse will not open http://${url.host}/: ${allowed}.`);
  }
  throw refused(`Gatehouse will not open a ${url.protocol} link: ${allowed}.`);
}

/** A UrlOpener over `shell.openExternal` that checks every URL first. */
export function desktopUrlOpener(shell: ExternalOpener, enginePort: () => number | undefined): UrlOpener {
  return {
    open: async (url) => {
      await shell.openExternal(checkOpenableUrl(url, enginePort()));
    },
  };
}

function refused(message: string): GatehouseError {
  return new GatehouseError('bad_request', message);
}

function shorten(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}
