// Secrets never cross a tool call unseen, performed against the real engine: real SDK clients of both
// eras on /mcp and on /mcp/<connector>, two real upstreams (a 2026-07-28 one and a sessionful 2025-era
// one, test/fixtures/secret-upstreams.ts) behind connectors whose bearer token and API key Gatehouse
// keeps sealed. Every kind of secret material in a write tool's arguments waits for the user, named by
// kind and field path, and a denial delivers nothing; an approval delivers that one call once, input
// rounds and parked retries included; every kind in a read tool's result reaches the client masked,
// in text, structured content, an embedded resource or an error. The sealed values count in every
// encoding. "Always allow for this connector" and the connector's own setting let both pass, audited.
// Afterwards no planted value is anywhere in the data folder (database, WAL, log file, preferences)
// nor in the process's log lines.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallToolResult, Client, ReadResourceResult } from '@modelcontextprotocol/client';
import type { PendingApprovalView } from '../../../main/core/api/contract.js';
import type { SecretKind } from '../../../main/core/api/secret-findings.js';
import type { Effects } from '../../../main/core/effects.js';
import { processLogger } from '../../../main/core/engine/headless.js';
import { openPreferencesFile } from '../../../main/core/store/preferences-file.js';
import { SECRET_KIND_WORDS, secretFindingsText } from '../../../main/core/text.js';
import {
  startSecretUpstream,
  type SecretPlace,
  type SecretUpstream,
} from '../../fixtures/secret-upstreams.js';
import { oneOfEach, randomChars } from '../../fixtures/secrets/planted-secrets.mjs';
import { startEngine, silentLogger, type EngineFixture } from '../../support/engine-fixture.js';
import { outcome } from '../../support/eras.js';
import { authorizeClient, type ClientEra } from '../../support/oauth-client.js';

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** The modern connector's bearer token and the legacy one's API key: sealed by Gatehouse, exact. */
const BEARER = `nt_${randomChars(BASE62, 40)}`;
const API_KEY = `${randomChars(BASE62, 12)}/${randomChars(BASE62, 12)}+${randomChars(BASE62, 12)}`;

/** Every kind's secret, and the sealed values as they are, base64-encoded and URL-encoded. */
const CASES: Array<{ name: string; kind: SecretKind; value: string; core: string }> = [
  ...Object.entries(oneOfEach()).map(([kind, value]) => ({
    name: kind,
    kind: kind as SecretKind,
    value,
    core: distinctive(value),
  })),
  { name: 'sealed bearer token, plain', kind: 'sealed-value', value: BEARER, core: BEARER },
  {
    name: 'sealed API key, base64 in a Basic credential',
    kind: 'sealed-value',
    value: `Authorization: Basic ${Buffer.from(`me:${API_KEY}`).toString('base64')}`,
    // The characters that encode the key's own bytes ("me:" is three bytes: four characters).
    core: Buffer.from(`me:${API_KEY}`).toString('base64').slice(4, -4),
  },
  {
    name: 'sealed API key, URL-encoded in a query',
    kind: 'sealed-value',
    value: `https://callback.example/hook?key=${encodeURIComponent(API_KEY)}&page=2`,
    core: encodeURIComponent(API_KEY),
  },
];

/** What must appear nowhere afterwards: every case's distinctive part, and the API key as it is. */
const PLANTED = [...CASES.map((secret) => secret.core), API_KEY];

/** A part of a planted secret no ordinary text has: its longest run of token characters. */
function distinctive(value: string): string {
  return [...value.matchAll(/[A-Za-z0-9+/_-]{20,}/g)]
    .map((m) => m[0])
    .sort((a, b) => b.length - a.length)[0]!;
}

const logLines: string[] = [];
let fixture: EngineFixture;
let modern: SecretUpstream;
let legacy: SecretUpstream;
const clients: Client[] = [];

/** One way a call reaches a tool: a client's era, the endpoint, and the connector behind it. */
interface Route {
  label: string;
  client: Client;
  era: ClientEra;
  connector: 'notes' | 'oldnotes';
  upstream: () => SecretUpstream;
  tool(name: string): string;
}
const routes: Route[] = [];

