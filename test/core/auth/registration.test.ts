// Black-box tests of dynamic client registration (RFC 7591): the redirect URIs and metadata a client
// may register, the registration policy, and the per-source rate limit, each refusal exact.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, type EngineFixture } from '../../support/engine-fixture.js';
import { REDIRECT, register } from '../../support/raw-oauth.js';

let fixture: EngineFixture;
beforeAll(async () => {
  fixture = await startEngine({ refreshReuseGraceMs: 300 });
});
afterAll(async () => fixture.stop());

describe('registration', () => {
  it('accepts the known callbacks of VS Code and Cursor, and custom schemes only for native clients', async () => {
    const { engine } = fixture;
    expect(
      (await register(engine, { redirect_uris: ['https://vscode.dev/redirect', 'http://127.0.0.1:33418/'] }))
        .status,
    ).toBe(201);
    expect(
      (
        await register(engine, {
          redirect_uris: ['cursor://anysphere.cursor-retrieval/oauth/user-github/callback'],
        })
      ).status,
    ).toBe(201);
    expect(await register(engine, { redirect_uris: ['myapp://callback'] })).toEqual({
      status: 400,
      body: {
        error: 'invalid_redirect_uri',
        error_description:
          'myapp://callback uses a private-use scheme (myapp), which only native apps may register; register with application_type "native"',
      },
    });
    expect(
      (await register(engine, { redirect_uris: ['myapp://callback'], application_type: 'native' })).status,
    ).toBe(201);
  });

  it('refuses registration when the policy is closed, with a sentence saying how to open it', async () => {
    const { engine } = fixture;
    await engine.call('settings.set', { registrationPolicy: 'closed' });
    try {
      const result = await register(engine, {});
      expect(result.status).toBe(403);
      expect(result.body).toEqual({
        error: 'access_denied',
        error_description:
          'New client registration is closed in Gatehouse. Open Gatehouse → Settings → New clients to allow it, or register this client by hand.',
      });
    } finally {
      await engine.call('settings.set', { registrationPolicy: 'open' });
    }
  });

  it('holds a registration for the user when the policy is ask', async () => {
    const { engine } = fixture;
    await engine.call('settings.set', { registrationPolicy: 'ask' });
    try {
      const pendingResult = register(engine, { client_name: 'Asking Client' });
      await expect.poll(async () => (await engine.call('registrations.list')).length).toBe(1);
      const [pending] = await engine.call('registrations.list');
      expect(pending).toMatchObject({ clientName: 'Asking Client', redirectUris: [REDIRECT] });
      await engine.call('registrations.approve', { id: pending!.id });
      const result = await pendingResult;
      expect(result.status).toBe(201);
      expect((await engine.call('clients.get', { clientId: result.body.client_id as string })).name).toBe(
        'Asking Client',
      );

      const refused = register(engine, { client_name: 'Refused Client' });
      await expect.poll(async () => (await engine.call('registrations.list')).length).toBe(1);
      await engine.call('registrations.deny', { id: (await engine.call('registrations.list'))[0]!.id });
      expect(await refused).toEqual({
        status: 403,
        body: {
          error: 'access_denied',
          error_description: 'The user refused this client registration in Gatehouse.',
        },
      });
    } finally {
      await engine.call('settings.set', { registrationPolicy: 'open' });
    }
  });

  it('keeps the question when the client stops waiting, and lets its next try through once approved', async () => {
    const { engine } = fixture;
    await engine.call('settings.set', { registrationPolicy: 'ask' });
    try {
      const impatient = new AbortController();
      const first = fetch(`${engine.issuer}/reg`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          redirect_uris: [REDIRECT],
          token_endpoint_auth_method: 'none',
          client_name: 'Impatient Client',
        }),
        signal: impatient.signal,
      }).catch((error: unknown) => error);
      await expect.poll(async () => (await engine.call('registrations.list')).length).toBe(1);
      impatient.abort();
      expect(await first).toBeInstanceOf(Error);
      await expect
        .poll(
          async () =>
            (await engine.call('audit.list', { type: 'client.registration_waiting', limit: 1 }))[0]?.reason,
        )
        .toBe(
          'Impatient Client stopped waiting for an answer; if you approve it, it registers when it tries again.',
        );
      // The client gave up (its own timeout); the question is still the user's to answer.
      const [pending] = await engine.call('registrations.list');
      expect(pending).toMatchObject({ clientName: 'Impatient Client' });
      await engine.call('registrations.approve', { id: pending!.id });
      await expect
        .poll(
          async () =>
            (await engine.call('audit.list', { type: 'client.registration_approved', limit: 1 }))[0]?.reason,
        )
        .toBe(
          'The user approved Impatient Client, which had stopped waiting; it registers when it tries again within 10 minutes.',
        );
      expect(await engine.call('registrations.list')).toEqual([]);

      // Its next try registers at once, without asking again…
      const retry = await register(engine, { client_name: 'Impatient Client' });
      expect(retry.status).toBe(201);
      expect(await engine.call('registrations.list')).toEqual([]);
      // …once: a later attempt is a new question.
      const later = register(engine, { client_name: 'Impatient Client' });
      await expect.poll(async () => (await engine.call('registrations.list')).length).toBe(1);
      await engine.call('registrations.deny', { id: (await engine.call('registrations.list'))[0]!.id });
      expect((await later).status).toBe(403);
    } finally {
      await engine.call('settings.set', { registrationPolicy: 'open' });
    }
  });

  it('joins a retry to the question its earlier attempt is waiting on: one question, one registration', async () => {
    const { engine } = fixture;
    await engine.call('settings.set', { registrationPolicy: 'ask' });
    try {
      const first = register(engine, { client_name: 'Twice Client' });
      await expect.poll(async () => (await engine.call('registrations.list')).length).toBe(1);
      const second = register(engine, { client_name: 'Twice Client' });
      // The retry is in (its body read and matched) before the answer: give it a moment, then check
      // it raised no second question.
      await new Promise((resolve) => setTimeout(resolve, 200));
      const pending = await engine.call('registrations.list');
      expect(pending).toHaveLength(1);
      await engine.call('registrations.approve', { id: pending[0]!.id });
      expect((await second).status).toBe(201);
      expect(await first).toEqual({
        status: 409,
        body: {
          error: 'temporarily_unavailable',
          error_description: 'A newer registration attempt from this client is waiting for the same answer.',
        },
      });
      expect((await engine.call('clients.list')).filter((c) => c.name === 'Twice Client')).toHaveLength(1);
    } finally {
      await engine.call('settings.set', { registrationPolicy: 'open' });
    }
  });

  it('answers malformed registration JSON with invalid_request, not a crash', async () => {
    const res = await fetch(`${fixture.engine.issuer}/reg`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"redirect_uris": [',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: 'invalid_request',
      error_description: 'failed to parse the request body',
    });
  });
});

