// The per-request token check in isolation: digest lookup, expiry, audience binding (RFC 8707),
// grant state and scope, against a real token index and grant store on an in-memory database.
import { describe, expect, it } from 'vitest';
import { BearerCheck } from '../../../main/core/mcp/bearer-check.js';
import { TokenIndex, tokenDigest } from '../../../main/core/auth/token-index.js';
import { GrantStore } from '../../../main/core/store/grant-store.js';
import { openDatabase } from '../../../main/core/store/database.js';
import { TestClock } from '../../support/engine-fixture.js';

function setup() {
  const clock = new TestClock();
  const grants = new GrantStore(openDatabase(':memory:'), clock);
  const tokens = new TokenIndex();
  grants.add({
    grantId: 'g1',
    clientId: 'c1',
    connectors: '*',
    access: 'read',
    scopes: ['mcp:read'],
    resource: 'http://127.0.0.1:42830/mcp',
    createdAt: clock.now(),
    expiresAt: clock.now() + 60_000,
  });
  const add = (token: string, audience: string, scopes = ['mcp:read']) =>
    tokens.add(tokenDigest(token), {
      clientId: 'c1',
      grantId: 'g1',
      audience,
      scopes: new Set(scopes),
      expiresAt: Math.floor(clock.now() / 1000) + 3600,
    });
  return { clock, grants, tokens, check: new BearerCheck(tokens, grants, clock), add };
}

describe('BearerCheck', () => {
  it('accepts a token on the resource it was issued for, under either loopback name', () => {
    const { check, add } = setup();
    add('t1', 'http://127.0.0.1:42830/mcp');
    expect(check.check('Bearer t1', 'http://127.0.0.1:42830/mcp').ok).toBe(true);
    add('t2', 'http://localhost:42830/mcp');
    expect(check.check('Bearer t2', 'http://127.0.0.1:42830/mcp').ok).toBe(true);
  });

  it('refuses a token issued for another resource', () => {
    const { check, add } = setup();
    add('t1', 'http://127.0.0.1:42830/mcp/github');
    expect(check.check('Bearer t1', 'http://127.0.0.1:42830/mcp')).toEqual({
      ok: false,
      status: 401,
      error: 'invalid_token',
      description:
        'The access token was issued for http://127.0.0.1:42830/mcp/github, not for http://127.0.0.1:42830/mcp.',
    });
  });

  it('refuses a token whose grant expired or was removed', () => {
    const { check, add, clock, grants } = setup();
    add('t1', 'http://127.0.0.1:42830/mcp');
    clock.advance(61_000);
    expect(check.check('Bearer t1', 'http://127.0.0.1:42830/mcp')).toMatchObject({
      ok: false,
      status: 401,
      description: 'The grant behind this token was revoked or has expired.',
    });
    clock.advance(-61_000);
    grants.remove('g1');
    expect(check.check('Bearer t1', 'http://127.0.0.1:42830/mcp')).toMatchObject({ ok: false, status: 401 });
  });

  it('asks for step-up when the token has no MCP scope, and for a token when there is none', () => {
    const { check, add } = setup();
    add('t1', 'http://127.0.0.1:42830/mcp', []);
    expect(check.check('Bearer t1', 'http://127.0.0.1:42830/mcp')).toMatchObject({
      ok: false,
      status: 403,
      error: 'insufficient_scope',
    });
    expect(check.check(undefined, 'http://127.0.0.1:42830/mcp')).toEqual({
      ok: false,
      status: 401,
      description: 'This MCP endpoint needs an access token from Gatehouse.',
    });
    expect(check.check('Basic abc', 'http://127.0.0.1:42830/mcp')).toMatchObject({ ok: false, status: 401 });
  });
});