beforeAll(async () => {
  [modern, legacy] = await Promise.all([
    startSecretUpstream('modern-only'),
    startSecretUpstream('legacy-only'),
  ]);
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-secrets-'));
  fixture = await startEngine({
    dataDir,
    keepDataDir: true,
    preferences: openPreferencesFile(dataDir),
    effects: { logger: processLogger(dataDir, silentLogger(logLines)) } as Effects,
  });
  const { engine } = fixture;
  // The write tool needs a ceiling of read & write, and the clients a write grant.
  await engine.call('settings.set', { accessCeiling: 'write' });
  await engine.call('connectors.add', {
    name: 'notes',
    settings: {
      kind: 'http',
      url: modern.url,
      transport: 'streamable-http',
      auth: { type: 'bearer', token: BEARER },
    },
  });
  await engine.call('connectors.add', {
    name: 'oldnotes',
    settings: {
      kind: 'http',
      url: legacy.url,
      transport: 'streamable-http',
      headers: { 'X-Api-Key': API_KEY },
    },
  });
  for (const era of ['legacy', '2026-07-28'] as ClientEra[]) {
    for (const path of ['/mcp', '/mcp/notes', '/mcp/oldnotes']) {
      const { client } = await authorizeClient(engine, {
        era,
        access: 'write',
        url: `${engine.mcpUrl}${path.slice(4)}`,
        capabilities: { elicitation: {} },
      });
      client.setRequestHandler('elicitation/create', async () => ({
        action: 'accept',
        content: { ok: true },
      }));
      clients.push(client);
      const connectors = path === '/mcp' ? (['notes', 'oldnotes'] as const) : ([path.slice(5)] as ['notes']);
      for (const connector of connectors) {
        routes.push({
          label: `${era === 'legacy' ? '2025 session' : '2026-07-28'} on ${path} → ${connector}`,
          client,
          era,
          connector,
          upstream: () => (connector === 'notes' ? modern : legacy),
          tool: (name) => (path === '/mcp' ? `${connector}__${name}` : name),
        });
      }
    }
  }
}, 120_000);

afterAll(async () => {
  for (const client of clients) await client.close().catch(() => undefined);
  await fixture?.stop();
  await Promise.all([modern?.close(), legacy?.close()]);
  if (fixture) rmSync(fixture.dataDir, { recursive: true, force: true });
});

/** The one approval waiting (each test answers its own before the next is raised). */
async function waitingApproval(): Promise<PendingApprovalView> {
  await expect
    .poll(async () => (await fixture.engine.call('approvals.list')).length, { timeout: 20_000 })
    .toBe(1);
  return (await fixture.engine.call('approvals.list'))[0]!;
}

function call(route: Route, name: string, args: Record<string, unknown>): Promise<CallToolResult> {
  return route.client.callTool({ name: route.tool(name), arguments: args }) as Promise<CallToolResult>;
}

/** Reads the fixture's `note` (text) or `file` (base64 blob) resource `name` as the route's client sees it. */
async function readResource(
  route: Route,
  template: 'note' | 'file',
  name: string,
): Promise<ReadResourceResult> {
  const { resourceTemplates } = await route.client.listResourceTemplates();
  // On /mcp each connector's URIs are shown under gatehouse://CONNECTOR/; on /mcp/CONNECTOR as they are.
  const shown = resourceTemplates.find(
    (t) =>
      t.name === template &&
      (t.uriTemplate.startsWith(`gatehouse://${route.connector}/`) ||
        !t.uriTemplate.startsWith('gatehouse://')),
  );
  if (!shown)
    throw new Error(`${route.label}: no template ${template} in ${JSON.stringify(resourceTemplates)}`);
  return route.client.readResource({ uri: shown.uriTemplate.replace('{name}', name) });
}

/** The latest tool-call row of a connector's tool. */
async function lastRow(connector: string, tool: string) {
  const rows = await fixture.engine.call('audit.list', { connector, tool, type: 'tool.call', limit: 1 });
  return rows[0]!;
}

/** Arguments carrying `value` at one of two depths, and the field path it is at. */
function argumentsWith(value: string, deep: boolean): { args: Record<string, unknown>; path: string } {
  return deep
    ? {
        args: {
          title: 'n',
          doc: {
            files: [
              { path: 'a.txt', content: 'hello' },
              { path: 'b.txt', content: `see:\n${value}` },
            ],
          },
        },
        path: 'doc.files[1].content',
      }
    : { args: { title: 'n', body: value }, path: 'body' };
}

