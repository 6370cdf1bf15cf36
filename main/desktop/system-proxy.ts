// The OS's proxy settings for the engine's outbound requests: Chromium resolves each URL as the
// system says (manual settings, PAC scripts and WPAD, per-host exceptions; on Linux GNOME's or KDE's
// settings, else the HTTP(S)_PROXY variables), and its answer becomes the engine's route.
import type { ProxyResolver } from '../core/effects.js';
import { pacRoute } from '../core/http/outbound-proxy.js';

/** The part of Electron's session that answers for a URL (`Session.resolveProxy`). */
export interface ProxyLookup {
  /** Resolves to Chromium's `ProxyInfo::ToPacString()`: `DIRECT`, `PROXY host:port; DIRECT` … ("" if it failed). */
  resolveProxy(url: string): Promise<string>;
}

/** The engine's proxy resolver in the app: the session's answer for each URL, read as a route. */
export function systemProxy(session: ProxyLookup): ProxyResolver {
  return async (url) => pacRoute(await session.resolveProxy(url.href));
}
