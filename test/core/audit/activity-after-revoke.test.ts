// What the Activity log says when a revoked client keeps trying: its refused refreshes and MCP
// requests carry its client id and why — "revoked by you at 14:05" — from a bounded memory of the
// revoked tokens' digests.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RevokedTokens, revokedSentence } from '../../../main/core/auth/revoked-tokens.js';
import { startEngine, type EngineFixture } from '../../support/engine-fixture.js';
import { initializeMessage, mcpPost, obtainTokens, refresh } from '../../support/raw-oauth.js';
import { KOLKATA, KOLKATA_OFFSET_MS, useTimeZone } from '../../support/time-zone.js';

// A fixed zone, so "at 14:05" is worked out here from the event's time, not by the code under test.
useTimeZone(KOLKATA);

/** "14:05": an instant as a Kolkata clock shows it, read off the UTC ISO string shifted by +05:30. */
function kolkataClock(at: number): string {
  return new Date(at + KOLKATA_OFFSET_MS).toISOString().slice(11, 16);
}

let fixture: EngineFixture;
beforeAll(async () => {
  fixture = await startEngine({ refreshReuseGraceMs: 0 });
});
afterAll(async () => fixture.stop());

/** "14:05": when the client's access was revoked, as the sentence says it. */
async function revokedAt(clientId: string, type: string): Promise<string> {
  const [event] = await fixture.engine.call('audit.list', { clientId, type });
  return kolkataClock(event!.at);
}

async function lastDenial(clientId: string, type: string) {
  const [event] = await fixture.engine.call('audit.list', { clientId, type });
  return { clientId: event?.clientId, reason: event?.reason };
}

/** Sends an MCP request with a dead access token; returns what the audit log says of it. */
async function refusedMcpRequest(accessToken: string, clientId: string) {
  expect((await mcpPost(fixture.engine, accessToken, initializeMessage)).status).toBe(401);
  return lastDenial(clientId, 'mcp.request_denied');
}

describe('refusals after a revoke', () => {
  it('name the client and say "revoked by you at HH:MM", for a refresh and an MCP request', async () => {
    const { engine } = fixture;
    const tokens = await obtainTokens(engine, { access: 'read' });
    await engine.call('clients.revoke', { clientId: tokens.clientId });
    const at = await revokedAt(tokens.clientId, 'client.revoked');

    expect((await refresh(engine, tokens.clientId, tokens.refreshToken)).status).toBe(400);
    expect(await lastDenial(tokens.clientId, 'token.denied')).toEqual({
      clientId: tokens.clientId,
      reason: `Refresh refused: the refresh token was revoked by you at ${at}`,
    });

    const refused = await mcpPost(engine, tokens.accessToken, initializeMessage);
    expect(refused.status).toBe(401);
    expect(JSON.parse(refused.body)).toEqual({
      error: 'invalid_token',
      error_description: 'The access token was revoked.',
    });
    expect(await lastDenial(tokens.clientId, 'mcp.request_denied')).toEqual({
      clientId: tokens.clientId,
      reason: `MCP request refused: the access token was revoked by you at ${at}`,
    });
  });

  it('say "forgotten by you" after Forget', async () => {
    const { engine } = fixture;
    const tokens = await obtainTokens(engine);
    await engine.call('clients.forget', { clientId: tokens.clientId });
    const [forgotten] = await engine.call('audit.list', { type: 'client.forgotten', limit: 1 });
    const at = kolkataClock(forgotten!.at);
    expect(await refusedMcpRequest(tokens.accessToken, tokens.clientId)).toEqual({
      clientId: tokens.clientId,
      reason: `MCP request refused: the access token was forgotten by you at ${at}`,
    });
  });

  it('say why when Gatehouse revoked the grant itself (a refresh token used twice)', async () => {
    const { engine } = fixture;
    const tokens = await obtainTokens(engine);
    const rotated = await refresh(engine, tokens.clientId, tokens.refreshToken);
    expect((await refresh(engine, tokens.clientId, tokens.refreshToken)).status).toBe(400);
    const at = await revokedAt(tokens.clientId, 'grant.revoked');
    expect(await refusedMcpRequest(rotated.body.access_token as string, tokens.clientId)).toEqual({
      clientId: tokens.clientId,
      reason: `MCP request refused: the access token was revoked after token reuse at ${at}`,
    });
  });

  it('still say only "unknown" for a token Gatehouse never issued', async () => {
    const refused = await mcpPost(fixture.engine, 'never-issued', initializeMessage);
    expect(refused.status).toBe(401);
    const [event] = await fixture.engine.call('audit.list', { type: 'mcp.request_denied', limit: 1 });
    expect(event).toMatchObject({
      clientId: null,
      reason: 'The access token is unknown, expired or revoked.',
    });
  });
});

describe('the memory of revoked tokens', () => {
  it('is bounded: past its size the oldest digests are forgotten', () => {
    const memory = new RevokedTokens(3);
    const revoked = {
      clientId: 'c',
      grantId: 'g1',
      at: Date.UTC(2026, 0, 1, 12, 0),
      cause: 'revoked by you',
    };
    memory.remember(['a', 'b'], revoked);
    memory.remember(['c', 'd'], { ...revoked, grantId: 'g2' });
    expect(memory.size).toBe(3);
    expect(memory.get('a')).toBeUndefined();
    expect(memory.get('b')).toEqual(revoked);
    memory.relabel('g2', 'revoked after token reuse');
    expect(memory.get('d')?.cause).toBe('revoked after token reuse');
    // 12:00 UTC is 17:30 in Kolkata.
    expect(revokedSentence(memory.get('b')!)).toBe('revoked by you at 17:30');
  });
});