describe('arguments carrying secret material', () => {
  it('wait for the user, named by kind and field path; a denial delivers nothing', async () => {
    for (const [i, secret] of CASES.entries()) {
      const route = routes[i % routes.length]!;
      const { args, path } = argumentsWith(secret.value, i % 2 === 0);
      const before = route.upstream().delivered.length;
      const pending = call(route, 'store_note', args);
      const approval = await waitingApproval();
      expect(approval.secrets, `${secret.name} via ${route.label}`).toEqual([{ kind: secret.kind, path }]);
      expect(approval.reason).toBe('Its arguments carry secret material.');
      expect(approval.canAlways).toBe(false);
      // What the user sees of the arguments never holds the value.
      expect(JSON.stringify(approval)).not.toContain(secret.core);
      await fixture.engine.call('approvals.deny', { id: approval.id });
      expect(outcome(await pending), `${secret.name} via ${route.label}`).toEqual({
        isError: true,
        content: [
          {
            type: 'text',
            text: `gatehouse: the user denied this call to ${approval.tool} (its arguments carry secret material: ${secretFindingsText([{ kind: secret.kind, path }])})`,
          },
        ],
      });
      expect(route.upstream().delivered.length).toBe(before);
      const row = await lastRow(route.connector, 'store_note');
      expect(row).toMatchObject({
        decision: 'deny',
        detail: { decidedBy: 'secrets', approval: 'deny', secrets: [{ kind: secret.kind, path }] },
      });
      expect(JSON.stringify(row)).not.toContain(secret.core);
    }
  }, 300_000);

  it('are delivered once when the user allows that call, on every route', async () => {
    for (const [i, route] of routes.entries()) {
      const secret = CASES[(i * 3) % CASES.length]!;
      const before = route.upstream().delivered.length;
      const pending = call(route, 'store_note', { title: 'n', body: secret.value });
      const approval = await waitingApproval();
      await fixture.engine.call('approvals.allow', { id: approval.id });
      expect(outcome(await pending), route.label).toEqual({
        content: [{ type: 'text', text: 'stored 2 fields' }],
      });
      expect(route.upstream().delivered.slice(before)).toEqual([{ title: 'n', body: secret.value }]);
      expect(await fixture.engine.call('approvals.list')).toEqual([]);
      const row = await lastRow(route.connector, 'store_note');
      expect(row).toMatchObject({
        decision: 'allow',
        reason: 'You allowed this call once.',
        detail: {
          approval: 'once',
          approvalId: approval.id,
          outcome: 'ok',
          secrets: [{ kind: secret.kind, path: 'body' }],
        },
      });
      expect(JSON.stringify(row)).not.toContain(secret.core);
    }
  }, 300_000);

  it('ask once through input rounds and parked retries: one approval, one delivery', async () => {
    const secret = CASES.find((c) => c.kind === 'github-token')!;
    for (const route of routes) {
      const before = route.upstream().delivered.length;
      const pending = call(route, 'store_after_confirm', { title: 'n', body: secret.value });
      const approval = await waitingApproval();
      await fixture.engine.call('approvals.allow', { id: approval.id });
      // The client answers the tool's question (elicitation, or an input round and its retry).
      expect(outcome(await pending), route.label).toEqual({
        content: [{ type: 'text', text: 'stored after confirming' }],
      });
      expect(route.upstream().delivered.slice(before), route.label).toEqual([
        { title: 'n', body: secret.value },
      ]);
      expect(await fixture.engine.call('approvals.list')).toEqual([]);
    }
  }, 300_000);
});

describe('results carrying secret material', () => {
  const places: SecretPlace[] = ['text', 'structured', 'disguised', 'resource', 'error'];

  it('reach the client with each secret masked, in every place a result carries text', async () => {
    for (const [i, secret] of CASES.entries()) {
      const route = routes[i % routes.length]!;
      const place = places[i % places.length]!;
      route.upstream().plant(`case${i}`, secret.value);
      const result = await call(route, 'read_back', { name: `case${i}`, place });
      const seen = JSON.stringify(result);
      const decoded =
        place === 'resource'
          ? Buffer.from(
              (result.content[0] as { resource: { blob: string } }).resource.blob,
              'base64',
            ).toString()
          : seen;
      expect(seen, `${secret.name} in ${place} via ${route.label}`).not.toContain(secret.core);
      expect(decoded, `${secret.name} in ${place} via ${route.label}`).not.toContain(secret.core);
      expect(decoded).toContain(SECRET_KIND_WORDS[secret.kind].marker);
      const row = await lastRow(route.connector, 'read_back');
      const paths = {
        text: ['content[0].text'],
        structured: ['content[0].text', 'structuredContent.files[0].content'],
        disguised: ['structuredContent.preview.data'],
        resource: ['content[0].resource.blob'],
        error: ['content[0].text'],
      }[place];
      expect(row.detail.masked, `${secret.name} in ${place}`).toEqual(
        expect.arrayContaining(paths.map((path) => ({ kind: secret.kind, path }))),
      );
      expect(JSON.stringify(row)).not.toContain(secret.core);
    }
  }, 300_000);

  it('are masked on the parked route and after input rounds too', async () => {
    const secret = CASES.find((c) => c.kind === 'private-key-openssh')!;
    for (const route of routes) {
      route.upstream().plant('key', secret.value);
      const result = await call(route, 'confirm_and_read', { name: 'key' });
      expect(JSON.stringify(result), route.label).not.toContain(secret.core);
      // The key's armor and body become the marker; the text around it stays.
      const shown = secret.value.replace(
        /-----BEGIN[\s\S]*PRIVATE KEY-----/,
        SECRET_KIND_WORDS['private-key-openssh'].marker,
      );
      expect(outcome(result), route.label).toEqual({
        content: [{ type: 'text', text: `Here is key:\n${shown}\nKeep it safe.` }],
      });
    }
  }, 300_000);

  it('pass untouched when they carry none', async () => {
    const ordinary =
      'commit 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b, id 123e4567-e89b-12d3-a456-426614174000, AKIAIOSFODNN7EXAMPLE';
    modern.plant('ordinary', ordinary);
    const route = routes[0]!;
    expect(outcome(await call(route, 'read_back', { name: 'ordinary', place: 'text' }))).toEqual({
      content: [{ type: 'text', text: `Here is ordinary:\n${ordinary}\nKeep it safe.` }],
    });
  });
});

