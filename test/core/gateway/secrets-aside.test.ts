// Secrets a hostile upstream says beside a call's result instead of in it — a log message, a progress
// message, a sampling request, a request for input — reach no client, performed against the real
// engine: real SDK clients of both eras on /mcp, a 2026-07-28 upstream (its requests inside
// input_required results) and a sessionful 2025-era one (server→client requests, notifications on its
// session), each behind a connector whose bearer token Gatehouse keeps sealed. What the client gets
// carries the marker where the secret was; the activity log names kind, field path and carrier, never
// the value. A connector marked as handling secrets passes its messages as they are, audited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallToolResult, Client } from '@modelcontextprotocol/client';
import type { SecretKind } from '../../../main/core/api/secret-findings.js';
import { SECRET_KIND_WORDS } from '../../../main/core/text.js';
import { ASIDE_CHANNELS, startSecretUpstream, type SecretUpstream } from '../../fixtures/secret-upstreams.js';
import { oneOfEach, randomChars } from '../../fixtures/secrets/planted-secrets.mjs';
import { startEngine, type EngineFixture } from '../../support/engine-fixture.js';
import { authorizeClient, type ClientEra } from '../../support/oauth-client.js';

const BEARER = `nt_${randomChars('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 40)}`;
const GITHUB = oneOfEach()['github-token'];
const SECRETS: Array<{ kind: SecretKind; value: string }> = [
  { kind: 'github-token', value: GITHUB },
  { kind: 'sealed-value', value: BEARER },
];
type Channel = (typeof ASIDE_CHANNELS)[number];

let fixture: EngineFixture;
const upstreams: SecretUpstream[] = [];
/** Each client's era, and everything it was told on the side, as JSON. */
const clients = new Map<ClientEra, { client: Client; heard: string[] }>();

beforeAll(async () => {
  const [modern, legacy] = await Promise.all([
    startSecretUpstream('modern-only'),
    startSecretUpstream('legacy-only'),
  ]);
  upstreams.push(modern, legacy);
  fixture = await startEngine();
  const { engine } = fixture;
  for (const [name, upstream] of [
    ['notes', modern],
    ['oldnotes', legacy],
  ] as const) {
    const added = await engine.call('connectors.add', {
      name,
      settings: {
        kind: 'http',
        url: upstream.url,
        transport: 'streamable-http',
        auth: { type: 'bearer', token: BEARER },
      },
    });
    expect(added.status.connection, JSON.stringify(added.status)).toBe('connected');
  }
  for (const era of ['legacy', '2026-07-28'] as ClientEra[]) {
    const { client } = await authorizeClient(engine, {
      era,
      access: 'read',
      capabilities: { sampling: {}, elicitation: {} },
    });
    const heard: string[] = [];
    client.setNotificationHandler('notifications/message', (n) => void heard.push(JSON.stringify(n.params)));
    client.setRequestHandler('sampling/createMessage', async (request) => {
      heard.push(JSON.stringify(request.params));
      return { role: 'assistant', content: { type: 'text', text: 'a summary' }, model: 'test-model' };
    });
    client.setRequestHandler('elicitation/create', async (request) => {
      heard.push(JSON.stringify(request.params));
      return { action: 'accept', content: { ok: true } };
    });
    if (era === 'legacy') await client.setLoggingLevel('info');
    clients.set(era, { client, heard });
  }
}, 90_000);

afterAll(async () => {
  for (const { client } of clients.values()) await client.close().catch(() => undefined);
  await fixture?.stop();
  await Promise.all(upstreams.map((upstream) => upstream.close()));
});

/** Calls tell_aside on `connector` as the `era` client; returns its result and what it heard meanwhile. */
async function tellAside(
  era: ClientEra,
  connector: string,
  channel: Channel,
  name: string,
): Promise<{ result: CallToolResult; heard: string[] }> {
  const { client, heard } = clients.get(era)!;
  heard.length = 0;
  const result = (await client.callTool(
    {
      name: `${connector}__tell_aside`,
      arguments: { name, channel },
      ...(era === '2026-07-28' && channel === 'log'
        ? { _meta: { 'io.modelcontextprotocol/logLevel': 'info' } }
        : {}),
    },
    channel === 'progress'
      ? { onprogress: (progress) => void heard.push(JSON.stringify(progress)) }
      : undefined,
  )) as CallToolResult;
  return { result, heard: [...heard] };
}

const routes = (['legacy', '2026-07-28'] as ClientEra[]).flatMap((era) =>
  ['notes', 'oldnotes'].flatMap((connector) =>
    ASIDE_CHANNELS.map((channel) => ({ era, connector, channel })),
  ),
);

const messageRows = (connector: string) =>
  fixture.engine.call('audit.list', { connector, type: 'message.secrets', limit: 100 });

describe('a secret said beside a clean result', () => {
  it.each(routes)(
    'reaches a $era client masked: $connector in a $channel',
    async ({ era, connector, channel }) => {
      for (const secret of SECRETS) {
        const name = `${secret.kind}-${channel}`;
        for (const upstream of upstreams) upstream.plant(name, secret.value);
        // A minute apart: each gets a row of its own (the first few of a minute do).
        fixture.clock.advance(60_000);
        const before = (await messageRows(connector)).length;
        const { result, heard } = await tellAside(era, connector, channel, name);
        expect(result.content).toEqual([{ type: 'text', text: `told ${name} on the side` }]);
        // The message reached the client — with the marker where the secret was, never the secret.
        expect(heard.join('\n'), `${secret.kind}: ${heard.join('\n')}`).toContain(
          SECRET_KIND_WORDS[secret.kind].marker,
        );
        expect(heard.join('\n')).not.toContain(secret.value);
        const rows = await messageRows(connector);
        expect(rows.length).toBe(before + 1);
        expect(rows[0]!.reason).toMatch(
          new RegExp(
            `^Masked secret material in a (log message|progress message|sampling request|request for input) from ${connector}: \``,
          ),
        );
        expect((rows[0]!.detail as { masked: Array<{ kind: string }> }).masked.map((f) => f.kind)).toEqual([
          secret.kind,
        ]);
        expect(JSON.stringify(rows[0])).not.toContain(secret.value);
      }
    },
  );
});

describe('a connector marked as handling secrets', () => {
  it('passes its messages as they are, and the activity log says so', async () => {
    const { engine } = fixture;
    await engine.call('connectors.setHandlesSecrets', { name: 'oldnotes', handlesSecrets: true });
    try {
      for (const upstream of upstreams) upstream.plant('vault entry', GITHUB);
      fixture.clock.advance(60_000);
      const { heard } = await tellAside('legacy', 'oldnotes', 'log', 'vault entry');
      expect(heard.join('\n')).toContain(GITHUB);
      const [row] = await messageRows('oldnotes');
      expect(row!.reason).toBe(
        'Passed on a log message from oldnotes as it was (the connector handles secrets): `data.value` holds a GitHub token',
      );
      expect(JSON.stringify(row)).not.toContain(GITHUB);
    } finally {
      await engine.call('connectors.setHandlesSecrets', { name: 'oldnotes', handlesSecrets: false });
    }
  });
});
