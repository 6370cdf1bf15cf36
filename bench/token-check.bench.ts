// Token check on an MCP request with 10,000 live tokens: the per-request cost of authentication
// (digest + index lookup + expiry, audience, grant and scope checks), measured per call.
import { randomBytes } from 'node:crypto';
import { BearerCheck } from '../main/core/mcp/bearer-check.js';
import { TokenIndex, tokenDigest } from '../main/core/auth/token-index.js';
import { GrantStore } from '../main/core/store/grant-store.js';
import { openDatabase } from '../main/core/store/database.js';
import { median, nowMs, percentile, type Benchmark } from './harness.js';

export const tokenCheck: Benchmark = {
  id: 'token-check',
  async run() {
    const clock = { now: () => Date.now() };
    const db = openDatabase(':memory:');
    const grants = new GrantStore(db, clock);
    const tokens = new TokenIndex();
    const resource = 'http://127.0.0.1:42830/mcp';
    const raw: string[] = [];
    for (let i = 0; i < 10_000; i++) {
      const grantId = `g${i % 500}`;
      if (i < 500)
        grants.add({
          grantId,
          clientId: `c${i}`,
          connectors: '*',
          access: 'read',
          scopes: ['mcp:read'],
          resource,
          createdAt: clock.now(),
          expiresAt: null,
        });
      const token = randomBytes(32).toString('base64url');
      raw.push(token);
      tokens.add(tokenDigest(token), {
        clientId: `c${i % 500}`,
        grantId,
        audience: resource,
        scopes: new Set(['mcp:read']),
        expiresAt: Math.floor(clock.now() / 1000) + 3600,
      });
    }
    const check = new BearerCheck(tokens, grants, clock);
    for (let i = 0; i < 20_000; i++) check.check(`Bearer ${raw[i % raw.length]}`, resource);
    const samples: number[] = [];
    let failures = 0;
    for (let i = 0; i < 100_000; i++) {
      const header = `Bearer ${raw[(i * 7919) % raw.length]}`;
      const start = nowMs();
      const result = check.check(header, resource);
      samples.push((nowMs() - start) * 1000);
      if (!result.ok) failures++;
    }
    db.close();
    if (failures) throw new Error(`${failures} valid tokens were refused`);
    return {
      title: 'Token check with 10,000 live tokens',
      description:
        'BearerCheck.check on a valid token picked at random among 10,000 live access tokens (500 grants): SHA-256 digest, index lookup, expiry, audience, grant and scope. 100,000 timed calls after 20,000 warm-up calls.',
      measurements: [
        { name: 'median', value: median(samples), unit: 'µs', target: { op: '<', value: 50 } },
        { name: 'p99', value: percentile(samples, 99), unit: 'µs' },
      ],
    };
  },
};
