// The gateway end to end: real SDK clients, consented through the API, reaching the real
// server-everything over stdio through Gatehouse — aggregate names, per-connector endpoint, policy
// (read-only grants, disabled tools, rules, approvals), pass-through content, audit — the same in
// both eras: once with clients speaking the 2025 handshake, once with clients pinned to 2026-07-28.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/client';
import { startEngine, type EngineFixture } from '../../support/engine-fixture.js';
import { BOTH_ERAS, outcome } from '../../support/eras.js';
import { authorizeClient } from '../../support/oauth-client.js';
import { EVERYTHING } from '../../support/real-servers.js';

describe.each(BOTH_ERAS)('with %s clients', (era) => {
  let fixture: EngineFixture;
  let reader: Client;
  let writer: Client;

  beforeAll(async () => {
    fixture = await startEngine({ approvalTimeoutMs: 5_000 });
    const { engine } = fixture;
    await engine.call('settings.set', { accessCeiling: 'write' });
    const added = await engine.call('connectors.add', {
      name: 'everything',
      settings: { kind: 'stdio', command: process.execPath, args: [EVERYTHING, 'stdio'] },
    });
    expect(added.status.connection).toBe('connected');
    reader = (await authorizeClient(engine, { access: 'read', name: 'Reader', era })).client;
    writer = (await authorizeClient(engine, { access: 'write', name: 'Writer', era })).client;
  }, 60_000);

  afterAll(async () => {
    await reader?.close();
    await writer?.close();
    await fixture?.stop();
  });

  describe('the aggregate endpoint /mcp', () => {
    it("lists upstream tools as everything__<tool> beside Gatehouse's own", async () => {
      const names = (await writer.listTools()).tools.map((tool) => tool.name);
      expect(names).toContain('gatehouse__whoami');
      expect(names).toContain('everything__echo');
      expect(names.every((name) => /^[A-Za-z0-9_-]{1,64}$/.test(name))).toBe(true);
    });

    it('calls a tool upstream and passes the result through unchanged', async () => {
      const result = await writer.callTool({
        name: 'everything__echo',
        arguments: { message: 'hello through the gate' },
      });
      expect(result.isError).toBeFalsy();
      expect(result.content).toEqual([{ type: 'text', text: 'Echo: hello through the gate' }]);
    });

    it('never shows or runs a write tool for a read-only grant', async () => {
      const readerTools = (await reader.listTools()).tools;
      const writerTools = (await writer.listTools()).tools;
      const writeOnly = writerTools.filter(
        (tool) => tool.annotations?.readOnlyHint !== true && tool.name.startsWith('everything__'),
      );
      expect(writeOnly.length).toBeGreaterThan(0);
      for (const tool of writeOnly) expect(readerTools.map((t) => t.name)).not.toContain(tool.name);
      const name = writeOnly[0]!.name;
      const refused = await reader.callTool({ name, arguments: {} });
      expect(outcome(refused)).toEqual({
        isError: true,
        content: [
          {
            type: 'text',
            text: `gatehouse: tool ${name} needs write access; this client was granted read-only`,
          },
        ],
      });
    });

    it('hides a tool the user disables, and tells sessions the list changed', async () => {
      const { engine } = fixture;
      const changed = new Promise<void>((resolve) =>
        writer.setNotificationHandler('notifications/tools/list_changed', () => resolve()),
      );
      // A 2026-07-28 client hears of changes on the subscriptions/listen stream it opens.
      const subscription = era === 'legacy' ? undefined : await writer.listen({ toolsListChanged: true });
      await engine.call('tools.set', { connector: 'everything', tool: 'echo', enabled: false });
      await changed;
      await subscription?.close();
      try {
        expect((await writer.listTools()).tools.map((t) => t.name)).not.toContain('everything__echo');
        expect(
          outcome(await writer.callTool({ name: 'everything__echo', arguments: { message: 'x' } })),
        ).toEqual({
          isError: true,
          content: [{ type: 'text', text: 'gatehouse: tool everything__echo is disabled in Gatehouse' }],
        });
      } finally {
        await engine.call('tools.set', { connector: 'everything', tool: 'echo', enabled: true });
      }
    });

    it('answers tools/list from a cached list that follows every change it depends on', async () => {
      const { engine } = fixture;
      // Gatehouse's own cache is under test: the client's (2026-07-28 lists may be kept 5 s) is passed by.
      const names = async (client: Client) =>
        (await client.listTools(undefined, { cacheMode: 'refresh' })).tools.map((t) => t.name);
      const write = (await writer.listTools()).tools.find(
        (tool) => tool.name.startsWith('everything__') && tool.annotations?.readOnlyHint !== true,
      )!.name;
      const original = write.slice('everything__'.length);
      expect(await names(writer)).toContain('everything__echo');
      expect(await names(writer)).toContain('everything__echo');
      await engine.call('rules.set', { rules: [{ id: 'hide-echo', effect: 'deny', tool: 'echo' }] });
      try {
        expect(await names(writer)).not.toContain('everything__echo');
      } finally {
        await engine.call('rules.set', { rules: [] });
      }
      expect(await names(writer)).toContain('everything__echo');
      // A read ceiling hides write tools from every client, and tells them their lists changed.
      expect(await names(writer)).toContain(write);
      const changed = new Promise<void>((resolve) =>
        writer.setNotificationHandler('notifications/tools/list_changed', () => resolve()),
      );
      const subscription = era === 'legacy' ? undefined : await writer.listen({ toolsListChanged: true });
      await engine.call('settings.set', { accessCeiling: 'read' });
      try {
        await changed;
        await subscription?.close();
        expect(await names(writer)).not.toContain(write);
      } finally {
        await engine.call('settings.set', { accessCeiling: 'write' });
      }
      expect(await names(writer)).toContain(write);
      // The user classing it read shows it to the read-only client, until the class is reset.
      expect(await names(reader)).not.toContain(write);
      await engine.call('tools.set', { connector: 'everything', tool: original, toolClass: 'read' });
      try {
        expect(await names(reader)).toContain(write);
      } finally {
        await engine.call('tools.set', { connector: 'everything', tool: original, toolClass: null });
      }
      expect(await names(reader)).not.toContain(write);
    });

    it('applies rules in order and records which rule decided', async () => {
      const { engine } = fixture;
      await engine.call('rules.set', {
        rules: [
          {
            id: 'no-secrets',
            effect: 'deny',
            tool: 'echo',
            conditions: [{ path: '$.message', op: 'prefix', value: 'secret' }],
            description: 'no secrets through echo',
          },
        ],
      });
      try {
        const refused = await writer.callTool({
          name: 'everything__echo',
          arguments: { message: 'secret plans' },
        });
        expect(refused.isError).toBe(true);
        expect((refused.content as Array<{ text: string }>)[0]!.text).toMatch(
          /^gatehouse: rule no-secrets denies this call/,
        );
        expect(
          (await writer.callTool({ name: 'everything__echo', arguments: { message: 'fine' } })).isError,
        ).toBeFalsy();
        const [denied] = await engine.call('audit.list', {
          type: 'tool.call',
          decision: 'deny',
          tool: 'echo',
          limit: 1,
        });
        expect(denied).toMatchObject({
          connector: 'everything',
          tool: 'echo',
          detail: { decidedBy: 'rule:no-secrets', arguments: { message: 'secret plans' } },
        });
      } finally {
        await engine.call('rules.set', { rules: [] });
      }
      await expect(
        engine.call('rules.set', {
          rules: [{ id: 'bad', effect: 'deny', conditions: [{ path: '$.x', op: 'regex', value: '(' }] }],
        }),
      ).rejects.toThrow(/^The rules were not saved: rule "bad": conditions\[0\]/);
    });

    it("waits for the user's approval, and denies when the user says no", async () => {
      const { engine } = fixture;
      await engine.call('tools.set', { connector: 'everything', tool: 'echo', approval: 'ask' });
      try {
        const call = writer.callTool({
          name: 'everything__echo',
          arguments: { message: 'may I?', apiKey: 'sk-live-abcdefghijklmnopqrstuvwxyz0123' },
        });
        await expect.poll(async () => (await engine.call('approvals.list')).length).toBe(1);
        const [pending] = await engine.call('approvals.list');
        expect(pending).toMatchObject({
          clientName: 'Writer',
          connector: 'everything',
          tool: 'everything__echo',
          canAlways: true,
          arguments: { message: 'may I?', apiKey: '[redacted]' },
        });
        await engine.call('approvals.allow', { id: pending!.id });
        expect((await call).content).toEqual([{ type: 'text', text: 'Echo: may I?' }]);

        const second = writer.callTool({ name: 'everything__echo', arguments: { message: 'again?' } });
        await expect.poll(async () => (await engine.call('approvals.list')).length).toBe(1);
        await engine.call('approvals.deny', { id: (await engine.call('approvals.list'))[0]!.id });
        expect(outcome(await second)).toEqual({
          isError: true,
          content: [{ type: 'text', text: 'gatehouse: the user denied this call to everything__echo' }],
        });
      } finally {
        await engine.call('tools.set', { connector: 'everything', tool: 'echo', approval: 'never' });
      }
    });

    it('passes images and structured content through unchanged', async () => {
      const tools = (await writer.listTools()).tools.map((t) => t.name);
      const imageTool = tools.find((name) => /image/i.test(name));
      expect(imageTool).toBeDefined();
      const result = await writer.callTool({ name: imageTool!, arguments: {} });
      expect((result.content as Array<{ type: string }>).some((item) => item.type === 'image')).toBe(true);
    });
  });

  describe('the per-connector endpoint /mcp/everything', () => {
    it('exposes the connector under its original names with its own resource indicator', async () => {
      const { engine } = fixture;
      const { client } = await authorizeClient(engine, {
        access: 'write',
        name: 'Direct',
        url: `${engine.issuer}/mcp/everything`,
        era,
      });
      try {
        const names = (await client.listTools()).tools.map((t) => t.name);
        expect(names).toContain('echo');
        expect(names).not.toContain('gatehouse__whoami');
        expect((await client.callTool({ name: 'echo', arguments: { message: 'direct' } })).content).toEqual([
          { type: 'text', text: 'Echo: direct' },
        ]);
        const [view] = (await engine.call('clients.list')).filter((c) => c.name === 'Direct');
        expect(view!.grants[0]).toMatchObject({
          connectors: ['everything'],
          resource: `${engine.issuer}/mcp/everything`,
        });
      } finally {
        await client.close();
      }
    });
  });

  describe('connector management', () => {
    it('reports status with pid and lets the user test, disable and re-enable', async () => {
      const { engine } = fixture;
      const view = await engine.call('connectors.get', { name: 'everything' });
      expect(view).toMatchObject({
        enabled: true,
        status: { connection: 'connected', auth: 'not-applicable', transport: 'stdio' },
        mcpUrl: `${engine.issuer}/mcp/everything`,
      });
      expect(view.status.pid).toBeGreaterThan(0);
      expect(view.toolCount).toBeGreaterThan(5);
      const tested = await engine.call('connectors.test', { name: 'everything' });
      expect(tested).toMatchObject({ ok: true, error: null });
      await engine.call('connectors.disable', { name: 'everything' });
      expect((await engine.call('connectors.get', { name: 'everything' })).status.connection).toBe(
        'disabled',
      );
      expect(
        (await writer.listTools(undefined, { cacheMode: 'refresh' })).tools
          .map((t) => t.name)
          .filter((n) => n.startsWith('everything__')),
      ).toEqual([]);
      await engine.call('connectors.enable', { name: 'everything' });
      expect((await engine.call('connectors.get', { name: 'everything' })).status.connection).toBe(
        'connected',
      );
    });

    it('refuses bad connector input with reasons', async () => {
      const { engine } = fixture;
      await expect(
        engine.call('connectors.add', { name: 'Bad Name', settings: { kind: 'stdio', command: 'x' } }),
      ).rejects.toThrow(
        'A connector name is 1–32 lowercase letters, digits, - or _, starting with a letter or digit.',
      );
      await expect(
        engine.call('connectors.add', { name: 'everything', settings: { kind: 'stdio', command: 'x' } }),
      ).rejects.toThrow('A connector named everything already exists');
      await expect(
        engine.call('connectors.add', { name: 'web', settings: { kind: 'http', url: 'ftp://x' } }),
      ).rejects.toThrow('The URL must use http or https.');
    });
  });
});
