// What an MCP Apps host does, for tests of apps through Gatehouse: it declares it renders apps, lists
// and calls the tool that opens an app, reads the tool's ui:// resource as ext-apps' host helper
// names it, and relays the app's own calls through ext-apps' AppBridge to ext-apps' App.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { expect } from 'vitest';
import { InMemoryTransport } from '@modelcontextprotocol/server';
import type { Client } from '@modelcontextprotocol/client';
import { App } from '@modelcontextprotocol/ext-apps';
import { AppBridge, getToolUiResourceUri } from '@modelcontextprotocol/ext-apps/app-bridge';

const resolve = createRequire(import.meta.url).resolve;

/** The command line of an ext-apps example server from npm: its dist/index.js beside its server module. */
export const appServer = (name: string): string =>
  join(dirname(resolve(`@modelcontextprotocol/${name}`)), 'index.js');

/** The capabilities of a host that renders MCP Apps. */
export const HOST_CAPABILITIES = {
  extensions: { 'io.modelcontextprotocol/ui': { mimeTypes: ['text/html;profile=mcp-app'] } },
};

/**
 * What a host does to show a tool's app: find the tool, read its UI resource by the URI ext-apps'
 * `getToolUiResourceUri` takes from it (which refuses any URI not starting with ui://), call the
 * tool, and start the app on a bridge to `host`.
 */
export async function openApp(host: Client, name: string, args: Record<string, unknown> = {}): Promise<App> {
  const tool = (await host.listTools()).tools.find((t) => t.name === name);
  if (!tool) throw new Error(`no tool ${name}`);
  const uri = getToolUiResourceUri(tool);
  if (!uri) throw new Error(`${name} names no UI resource`);
  const html = (await host.readResource({ uri })).contents[0] as { text?: string; mimeType?: string };
  expect(html.mimeType).toBe('text/html;profile=mcp-app');
  expect(html.text).toContain('<');
  await host.callTool({ name, arguments: args });
  const bridge = new AppBridge(
    host,
    { name: 'Test host', version: '1.0.0' },
    { serverTools: {}, openLinks: {}, logging: {} },
  );
  // No DOM here: the app does not watch its own size.
  const app = new App({ name: 'view', version: '1.0.0' }, {}, { autoResize: false });
  const [hostSide, appSide] = InMemoryTransport.createLinkedPair();
  await bridge.connect(hostSide);
  await app.connect(appSide);
  return app;
}
