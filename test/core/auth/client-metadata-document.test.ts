// Client ID Metadata Documents: a client identified by an https URL whose document Gatehouse fetches
// (through oidc-provider) — accepted when it matches, refused when it lies or points inward.
import { afterEach, describe, expect, it } from 'vitest';
import { startEngine, type EngineFixture } from '../../support/engine-fixture.js';
import { TestBrowser } from '../../support/test-browser.js';
import { authorizeUrl, obtainCode, pkce, REDIRECT } from '../../support/raw-oauth.js';
import {
  isSpecialUseAddress,
  metadataDocumentRefusal,
} from '../../../main/core/auth/metadata-document-guard.js';

const CLIENT_ID = 'https://client.example/oauth/client.json';
const PUBLIC_ADDRESS = [{ address: '93.184.215.14', family: 4 }];

function documentServer(documents: Record<string, unknown>): typeof fetch {
  return async (input) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const doc = documents[url];
    if (!doc) return new Response('not found', { status: 404 });
    return new Response(JSON.stringify(doc), {
      status: 200,
      headers: { 'content-type': 'application/json', 'cache-control': 'max-age=300' },
    });
  };
}

const goodDocument = {
  client_id: CLIENT_ID,
  client_name: 'Metadata Client',
  redirect_uris: [REDIRECT],
  grant_types: ['authorization_code', 'refresh_token'],
  response_types: ['code'],
  token_endpoint_auth_method: 'none',
};

let fixture: EngineFixture | undefined;
afterEach(async () => {
  await fixture?.stop();
  fixture = undefined;
});

async function authorizePage(clientId: string): Promise<string> {
  const browser = new TestBrowser();
  const { challenge } = pkce();
  const page = await browser.navigate(
    authorizeUrl(fixture!.engine, {
      response_type: 'code',
      client_id: clientId,
      redirect_uri: REDIRECT,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    }),
    REDIRECT,
  );
  return page.body;
}

describe('client ID metadata documents', () => {
  it('accepts a client whose document matches its URL and lists it as a metadata-document client', async () => {
    fixture = await startEngine({
      metadataDocumentFetch: documentServer({ [CLIENT_ID]: goodDocument }),
      hostLookup: async () => PUBLIC_ADDRESS,
    });
    const { code } = await obtainCode(fixture.engine, CLIENT_ID);
    expect(code).toBeTruthy();
    const client = await fixture.engine.call('clients.get', { clientId: CLIENT_ID });
    expect(client).toMatchObject({
      name: 'Metadata Client',
      kind: 'metadata-document',
      redirectHosts: ['127.0.0.1:61234'],
    });
  });

  it('refuses a document whose client_id does not match the URL it was fetched from', async () => {
    fixture = await startEngine({
      metadataDocumentFetch: documentServer({
        [CLIENT_ID]: { ...goodDocument, client_id: 'https://other.example/client.json' },
      }),
      hostLookup: async () => PUBLIC_ADDRESS,
    });
    const body = await authorizePage(CLIENT_ID);
    expect(body).toContain('client_id metadata document client_id does not match the expected value');
    await expect(fixture.engine.call('clients.get', { clientId: CLIENT_ID })).rejects.toThrow(
      `No client with id ${CLIENT_ID} is known to Gatehouse`,
    );
  });

  it('never fetches a document from a loopback or private address', async () => {
    let fetched = false;
    fixture = await startEngine({
      metadataDocumentFetch: async () => {
        fetched = true;
        return new Response('{}');
      },
    });
    for (const clientId of [
      'https://localhost/client.json',
      'https://10.1.2.3/client.json',
      'https://[::1]/client.json',
    ]) {
      const body = await authorizePage(clientId);
      expect(body).toContain('invalid_client');
    }
    expect(fetched).toBe(false);
    const refusals = await fixture.engine.call('audit.list', { type: 'client.metadata_document_refused' });
    expect([...new Set(refusals.map((e) => e.reason))].sort()).toEqual(
      [
        'Did not fetch https://10.1.2.3/client.json: 10.1.2.3 is a private, loopback or reserved address',
        'Did not fetch https://[::1]/client.json: ::1 is a private, loopback or reserved address',
        expect.stringMatching(
          /^Did not fetch https:\/\/localhost\/client\.json: localhost resolves to (127\.0\.0\.1|::1), a private, loopback or reserved address$/,
        ),
      ].sort(),
    );
  });

  it('refuses a host that resolves to a private address (DNS pointing inward)', async () => {
    expect(
      await metadataDocumentRefusal('https://sneaky.example/c.json', async () => [
        { address: '192.168.1.20', family: 4 },
      ]),
    ).toBe('sneaky.example resolves to 192.168.1.20, a private, loopback or reserved address');
    expect(
      await metadataDocumentRefusal('https://fine.example/c.json', async () => PUBLIC_ADDRESS),
    ).toBeUndefined();
    expect(await metadataDocumentRefusal('http://fine.example/c.json', async () => PUBLIC_ADDRESS)).toBe(
      'client ID metadata documents must be served over https',
    );
  });

  it.each([
    ['127.0.0.1', true],
    ['10.0.0.1', true],
    ['172.20.1.1', true],
    ['192.168.0.1', true],
    ['169.254.169.254', true],
    ['100.64.0.1', true],
    ['::1', true],
    ['fd00::1', true],
    ['fe80::1', true],
    ['::ffff:127.0.0.1', true],
    ['8.8.8.8', false],
    ['2606:4700::1111', false],
  ])('classifies %s as special-use: %s', (address, expected) => {
    expect(isSpecialUseAddress(address)).toBe(expected);
  });
});
