// Which redirect URIs a client may register — https, http only to loopback (exactly), private-use
// schemes only for native apps — enforced the same way for dynamic registration, Client ID Metadata
// Documents and registration by hand, each refusal `invalid_redirect_uri` with its reason.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, type EngineFixture } from '../../support/engine-fixture.js';
import { TestBrowser } from '../../support/test-browser.js';
import { authorizeUrl, pkce, register } from '../../support/raw-oauth.js';
import { redirectUriRefusal } from '../../../main/core/auth/redirect-uris.js';

const httpOnlyLoopback = (uri: string, host: string) =>
  `${uri} uses plain http to ${host}: http is allowed only to this computer (http://127.0.0.1, http://[::1] or http://localhost); use https`;

/** URI, then the refusal for a web client and for a native one (undefined: accepted). */
const table: Array<[string, string | undefined, string | undefined]> = [
  ['https://app.example/cb', undefined, undefined],
  ['http://127.0.0.1:3000/cb', undefined, undefined],
  ['http://[::1]:3000/cb', undefined, undefined],
  ['http://localhost:3000/cb', undefined, undefined],
  [
    'http://evil.example/cb',
    httpOnlyLoopback('http://evil.example/cb', 'evil.example'),
    httpOnlyLoopback('http://evil.example/cb', 'evil.example'),
  ],
  [
    'http://127.0.0.1.evil.com/cb',
    httpOnlyLoopback('http://127.0.0.1.evil.com/cb', '127.0.0.1.evil.com'),
    httpOnlyLoopback('http://127.0.0.1.evil.com/cb', '127.0.0.1.evil.com'),
  ],
  [
    'http://localhost.evil.com/cb',
    httpOnlyLoopback('http://localhost.evil.com/cb', 'localhost.evil.com'),
    httpOnlyLoopback('http://localhost.evil.com/cb', 'localhost.evil.com'),
  ],
  [
    'http://127.0.0.1@evil.com/cb',
    'http://127.0.0.1@evil.com/cb carries user information before its host, which a redirect URI must not have',
    'http://127.0.0.1@evil.com/cb carries user information before its host, which a redirect URI must not have',
  ],
  [
    'https://user:pw@app.example/cb',
    'https://user:pw@app.example/cb carries user information before its host, which a redirect URI must not have',
    'https://user:pw@app.example/cb carries user information before its host, which a redirect URI must not have',
  ],
  [
    'https://app.example/cb#frag',
    'https://app.example/cb#frag has a fragment, which a redirect URI must not have',
    'https://app.example/cb#frag has a fragment, which a redirect URI must not have',
  ],
  [
    'com.example.app:/oauth',
    'com.example.app:/oauth uses a private-use scheme (com.example.app), which only native apps may register; register with application_type "native"',
    undefined,
  ],
  [
    'javascript:alert(1)',
    'javascript:alert(1) uses the javascript scheme, which can never be a redirect URI',
    'javascript:alert(1) uses the javascript scheme, which can never be a redirect URI',
  ],
  [
    'file:///etc/passwd',
    'file:///etc/passwd uses the file scheme, which can never be a redirect URI',
    'file:///etc/passwd uses the file scheme, which can never be a redirect URI',
  ],
  ['/relative/cb', '/relative/cb is not an absolute URI', '/relative/cb is not an absolute URI'],
];

describe('the redirect URI policy', () => {
  it.each(table)('%s', (uri, web, native) => {
    expect(redirectUriRefusal(uri, 'web')).toBe(web);
    expect(redirectUriRefusal(uri, 'native')).toBe(native);
  });
});

let fixture: EngineFixture;
const documents = new Map<string, unknown>();
beforeAll(async () => {
  fixture = await startEngine({
    metadataDocumentFetch: async (input) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      const doc = documents.get(url);
      return doc
        ? new Response(JSON.stringify(doc), { headers: { 'content-type': 'application/json' } })
        : new Response('not found', { status: 404 });
    },
    hostLookup: async () => [{ address: '93.184.215.14', family: 4 }],
  });
});
afterAll(async () => fixture.stop());

describe('dynamic client registration', () => {
  it.each([
    'http://evil.example/cb',
    'http://127.0.0.1.evil.com/cb',
    'http://localhost.evil.com/cb',
    'http://127.0.0.1@evil.com/cb',
  ])('refuses %s with invalid_redirect_uri and the reason', async (uri) => {
    const result = await register(fixture.engine, { redirect_uris: ['http://127.0.0.1:5000/cb', uri] });
    expect(result).toEqual({
      status: 400,
      body: { error: 'invalid_redirect_uri', error_description: redirectUriRefusal(uri, 'native') },
    });
  });

  it('refuses a private-use scheme for a client that declares itself web', async () => {
    expect(
      await register(fixture.engine, { redirect_uris: ['com.example.app:/cb'], application_type: 'web' }),
    ).toEqual({
      status: 400,
      body: {
        error: 'invalid_redirect_uri',
        error_description:
          'com.example.app:/cb uses a private-use scheme (com.example.app), which only native apps may register; register with application_type "native"',
      },
    });
  });

  it('registers https, loopback http on all three names, and a native app scheme', async () => {
    const { engine } = fixture;
    expect((await register(engine, { redirect_uris: ['https://app.example/cb'] })).status).toBe(201);
    expect(
      (
        await register(engine, {
          redirect_uris: ['http://127.0.0.1:1/cb', 'http://[::1]:2/cb', 'http://localhost:3/cb'],
        })
      ).status,
    ).toBe(201);
    expect(
      (await register(engine, { redirect_uris: ['com.example.app:/cb'], application_type: 'native' })).status,
    ).toBe(201);
  });
});

describe('registration by hand', () => {
  it('refuses a non-loopback http redirect with the reason', async () => {
    await expect(
      fixture.engine.call('clients.register', {
        name: 'Hand Made',
        redirectUris: ['http://127.0.0.1.evil.com/cb'],
        confidential: true,
      }),
    ).rejects.toThrow(
      `The client was not registered: ${redirectUriRefusal('http://127.0.0.1.evil.com/cb', 'web')}`,
    );
    expect((await fixture.engine.call('clients.list')).map((client) => client.name)).not.toContain(
      'Hand Made',
    );
  });
});

describe('client ID metadata documents', () => {
  it('refuses a document whose redirect URI is plain http to another host, before any consent', async () => {
    const { engine } = fixture;
    const clientId = 'https://cimd.example/client.json';
    documents.set(clientId, {
      client_id: clientId,
      client_name: 'Cleartext Client',
      redirect_uris: ['http://evil.example/cb'],
      token_endpoint_auth_method: 'none',
    });
    const { challenge } = pkce();
    const page = await new TestBrowser().navigate(
      authorizeUrl(engine, {
        response_type: 'code',
        client_id: clientId,
        redirect_uri: 'http://evil.example/cb',
        code_challenge: challenge,
        code_challenge_method: 'S256',
      }),
      'http://evil.example/',
    );
    expect(page.status).toBe(400);
    expect(page.body).toContain(redirectUriRefusal('http://evil.example/cb', 'web'));
    expect(await engine.call('consents.list')).toEqual([]);
  });
});
