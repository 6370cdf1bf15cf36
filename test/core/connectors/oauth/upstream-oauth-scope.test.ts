// Which scope Gatehouse's upstream OAuth client asks for (MCP "Scope Selection Strategy") and how it
// steps up on insufficient_scope (MCP "Scope Challenge Handling").
import { describe, expect, it } from 'vitest';
import {
  authorizer,
  bareInitialize,
  connect,
  start,
  upstream,
  useOAuthUpstream,
} from '../../../support/upstream-oauth-journey.js';
import { MemoryCredentialStore } from '../../../support/memory-stores.js';

useOAuthUpstream();

describe('upstream OAuth: scopes', () => {
  it.each([
    {
      name: 'the challenge’s scope when the 401 names one',
      upstream: { scopesSupported: ['notes:read', 'notes:write'], requiredScopes: ['notes:read'] },
      custom: null,
      expected: 'notes:read',
    },
    {
      name: 'all of scopes_supported when the challenge names none',
      upstream: { scopesSupported: ['notes:read', 'notes:write'] },
      custom: null,
      expected: 'notes:read notes:write',
    },
    {
      name: 'no scope at all when neither says',
      upstream: {},
      custom: null,
      expected: null,
    },
    {
      name: 'offline_access as well when the server lists it, so refresh keeps working',
      upstream: { scopesSupported: ['notes:read', 'offline_access'], requiredScopes: ['notes:read'] },
      custom: null,
      expected: 'notes:read offline_access',
    },
    {
      name: 'the custom scopes over both',
      upstream: { scopesSupported: ['notes:read', 'notes:write'], requiredScopes: ['notes:read'] },
      custom: ['notes:admin'],
      expected: 'notes:admin',
    },
  ])('asks for $name', async ({ upstream: upstreamOptions, custom, expected }) => {
    await start(upstreamOptions);
    const oauth = await authorizer(new MemoryCredentialStore(), { settings: { scopes: custom } });
    await bareInitialize(oauth);
    const { url } = await oauth.beginAuthorization();
    expect(new URL(url).searchParams.get('scope')).toBe(expected);
    expect(upstream.registrations[0]?.scope).toBe(expected ?? undefined);
  });

  it('steps up on insufficient_scope with the union of scopes, and stops when more cannot help', async () => {
    await start({ scopesSupported: ['notes:read'] });
    const oauth = await authorizer(new MemoryCredentialStore());
    await bareInitialize(oauth);
    await connect(oauth);
    const challenge = (scope: string) =>
      `Bearer error="insufficient_scope", scope="${scope}", resource_metadata="${upstream.resourceMetadataUrl}"`;

    expect(await oauth.unauthorized(challenge('notes:write'))).toBe(false);
    expect(oauth.state()).toBe('action-required');
    expect(oauth.attention()).toEqual({
      reason: 'more-scope',
      message:
        'notes needs you to reconnect to grant more access (scope "notes:write"). Use Connect in Gatehouse (or `gatehouse connectors connect notes`).',
    });
    // The current token still serves what it can meanwhile.
    const headers = new Headers();
    await oauth.authorize(headers);
    expect(headers.get('authorization')).toMatch(/^Bearer at-/);

    await connect(oauth);
    expect(upstream.authorizeRequests.at(-1)?.scope).toBe('notes:read notes:write');
    expect(oauth.state()).toBe('ready');

    // Granted and still refused: asking again cannot help, so Gatehouse stops (retry limit).
    expect(await oauth.unauthorized(challenge('notes:write'))).toBe(false);
    expect(oauth.attention()?.reason).toBe('scope-refused');
    expect(upstream.authorizeRequests).toHaveLength(2);
  });
});
