// MCP Apps through Gatehouse with the real app servers from npm (system monitor, two folders of the
// PDF viewer, the basic clock) and a server that offers its UI only to hosts that render apps (once
// with its UI resource left out of resources/list), driven the way a host does: the host's MCP client
// lists and calls the tool, reads its ui:// resource by the URI ext-apps' host helper takes from the
// tool, and relays the app's own calls through ext-apps' AppBridge; the app is ext-apps' App. Both
// client eras.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client, Tool } from '@modelcontextprotocol/client';
import { getToolUiResourceUri } from '@modelcontextprotocol/ext-apps/app-bridge';
import { appServer, HOST_CAPABILITIES, openApp } from '../../support/app-host.js';
import { startEngine, type EngineFixture } from '../../support/engine-fixture.js';
import { BOTH_ERAS, outcome } from '../../support/eras.js';
import { authorizeClient, type ClientEra } from '../../support/oauth-client.js';
import { FIXTURES } from '../../support/paths.js';

const text = (value: string) => ({ isError: true, content: [{ type: 'text', text: value }] });

describe.each(BOTH_ERAS)('MCP Apps with %s clients', (era) => {
  let fixture: EngineFixture;
  let folders: string[];
  const clients: Client[] = [];

  const connect = async (
    options: { access?: 'read' | 'write'; connectors?: string[]; apps?: boolean; url?: string } = {},
  ): Promise<Client> => {
    const { client } = await authorizeClient(fixture.engine, {
      access: options.access ?? 'write',
      era: era as ClientEra,
      capabilities: options.apps === false ? {} : HOST_CAPABILITIES,
      ...(options.connectors ? { connectors: options.connectors } : {}),
      ...(options.url ? { url: options.url } : {}),
    });
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    folders = [0, 1].map(() => mkdtempSync(join(tmpdir(), 'gatehouse-pdfs-')));
    fixture = await startEngine({ approvalTimeoutMs: 5_000 });
    const { engine } = fixture;
    await engine.call('settings.set', { accessCeiling: 'write' });
    const stdio = (args: string[]) => ({ kind: 'stdio' as const, command: process.execPath, args });
    await Promise.all([
      engine.call('connectors.add', {
        name: 'monitor',
        settings: stdio([appServer('server-system-monitor'), '--stdio']),
      }),
      engine.call('connectors.add', {
        name: 'pdf-a',
        settings: stdio([appServer('server-pdf'), '--stdio', folders[0]!]),
      }),
      engine.call('connectors.add', {
        name: 'pdf-b',
        settings: stdio([appServer('server-pdf'), '--stdio', folders[1]!]),
      }),
      engine.call('connectors.add', {
        name: 'clock',
        settings: stdio([appServer('server-basic-vanillajs'), '--stdio']),
      }),
      engine.call('connectors.add', {
        name: 'weather',
        settings: stdio([join(FIXTURES, 'ui-aware-server.mjs'), 'legacy']),
      }),
      engine.call('connectors.add', {
        name: 'weather-modern',
        settings: stdio([join(FIXTURES, 'ui-aware-server.mjs'), 'modern-only']),
      }),
      engine.call('connectors.add', {
        name: 'gated',
        settings: stdio([join(FIXTURES, 'ui-aware-server.mjs'), 'legacy', 'unlisted']),
      }),
    ]);
    for (const name of ['monitor', 'pdf-a', 'pdf-b', 'clock', 'weather', 'weather-modern', 'gated']) {
      // Seven servers start at once: on a loaded machine one may still be starting when its add returns,
      // so a server starting is given up to 30 s more. The whole status on failure: its lastError says
      // why a server did not start.
      let status = (await engine.call('connectors.get', { name })).status;
      for (const until = Date.now() + 30_000; status.connection === 'starting' && Date.now() < until;) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        status = (await engine.call('connectors.get', { name })).status;
      }
      expect(status).toMatchObject({ connection: 'connected' });
    }
    // The tools that open the apps ask by default (unannotated write tools); these tests open them.
    for (const [connector, tool] of [
      ['monitor', 'get-system-info'],
      ['pdf-a', 'display_pdf'],
      ['pdf-b', 'display_pdf'],
      ['clock', 'get-time'],
    ] as const) {
      await engine.call('tools.set', { connector, tool, approval: 'never' });
    }
  }, 120_000);

  afterAll(async () => {
    for (const client of clients) await client.close().catch(() => undefined);
    await fixture?.stop();
    for (const folder of folders ?? []) rmSync(folder, { recursive: true, force: true });
  });

  it('offers app-only tools to a host that renders apps, marked for the app, and to no other client', async () => {
    const host = await connect();
    const listed = (await host.listTools()).tools;
    const byName = (name: string) => listed.find((t) => t.name === name);
    expect(byName('monitor__get-system-info')?._meta).toMatchObject({
      ui: { resourceUri: 'ui://system-monitor/mcp-app.html' },
    });
    expect(byName('monitor__poll-system-stats')?._meta).toEqual({ ui: { visibility: ['app'] } });

    const textOnly = await connect({ apps: false });
    const names = (await textOnly.listTools()).tools.map((t) => t.name);
    expect(names).toContain('monitor__get-system-info');
    expect(names).not.toContain('monitor__poll-system-stats');
    expect(outcome(await textOnly.callTool({ name: 'poll-system-stats', arguments: {} }))).toEqual(
      text('gatehouse: there is no tool named poll-system-stats for this client.'),
    );
    expect(outcome(await textOnly.callTool({ name: 'monitor__poll-system-stats', arguments: {} }))).toEqual(
      text('gatehouse: there is no tool named monitor__poll-system-stats for this client.'),
    );
  });

  it("relays an app's own calls, by its server's tool names, to its connector on /mcp, without asking per poll", async () => {
    const { engine } = fixture;
    const host = await connect();
    const app = await openApp(host, 'monitor__get-system-info');
    const listed = await engine.call('tools.list', { connector: 'monitor' });
    // The Tools page marks it app only; the tool that opens the app is the model's.
    expect(listed.find((t) => t.name === 'poll-system-stats')).toMatchObject({
      toolClass: 'write',
      approval: 'never',
      appOnly: true,
    });
    expect(listed.find((t) => t.name === 'get-system-info')).toMatchObject({ appOnly: false });
    for (let poll = 0; poll < 3; poll++) {
      const result = await app.callServerTool({ name: 'poll-system-stats', arguments: {} });
      expect(result.isError).toBeFalsy();
      expect(result.structuredContent).toHaveProperty('memory');
    }
    expect(await engine.call('approvals.list')).toEqual([]);
    // Each call is in the activity log (written just after its result is sent).
    await expect
      .poll(async () =>
        (await engine.call('audit.list', { type: 'tool.call', connector: 'monitor' })).filter(
          (e) => e.tool === 'poll-system-stats' && e.decision === 'allow',
        ),
      )
      .toHaveLength(3);
    // The model knows the tool by its exposed name, and may not call it.
    expect(outcome(await host.callTool({ name: 'monitor__poll-system-stats', arguments: {} }))).toEqual(
      text(
        'gatehouse: monitor__poll-system-stats is for the monitor app\'s own use (MCP Apps visibility "app"), not the model\'s; its app calls it as poll-system-stats.',
      ),
    );
    await app.close();
  });

  it("relays an app's call to a tool the model sees too, by the server's own name", async () => {
    const host = await connect();
    const app = await openApp(host, 'clock__get-time');
    const result = await app.callServerTool({ name: 'get-time', arguments: {} });
    expect(result.isError).toBeFalsy();
    expect(JSON.stringify(result.content)).toMatch(/\d{4}-\d{2}-\d{2}T/);
  });

  it("keeps one server's app from another server's app-only tools, and names the candidates when a name is shared", async () => {
    const narrow = await connect({ connectors: ['monitor', 'pdf-a'] });
    const monitorApp = await openApp(narrow, 'monitor__get-system-info');
    const call = {
      name: 'read_pdf_bytes',
      arguments: { url: 'file:///nowhere.pdf', offset: 0, byteCount: 10 },
    };
    expect(outcome(await monitorApp.callServerTool(call))).toEqual(
      text(
        "gatehouse: read_pdf_bytes is the pdf-a app's own tool, and this client has not opened that app; an app may call only its own server's app tools.",
      ),
    );
    // Once the client opened pdf-a's app, that app's call reaches pdf-a (which answers for itself).
    const pdfApp = await openApp(narrow, 'pdf-a__display_pdf', {});
    const answered = await pdfApp.callServerTool(call);
    expect(JSON.stringify(answered)).not.toContain('gatehouse:');

    const host = await connect();
    await openApp(host, 'pdf-a__display_pdf', {});
    const second = await openApp(host, 'pdf-b__display_pdf', {});
    expect(outcome(await second.callServerTool({ name: 'list_pdfs', arguments: {} }))).toEqual(
      text(
        'gatehouse: an app called list_pdfs, which 2 connectors have (pdf-a__list_pdfs, pdf-b__list_pdfs), so Gatehouse cannot tell whose app it is; open one of these apps at a time, or connect this client to /mcp/<connector> for each.',
      ),
    );
  });

  it("names each connector's own UI resource in its tools when two connectors serve the same ui:// URI", async () => {
    const host = await connect();
    const listed = (await host.listTools()).tools;
    const uris = ['pdf-a', 'pdf-b'].map((connector) => {
      const meta = listed.find((t) => t.name === `${connector}__display_pdf`)?._meta as Record<
        string,
        { resourceUri?: string } | string
      >;
      const nested = (meta.ui as { resourceUri: string }).resourceUri;
      expect(meta['ui/resourceUri']).toBe(nested);
      return nested;
    });
    const shownResources = (await host.listResources()).resources.map((r) => r.uri);
    // Still ui:// (the extension requires it; ext-apps' host helper refuses anything else), and each
    // says whose it is.
    expect(uris).toEqual(['ui://pdf-a.pdf-viewer/mcp-app.html', 'ui://pdf-b.pdf-viewer/mcp-app.html']);
    const own = await connect({ url: `${fixture.engine.mcpUrl}/pdf-a` });
    const [original] = (await own.readResource({ uri: 'ui://pdf-viewer/mcp-app.html' })).contents;
    for (const uri of uris) {
      expect(shownResources).toContain(uri);
      const [content] = (await host.readResource({ uri })).contents;
      // The same bytes, CSP and permissions as the server's own, under the URI the host asked for.
      expect(content).toEqual({ ...original, uri });
      expect(content!._meta).toEqual({
        ui: {
          permissions: { clipboardWrite: {} },
          csp: {
            connectDomains: [expect.stringMatching(/^https:/)],
            resourceDomains: [expect.stringMatching(/^https:/)],
          },
        },
      });
    }
  });

  it('keeps the URI of a UI resource its server leaves out of resources/list, and reads it there', async () => {
    const host = await connect();
    const tool = (await host.listTools()).tools.find((t) => t.name === 'gated__weather')!;
    // Nothing else serves it, so nothing is renamed: the host reads it by the server's own URI.
    expect(getToolUiResourceUri(tool)).toBe('ui://unlisted-weather/app.html');
    expect((await host.listResources()).resources.map((r) => r.uri)).not.toContain(
      'ui://unlisted-weather/app.html',
    );
    expect((await host.readResource({ uri: 'ui://unlisted-weather/app.html' })).contents).toEqual([
      {
        uri: 'ui://unlisted-weather/app.html',
        mimeType: 'text/html;profile=mcp-app',
        text: '<!doctype html><p>weather</p>',
      },
    ]);
  });

  it("explains to a read-only grant why its app's tools do nothing", async () => {
    const { engine } = fixture;
    // The tool that opens the app reads; the app's own poll (unannotated) is a write tool.
    await engine.call('tools.set', { connector: 'monitor', tool: 'get-system-info', toolClass: 'read' });
    try {
      const reader = await connect({ access: 'read' });
      const listed = (await reader.listTools()).tools.map((t) => t.name);
      expect(listed).toContain('monitor__get-system-info');
      expect(listed).not.toContain('monitor__poll-system-stats');
      const app = await openApp(reader, 'monitor__get-system-info');
      expect(outcome(await app.callServerTool({ name: 'poll-system-stats', arguments: {} }))).toEqual(
        text(
          "gatehouse: tool monitor__poll-system-stats needs write access; this client was granted read-only. It is the monitor app's own tool, so the app shows but cannot use it until the user gives this client read & write access in Gatehouse or marks the tool read-only on the Tools page",
        ),
      );
    } finally {
      await engine.call('tools.set', { connector: 'monitor', tool: 'get-system-info', toolClass: null });
    }
  });

  it('tells upstreams the clients can show apps, so servers that offer UI only to such hosts offer it', async () => {
    const host = await connect();
    const listed = (await host.listTools()).tools;
    for (const name of ['weather__weather', 'weather-modern__weather']) {
      const tool = listed.find((t: Tool) => t.name === name);
      expect(tool?.description).toBe('Shows the weather in an app.');
      // Both serve ui://weather/app.html: each tool names its own connector's (as the resources are).
      const uri = (tool?._meta as { ui: { resourceUri: string } }).ui.resourceUri;
      expect((await host.readResource({ uri })).contents[0]).toMatchObject({
        text: '<!doctype html><p>weather</p>',
      });
    }
  });

  it('serves the app on /mcp/<connector> under its own names', async () => {
    const host = await connect({ url: `${fixture.engine.mcpUrl}/monitor` });
    const app = await openApp(host, 'get-system-info');
    expect((await app.callServerTool({ name: 'poll-system-stats', arguments: {} })).isError).toBeFalsy();
    const textOnly = await connect({ apps: false, url: `${fixture.engine.mcpUrl}/monitor` });
    expect((await textOnly.listTools()).tools.map((t) => t.name)).toEqual(['get-system-info']);
    expect(outcome(await textOnly.callTool({ name: 'poll-system-stats', arguments: {} }))).toEqual(
      text('gatehouse: there is no tool named poll-system-stats for this client.'),
    );
  });
});