describe('resource reads carrying secret material', () => {
  it('reach the client with each secret masked, as text and in a blob, audited with the read', async () => {
    for (const [i, secret] of CASES.entries()) {
      const route = routes[i % routes.length]!;
      const template = i % 2 === 0 ? 'note' : 'file';
      route.upstream().plant(`res${i}`, secret.value);
      const result = await readResource(route, template, `res${i}`);
      const content = result.contents[0] as { text?: string; blob?: string };
      const read = template === 'note' ? content.text! : Buffer.from(content.blob!, 'base64').toString();
      const label = `${secret.name} in a ${template} via ${route.label}`;
      expect(JSON.stringify(result), label).not.toContain(secret.core);
      expect(read, label).not.toContain(secret.core);
      expect(read, label).toContain(SECRET_KIND_WORDS[secret.kind].marker);
      const [row] = await fixture.engine.call('audit.list', {
        connector: route.connector,
        type: 'resource.read',
        limit: 1,
      });
      expect(row!.detail.masked, label).toEqual(
        expect.arrayContaining([
          { kind: secret.kind, path: template === 'note' ? 'contents[0].text' : 'contents[0].blob' },
        ]),
      );
      expect(JSON.stringify(row), label).not.toContain(secret.core);
    }
  }, 300_000);

  it('pass untouched when they carry none', async () => {
    const ordinary = 'commit 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b, AKIAIOSFODNN7EXAMPLE';
    modern.plant('plain', ordinary);
    const route = routes[0]!;
    const result = await readResource(route, 'note', 'plain');
    expect((result.contents[0] as { text: string }).text).toBe(`Note: ${ordinary}`);
    const file = await readResource(route, 'file', 'plain');
    expect(Buffer.from((file.contents[0] as { blob: string }).blob, 'base64').toString()).toBe(
      `saved=${ordinary}`,
    );
  });
});

describe('prompts carrying secret material', () => {
  it('reach the client with each secret masked, audited with the prompt', async () => {
    for (const [i, secret] of CASES.entries()) {
      const route = routes[(i + 1) % routes.length]!;
      route.upstream().plant(`prompt${i}`, secret.value);
      const result = await route.client.getPrompt({
        name: route.tool('recall'),
        arguments: { name: `prompt${i}` },
      });
      const label = `${secret.name} via ${route.label}`;
      expect(JSON.stringify(result), label).not.toContain(secret.core);
      expect(JSON.stringify(result), label).toContain(SECRET_KIND_WORDS[secret.kind].marker);
      const [row] = await fixture.engine.call('audit.list', {
        connector: route.connector,
        type: 'prompt.get',
        limit: 1,
      });
      expect(row, label).toMatchObject({ decision: 'allow', detail: { prompt: 'recall' } });
      expect(row!.detail.masked, label).toEqual(
        expect.arrayContaining([{ kind: secret.kind, path: 'messages[0].content.text' }]),
      );
      expect(JSON.stringify(row), label).not.toContain(secret.core);
    }
  }, 300_000);
});

