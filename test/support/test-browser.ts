// A minimal browser for OAuth flows: keeps cookies per origin and follows redirects by hand, so
// tests see every hop and stop at the client's redirect URI (which nothing needs to serve).

export interface Hop {
  url: string;
  status: number;
  location?: string;
}

export class TestBrowser {
  readonly #cookies = new Map<string, string>();
  hops: Hop[] = [];
  lastUrl = '';
  lastBody = '';
  lastStatus = 0;

  /**
   * Navigates to `url`, following redirects until a non-redirect answer or a URL starting with
   * `stopAt` (returned without being fetched).
   */
  async navigate(url: string, stopAt?: string): Promise<{ url: string; status: number; body: string }> {
    let current = url;
    for (let i = 0; i < 20; i++) {
      if (stopAt && current.startsWith(stopAt)) {
        this.lastUrl = current;
        return { url: current, status: 0, body: '' };
      }
      const res = await fetch(current, { redirect: 'manual', headers: this.#cookieHeader(current) });
      this.#storeCookies(current, res.headers.getSetCookie());
      const location = res.headers.get('location') ?? undefined;
      this.hops.push({ url: current, status: res.status, ...(location ? { location } : {}) });
      if (res.status >= 300 && res.status < 400 && location) {
        await res.arrayBuffer();
        current = new URL(location, current).href;
        continue;
      }
      this.lastUrl = current;
      this.lastStatus = res.status;
      this.lastBody = await res.text();
      return { url: current, status: res.status, body: this.lastBody };
    }
    throw new Error(`too many redirects from ${url}`);
  }

  reload(stopAt?: string): Promise<{ url: string; status: number; body: string }> {
    return this.navigate(this.lastUrl, stopAt);
  }

  #cookieHeader(url: string): Record<string, string> {
    const { host, pathname } = new URL(url);
    const pairs: string[] = [];
    for (const [key, value] of this.#cookies) {
      const [cookieHost, path, name] = key.split('\u0000') as [string, string, string];
      if (cookieHost === host && pathname.startsWith(path)) pairs.push(`${name}=${value}`);
    }
    return pairs.length ? { cookie: pairs.join('; ') } : {};
  }

  #storeCookies(url: string, setCookies: string[]): void {
    const { host } = new URL(url);
    for (const line of setCookies) {
      const [pair, ...attributes] = line.split(';').map((part) => part.trim());
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      const pathAttr = attributes.find((a) => a.toLowerCase().startsWith('path='));
      const path = pathAttr ? pathAttr.slice(5) : '/';
      const expired =
        attributes.some((a) => /^expires=/i.test(a) && Date.parse(a.slice(8)) < Date.now()) ||
        attributes.some((a) => /^max-age=0$/i.test(a));
      const key = `${host}\u0000${path}\u0000${name}`;
      if (expired || value === '') this.#cookies.delete(key);
      else this.#cookies.set(key, value);
    }
  }
}
