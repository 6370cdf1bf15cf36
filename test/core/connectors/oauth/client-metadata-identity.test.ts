// CIMD before DCR, in the product: a Gatehouse started with the URL where its client ID metadata
// document is published connects to an upstream whose authorization server supports metadata
// documents — here another Gatehouse, a real oidc-provider — with that URL as its client id and no
// registration. The document itself is served on loopback, ready to publish.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { CLIENT_METADATA_PATH } from '../../../../main/core/connectors/oauth/connector-oauth.js';
import { startEngine, type EngineFixture } from '../../../support/engine-fixture.js';
import { TestBrowser } from '../../../support/test-browser.js';

const METADATA_URL = 'https://gatehouse.example/client-metadata.json';

let gatehouse: EngineFixture;
let upstream: EngineFixture;

beforeAll(async () => {
  gatehouse = await startEngine({ upstreamClientMetadataUrl: METADATA_URL });
  // The upstream's authorization server fetches the published document: here, from the loopback
  // route Gatehouse serves it on (the SSRF check is given a public address for the test's host).
  upstream = await startEngine({
    hostLookup: async () => [{ address: '93.184.215.14', family: 4 }],
    metadataDocumentFetch: async (input) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      if (url !== METADATA_URL) return new Response('not found', { status: 404 });
      return fetch(`${gatehouse.engine.issuer}${CLIENT_METADATA_PATH}`);
    },
  });
}, 30_000);
afterAll(async () => {
  await gatehouse?.stop();
  await upstream?.stop();
});

describe("Gatehouse's client ID metadata document", () => {
  it('is served for publishing, naming the published URL and this Gatehouse’s callback', async () => {
    const res = await fetch(`${gatehouse.engine.issuer}${CLIENT_METADATA_PATH}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      client_id: METADATA_URL,
      client_name: 'Gatehouse',
      redirect_uris: [`${gatehouse.engine.issuer}/connectors/oauth/callback`],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
      application_type: 'native',
    });
  });

  it('is what an upstream supporting metadata documents sees as client id: no registration', async () => {
    const { engine } = gatehouse;
    await engine.call('connectors.add', {
      name: 'other',
      settings: { kind: 'http', url: upstream.engine.mcpUrl, auth: { type: 'oauth' } },
    });
    const { authorizationUrl } = await engine.call('connectors.connect', { name: 'other' });
    expect(new URL(authorizationUrl).searchParams.get('client_id')).toBe(METADATA_URL);

    // The user consents in the upstream Gatehouse; the browser returns to this one's callback.
    const browser = new TestBrowser();
    expect((await browser.navigate(authorizationUrl)).status).toBe(200);
    const [consent] = await upstream.engine.call('consents.list');
    expect(consent).toMatchObject({
      clientId: METADATA_URL,
      clientName: 'Gatehouse',
      kind: 'metadata-document',
    });
    await upstream.engine.call('consents.approve', { id: consent!.id, access: 'read' });
    const landed = await browser.reload();
    expect(landed).toMatchObject({
      status: 200,
      url: expect.stringContaining('/connectors/oauth/callback?'),
    });
    expect(landed.body).toContain('other is connected');

    await expect
      .poll(async () => (await engine.call('connectors.get', { name: 'other' })).status, { timeout: 10_000 })
      .toMatchObject({ connection: 'connected', auth: 'ready' });
    expect(
      (await upstream.engine.call('clients.list')).map((client) => [client.clientId, client.kind]),
    ).toEqual([[METADATA_URL, 'metadata-document']]);
    expect(await upstream.engine.call('audit.list', { type: 'client.registered' })).toMatchObject([
      { clientId: METADATA_URL, reason: 'First seen through its client ID metadata document' },
    ]);
  });

  it('says how to get one when none is configured, and refuses a URL that cannot be one', async () => {
    const res = await fetch(`${upstream.engine.issuer}${CLIENT_METADATA_PATH}`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error_description: string }).error_description).toBe(
      'This Gatehouse has no client metadata document URL. Start it with GATEHOUSE_CLIENT_METADATA_URL set to the https URL where you publish this document; until then it registers with each authorization server (DCR).',
    );
    const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-cimd-'));
    onTestFinished(() => rmSync(dataDir, { recursive: true, force: true }));
    await expect(
      startEngine({ dataDir, upstreamClientMetadataUrl: 'http://gatehouse.example/doc.json' }),
    ).rejects.toThrow(
      'The client metadata document URL must be an https URL with a path (e.g. https://example.com/gatehouse.json); got "http://gatehouse.example/doc.json".',
    );
  });
});