describe('a connector that handles secrets on purpose', () => {
  it('is offered as an answer, then lets calls and results pass, audited, until the user takes it back', async () => {
    const { engine } = fixture;
    const secret = CASES.find((c) => c.kind === 'aws-credentials')!;
    for (const route of [
      routes[0]!,
      routes.find((r) => r.era === '2026-07-28' && r.connector === 'oldnotes')!,
    ]) {
      const before = route.upstream().delivered.length;
      const first = call(route, 'store_note', { body: secret.value });
      const approval = await waitingApproval();
      await engine.call('approvals.allow', { id: approval.id, connector: true });
      expect(outcome(await first)).toEqual({ content: [{ type: 'text', text: 'stored 1 fields' }] });
      expect((await engine.call('connectors.get', { name: route.connector })).handlesSecrets).toBe(true);
      expect(
        (
          await engine.call('audit.list', { connector: route.connector, type: 'connector.secrets', limit: 1 })
        )[0],
      ).toMatchObject({
        decision: 'info',
        detail: { approvalId: approval.id },
      });
      expect(await lastRow(route.connector, 'store_note')).toMatchObject({
        reason: 'You allowed this call, and its connector to handle secrets from now on.',
        detail: { approval: 'connector' },
      });

      // From now on: no approval, the value delivered, the result unmasked; each row says so.
      expect(outcome(await call(route, 'store_note', { body: secret.value }))).toEqual({
        content: [{ type: 'text', text: 'stored 1 fields' }],
      });
      expect(route.upstream().delivered.slice(before)).toEqual([
        { body: secret.value },
        { body: secret.value },
      ]);
      expect(await lastRow(route.connector, 'store_note')).toMatchObject({
        decision: 'allow',
        detail: { secrets: [{ kind: 'aws-credentials', path: 'body' }], secretsPassed: 'handles-secrets' },
      });
      route.upstream().plant('creds', secret.value);
      expect(JSON.stringify(await call(route, 'read_back', { name: 'creds', place: 'text' }))).toContain(
        secret.core,
      );
      expect(await lastRow(route.connector, 'read_back')).toMatchObject({
        detail: {
          unmasked: [{ kind: 'aws-credentials', path: 'content[0].text' }],
          secretsPassed: 'handles-secrets',
        },
      });

      expect(JSON.stringify(await readResource(route, 'note', 'creds'))).toContain(secret.core);
      expect(
        JSON.stringify(
          await route.client.getPrompt({ name: route.tool('recall'), arguments: { name: 'creds' } }),
        ),
      ).toContain(secret.core);

      // Taken back in the connector's settings: the next call waits again.
      await engine.call('connectors.setHandlesSecrets', { name: route.connector, handlesSecrets: false });
      const again = call(route, 'store_note', { body: secret.value });
      await engine.call('approvals.deny', { id: (await waitingApproval()).id });
      expect((await again).isError).toBe(true);
      expect(route.upstream().delivered.length).toBe(before + 2);
    }
  }, 120_000);

  it('"always for this connector" answers only a call held for secret material', async () => {
    const { engine } = fixture;
    await engine.call('tools.set', { connector: 'notes', tool: 'store_note', approval: 'ask' });
    try {
      const pending = call(routes[0]!, 'store_note', { title: 'plain' });
      const approval = await waitingApproval();
      expect(approval.secrets).toEqual([]);
      await expect(engine.call('approvals.allow', { id: approval.id, connector: true })).rejects.toThrow(
        `This call to ${approval.tool} carries no secret material, so "always for this connector" does not answer it; allow it once or always for this client.`,
      );
      await engine.call('approvals.deny', { id: approval.id });
      await pending;
    } finally {
      await engine.call('tools.set', { connector: 'notes', tool: 'store_note', approval: 'never' });
    }
  });
});

describe('afterwards', () => {
  it('no planted value is in the data folder or in the process log', async () => {
    const { dataDir } = fixture;
    await fixture.engine.stop();
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir)) {
        const path = join(dir, entry);
        if (statSync(path).isDirectory()) walk(path);
        else files.push(path);
      }
    };
    walk(dataDir);
    // The database, its WAL, the log file and the preferences at least.
    expect(files.map((file) => file.slice(dataDir.length + 1))).toEqual(
      expect.arrayContaining(['gatehouse.db', join('logs', 'gatehouse.log'), 'preferences.json']),
    );
    for (const file of files) {
      const bytes = readFileSync(file).toString('latin1');
      for (const planted of PLANTED) expect(bytes.includes(planted), `${planted} in ${file}`).toBe(false);
    }
    const log = logLines.join('\n');
    expect(log.length).toBeGreaterThan(0);
    for (const planted of PLANTED) expect(log.includes(planted), `${planted} in the log`).toBe(false);
  });
});
