// A call held for the secret material its arguments carry, that nobody answers: on the real engine,
// with a real SDK client of each era calling a 2026-07-28 upstream and a 2025-era one (for a
// 2026-07-28 client, the parked route), the call is denied when the approval times out and nothing
// reaches the upstream. The system notification names the kind of secret, never the value.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallToolResult, Client } from '@modelcontextprotocol/client';
import type { Effects, Notifier } from '../../../main/core/effects.js';
import { startSecretUpstream, type SecretUpstream } from '../../fixtures/secret-upstreams.js';
import { awsKeyPair, githubToken } from '../../fixtures/secrets/planted-secrets.mjs';
import { startEngine, type EngineFixture } from '../../support/engine-fixture.js';
import { outcome } from '../../support/eras.js';
import { authorizeClient, type ClientEra } from '../../support/oauth-client.js';

let fixture: EngineFixture;
const upstreams: Record<'notes' | 'oldnotes', SecretUpstream> = {} as never;
const clients = new Map<ClientEra, Client>();
const notices: Array<Parameters<Notifier['notify']>[0]> = [];

beforeAll(async () => {
  upstreams.notes = await startSecretUpstream('modern-only');
  upstreams.oldnotes = await startSecretUpstream('legacy-only');
  fixture = await startEngine({
    approvalTimeoutMs: 1_000,
    effects: { notifier: { notify: (notice) => void notices.push(notice) } } as Effects,
  });
  const { engine } = fixture;
  await engine.call('settings.set', { accessCeiling: 'write' });
  for (const name of ['notes', 'oldnotes'] as const) {
    await engine.call('connectors.add', {
      name,
      settings: { kind: 'http', url: upstreams[name].url, transport: 'streamable-http' },
    });
  }
  for (const era of ['legacy', '2026-07-28'] as ClientEra[]) {
    clients.set(era, (await authorizeClient(engine, { era, access: 'write' })).client);
  }
}, 60_000);

afterAll(async () => {
  for (const client of clients.values()) await client.close().catch(() => undefined);
  await fixture?.stop();
  await Promise.all(Object.values(upstreams).map((upstream) => upstream.close()));
});

describe('a call held for secret material that nobody answers', () => {
  for (const era of ['legacy', '2026-07-28'] as ClientEra[]) {
    for (const connector of ['notes', 'oldnotes'] as const) {
      it(`is denied when its approval times out, and delivers nothing (${era} client → ${connector})`, async () => {
        const { engine } = fixture;
        const token = githubToken('ghp');
        const aws = awsKeyPair();
        const heard = notices.length;
        const result = (await clients.get(era)!.callTool({
          name: `${connector}__store_note`,
          arguments: {
            body: `token ${token}`,
            env: { AWS_ACCESS_KEY_ID: aws.id, AWS_SECRET_ACCESS_KEY: aws.secret },
          },
        })) as CallToolResult;
        expect(outcome(result)).toEqual({
          isError: true,
          content: [
            {
              type: 'text',
              text: `gatehouse: nobody approved this call to ${connector}__store_note within 1 seconds, so it was denied (its arguments carry secret material: \`body\` holds a GitHub token, \`env.AWS_ACCESS_KEY_ID\` holds AWS credentials and \`env.AWS_SECRET_ACCESS_KEY\` holds AWS credentials)`,
            },
          ],
        });
        expect(upstreams[connector].delivered).toEqual([]);
        expect(await engine.call('approvals.list')).toEqual([]);
        const [row] = await engine.call('audit.list', { connector, type: 'tool.call', limit: 1 });
        expect(row).toMatchObject({
          decision: 'deny',
          detail: { decidedBy: 'secrets', approval: 'timed-out', outcome: 'refused' },
        });
        expect(notices.slice(heard)).toEqual([
          {
            kind: 'approval',
            title: `Test MCP Client wants to run ${connector}__store_note`,
            body: 'Its arguments carry a GitHub token and AWS credentials. Open Gatehouse to allow or deny this call.',
          },
        ]);
        for (const value of [token, aws.secret, aws.id]) {
          expect(JSON.stringify(row)).not.toContain(value);
          expect(JSON.stringify(notices)).not.toContain(value);
        }
      });
    }
  }
});