describe('registration rate limit', () => {
  it('refuses a callback’s registrations beyond its limit with 429 and Retry-After', async () => {
    const limited = await startEngine({ registrationLimit: { count: 2, windowMs: 60_000 } });
    try {
      const again = () => register(limited.engine, { redirect_uris: ['http://127.0.0.1:5555/callback'] });
      expect((await again()).status).toBe(201);
      expect((await again()).status).toBe(201);
      const res = await fetch(`${limited.engine.issuer}/reg`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          redirect_uris: ['http://127.0.0.1:5555/callback'],
          client_name: 'Raw Client',
        }),
      });
      expect(res.status).toBe(429);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(55);
      expect(await res.json()).toEqual({
        error: 'temporarily_unavailable',
        error_description: expect.stringMatching(
          /^Too many registrations from "Raw Client" at http:\/\/127\.0\.0\.1:5555\/callback \(2 in 1 minute\); try again in \d+ seconds\.$/,
        ),
      });
    } finally {
      await limited.stop();
    }
  });

  it('never holds one client back for others of the same name: every mcp-remote is "MCP CLI Proxy"', async () => {
    // mcp-remote registers as "MCP CLI Proxy" with a loopback callback whose port it derives from
    // the server's URL, so one per Gatehouse URL (/mcp, /mcp/<connector>…) runs on its own port.
    const limited = await startEngine({ registrationLimit: { count: 2, windowMs: 60_000 } });
    try {
      const proxy = (port: number) =>
        register(limited.engine, {
          client_name: 'MCP CLI Proxy',
          redirect_uris: [`http://localhost:${port}/oauth/callback`],
        });
      const statuses = [];
      for (let port = 20_000; port < 20_012; port++) statuses.push((await proxy(port)).status);
      expect(statuses).toEqual(Array(12).fill(201));
      // The same one in a loop is still stopped.
      expect([(await proxy(20_000)).status, (await proxy(20_000)).status]).toEqual([201, 429]);
    } finally {
      await limited.stop();
    }
  });
});
