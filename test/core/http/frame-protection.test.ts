// Frame protection on every answer (security-model.md "The listener"): no page Gatehouse serves —
// oidc-provider's own error pages at /auth included — can be framed by another page.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startEngine, type EngineFixture } from '../../support/engine-fixture.js';
import { registerPublicClient } from '../../support/raw-oauth.js';

let fixture: EngineFixture;
let clientId: string;
beforeAll(async () => {
  fixture = await startEngine();
  clientId = await registerPublicClient(fixture.engine);
});
afterAll(async () => fixture?.stop());

it('sends frame-ancestors and X-Frame-Options with every page, errors and all', async () => {
  const { issuer } = fixture.engine;
  const pages: Array<[string, number, string]> = [
    // oidc-provider's own HTML error pages.
    ['/auth', 400, 'text/html'],
    [`/auth?client_id=nobody&response_type=code`, 400, 'text/html'],
    [
      `/auth?client_id=${clientId}&response_type=code&redirect_uri=https%3A%2F%2Fevil.example%2F`,
      400,
      'text/html',
    ],
    ['/consent/no-such-request', 404, 'text/html'],
    ['/ui/', 404, 'text/html'],
    ['/', 200, 'text/plain'],
    ['/nothing-here', 404, ''],
    ['/.well-known/oauth-authorization-server', 200, 'application/json'],
  ];
  for (const [path, status, type] of pages) {
    const res = await fetch(`${issuer}${path}`, { redirect: 'manual' });
    expect([path, res.status]).toEqual([path, status]);
    expect(res.headers.get('content-type') ?? '', path).toContain(type);
    expect(res.headers.get('x-frame-options'), path).toBe('DENY');
    expect(res.headers.get('content-security-policy'), path).toContain("frame-ancestors 'none'");
    await res.arrayBuffer();
  }
});
