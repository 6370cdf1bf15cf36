// Just enough of a browser's cookie store for the authorization request the bridge walks itself:
// oidc-provider ties the consent interaction to the browser with cookies, and the request must come
// back with them to resume (RFC 6265, host-only cookies; no domain cookies on a loopback server).

/** The cookies of one consent walk, kept per host and path as a browser would. */
export class CookieJar {
  readonly #cookies = new Map<string, { host: string; path: string; name: string; value: string }>();

  /** The Cookie header to send to `url`, if any cookie applies. */
  headerFor(url: string): Record<string, string> {
    const { host, pathname } = new URL(url);
    const pairs = [...this.#cookies.values()]
      .filter((cookie) => cookie.host === host && pathMatches(pathname, cookie.path))
      .map((cookie) => `${cookie.name}=${cookie.value}`);
    return pairs.length > 0 ? { cookie: pairs.join('; ') } : {};
  }

  /** Takes the Set-Cookie headers of a response from `url`. */
  store(url: string, setCookies: readonly string[]): void {
    const { host, pathname } = new URL(url);
    for (const line of setCookies) {
      const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      const pathAttribute = attributes.find((a) => a.toLowerCase().startsWith('path='))?.slice(5);
      const path = pathAttribute?.startsWith('/') ? pathAttribute : defaultPath(pathname);
      const expired =
        attributes.some((a) => /^max-age=\s*(0|-\d+)$/i.test(a)) ||
        attributes.some((a) => /^expires=/i.test(a) && Date.parse(a.slice(8)) <= Date.now());
      const key = `${host}\u0000${path}\u0000${name}`;
      if (expired) this.#cookies.delete(key);
      else this.#cookies.set(key, { host, path, name, value });
    }
  }
}

/** RFC 6265 §5.1.4. */
function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || requestPath.charAt(cookiePath.length) === '/';
}

/** RFC 6265 §5.1.4: the request path up to its last slash. */
function defaultPath(requestPath: string): string {
  const slash = requestPath.lastIndexOf('/');
  return slash <= 0 ? '/' : requestPath.slice(0, slash);
}
