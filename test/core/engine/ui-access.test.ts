// Browser mode's door: the renderer at /ui/ behind a one-time link exchanged for an HttpOnly,
// SameSite=Strict cookie and a page token handed to the page in the URL's fragment; the API wants
// both (the cookie alone, as another local server receives it, opens nothing), and nothing from
// another origin.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, type EngineFixture } from '../../support/engine-fixture.js';

let fixture: EngineFixture;
let root: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'gatehouse-ui-'));
  mkdirSync(join(root, 'assets'));
  writeFileSync(
    join(root, 'index.html'),
    '<!doctype html><title>Gatehouse</title><script src="./assets/app.js"></script>',
  );
  writeFileSync(join(root, 'assets', 'app.js'), 'console.log("ui")');
  // With a trailing slash, as `gatehouse serve` resolves it.
  fixture = await startEngine({ uiRoot: `${root}/` });
});
afterAll(async () => {
  await fixture.stop();
  rmSync(root, { recursive: true, force: true });
});

function get(
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: fixture.engine.port,
        path,
        headers: { host: `127.0.0.1:${fixture.engine.port}`, ...headers },
      },
      (res) => {
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** Signs a browser in: its cookie header, and the page token the redirect's fragment hands the page. */
async function signIn(): Promise<{ cookie: string; pageToken: string }> {
  const { url } = await fixture.engine.call('ui.link');
  const res = await get(new URL(url).pathname + new URL(url).search);
  expect(res.status).toBe(303);
  const cookie = String(res.headers['set-cookie']);
  expect(cookie).toMatch(/^gatehouse_ui=[\w-]{43}; HttpOnly; SameSite=Strict; Path=\/$/);
  const location = String(res.headers.location);
  expect(location).toMatch(/^\/ui\/#gatehouse-session=[\w-]{43}$/);
  return { cookie: cookie.split(';')[0]!, pageToken: location.split('=')[1]! };
}

describe('the browser UI', () => {
  it('asks for the one-time link before showing anything', async () => {
    const res = await get('/ui/');
    expect(res.status).toBe(401);
    expect(res.body).toContain('Open the one-time link');
    expect((await fixture.engine.call('status.get')).uiUrl).toBe(`${fixture.engine.issuer}/ui/`);
  });

  it('exchanges a link for a session cookie exactly once', async () => {
    const { url } = await fixture.engine.call('ui.link');
    const path = new URL(url).pathname + new URL(url).search;
    expect((await get(path)).status).toBe(303);
    const again = await get(path);
    expect(again.status).toBe(403);
    expect(again.body).toContain('Sign-in links work once and for 10 minutes.');
    expect((await get('/ui/login?token=forged')).status).toBe(403);
  });

  it('serves the renderer with its CSP to a signed-in browser, and nothing outside it', async () => {
    const { cookie } = await signIn();
    const page = await get('/ui/', { cookie });
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['x-frame-options']).toBe('DENY');
    const script = await get('/ui/assets/app.js', { cookie });
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    for (const path of ['/ui/..%2f..%2fgatehouse.db', '/ui/%2e%2e/%2e%2e/etc/passwd', '/ui/assets/../../x']) {
      expect((await get(path, { cookie })).status).toBe(404);
    }
  });

  it("lets the cookie with its page token call the API, from Gatehouse's own origin only", async () => {
    const { cookie, pageToken } = await signIn();
    const call = (headers: Record<string, string>) =>
      fetch(`${fixture.engine.issuer}/api/rpc/status.get`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: '{}',
      });
    const session = { cookie, 'x-gatehouse-session': pageToken };
    expect((await call({ ...session, origin: fixture.engine.issuer })).status).toBe(200);
    expect((await call(session)).status).toBe(200);
    expect((await call({ ...session, cookie: 'gatehouse_ui=forged' })).status).toBe(401);
    expect((await call({ ...session, origin: 'https://evil.example' })).status).toBe(403);
    expect((await call({ ...session, origin: 'http://127.0.0.1:8080' })).status).toBe(403);
  });

  it('opens nothing to the cookie alone, as another local server would replay it', async () => {
    const { cookie, pageToken } = await signIn();
    const other = await signIn();
    const api = (path: string, headers: Record<string, string>, method = 'POST') =>
      fetch(`${fixture.engine.issuer}${path}`, {
        method,
        headers: { 'content-type': 'application/json', ...headers },
        ...(method === 'POST' ? { body: '{}' } : {}),
      });
    // Sent with the right Host and no Origin, as a replay outside a browser is.
    const replays: Array<Record<string, string>> = [
      { cookie },
      { cookie, 'x-gatehouse-session': '' },
      { cookie, 'x-gatehouse-session': 'forged' },
      // Another session's page token does not go with this cookie.
      { cookie, 'x-gatehouse-session': other.pageToken },
      { 'x-gatehouse-session': pageToken },
    ];
    for (const headers of replays) {
      const refused = await api('/api/rpc/clients.list', headers);
      expect(refused.status).toBe(401);
      expect(await refused.json()).toMatchObject({ code: 'unauthorized' });
      expect((await api('/api/events', headers, 'GET')).status).toBe(401);
    }
    const events = await api('/api/events', { cookie, 'x-gatehouse-session': pageToken }, 'GET');
    expect(events.status).toBe(200);
    expect(events.headers.get('content-type')).toBe('text/event-stream');
    await events.body?.cancel();
  });
});
