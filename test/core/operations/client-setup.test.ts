// "Connected" on Connect a client, end to end against a real engine: it comes from the marker the
// entry Gatehouse wrote sends (X-Gatehouse-Client) on requests with a valid token, and from whether
// that client is connected now — never from the name a client registered under.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startEngine, type EngineFixture } from '../../support/engine-fixture.js';
import { initializeMessage, mcpPost, obtainTokens, register } from '../../support/raw-oauth.js';
import { engineParts } from '../../../main/core/engine/engine-parts.js';
import { REPO_ROOT } from '../../support/paths.js';
import { memoryVault } from '../../support/memory-stores.js';

let fixture: EngineFixture | undefined;
afterEach(async () => {
  await fixture?.stop();
  fixture = undefined;
});

async function setupView(engine: EngineFixture['engine'], client: string) {
  return (await engine.call('setup.clients', {})).find((view) => view.client === client)!;
}

async function registerNamed(engine: EngineFixture['engine'], name: string): Promise<string> {
  const { status, body } = await register(engine, { client_name: name });
  expect(status).toBe(201);
  return body.client_id as string;
}

describe('Connect a client: connected', () => {
  it('follows the marker header on authorized requests, the live connection, and the grant', async () => {
    const vault = memoryVault();
    fixture = await startEngine({ keepDataDir: true, effects: { vault } as never });
    const { engine, clock } = fixture;

    // A client that calls itself "Visual Studio Code", without the marker: proves nothing.
    const impostor = await obtainTokens(engine, {
      clientId: await registerNamed(engine, 'Visual Studio Code'),
    });
    expect((await mcpPost(engine, impostor.accessToken, initializeMessage)).status).toBe(200);
    // A marker that names no app Gatehouse sets up is ignored.
    const odd = await obtainTokens(engine);
    const oddInit = await mcpPost(engine, odd.accessToken, initializeMessage, '/mcp', {
      'X-Gatehouse-Client': 'notepad',
    });
    expect(oddInit.status).toBe(200);
    expect((await engine.call('clients.get', { clientId: odd.clientId })).setupClient).toBeNull();
    // Without a valid token the marker is not recorded either.
    const refused = await mcpPost(engine, 'not-a-token', initializeMessage, '/mcp', {
      'X-Gatehouse-Client': 'vscode',
    });
    expect(refused.status).toBe(401);
    expect(await setupView(engine, 'vscode')).toMatchObject({ connected: false, registeredClients: [] });

    // The entry Gatehouse wrote for VS Code sends the marker, under whatever name VS Code chose.
    const vscode = await obtainTokens(engine, { clientId: await registerNamed(engine, 'mcp-client') });
    const opened = await mcpPost(engine, vscode.accessToken, initializeMessage, '/mcp', {
      'X-Gatehouse-Client': 'vscode',
    });
    expect(opened.status).toBe(200);
    expect(await setupView(engine, 'vscode')).toMatchObject({
      connected: true,
      // A session is open: connected until an event says otherwise, no deadline.
      registeredClients: [{ clientId: vscode.clientId, name: 'mcp-client', live: true, liveUntil: null }],
    });
    expect(await setupView(engine, 'claude-code')).toMatchObject({ connected: false, registeredClients: [] });

    // Its session closes and it stays quiet for more than a few minutes: it still has access through
    // the entry, but is not connected now.
    await engineParts(engine).mcp.closeSessions();
    const [recent] = (await setupView(engine, 'vscode')).registeredClients;
    // Still connected by its last request, until five minutes after it (the page counts down to that).
    expect(recent).toMatchObject({ live: true, liveUntil: recent!.lastUsedAt! + 5 * 60_000 });
    clock.advance(6 * 60_000);
    expect(await setupView(engine, 'vscode')).toMatchObject({
      connected: false,
      registeredClients: [{ clientId: vscode.clientId, live: false }],
    });

    // What the marker said survives a restart.
    await engine.stop();
    const restarted = await startEngine({ dataDir: fixture.dataDir, effects: { vault } as never });
    fixture = restarted;
    expect((await restarted.engine.call('clients.get', { clientId: vscode.clientId })).setupClient).toBe(
      'vscode',
    );

    // Revoked: no grant, so not VS Code's connection any more.
    await restarted.engine.call('clients.revoke', { clientId: vscode.clientId });
    expect(await setupView(restarted.engine, 'vscode')).toMatchObject({
      connected: false,
      registeredClients: [],
    });
  });
});

describe('Connect a client: the recipes', () => {
  it("gives each app one entry, the Connect page's own; Claude Desktop's runs this checkout's launcher", async () => {
    fixture = await startEngine();
    const { engine } = fixture;
    const recipes = await engine.call('setup.recipes', {});
    const views = await engine.call('setup.clients', {});
    expect(recipes.map((recipe) => recipe.client)).toEqual(views.map((view) => view.client));
    for (const recipe of recipes) {
      const view = views.find((one) => one.client === recipe.client)!;
      expect({ snippet: recipe.snippet, commands: recipe.commands }, recipe.client).toEqual({
        snippet: view.snippet,
        commands: view.commands,
      });
    }
    // Not `"command": "gatehouse"`, which a checkout does not put on PATH: this Node and bin/gatehouse.mjs.
    const desktop = JSON.parse(recipes.find((recipe) => recipe.client === 'claude-desktop')!.snippet) as {
      mcpServers: { gatehouse: { command: string; args: string[] } };
    };
    const { command, args } = desktop.mcpServers.gatehouse;
    expect(command).toBe(process.execPath);
    expect(args[0]).toBe(join(REPO_ROOT, 'bin', 'gatehouse.mjs'));
    expect(existsSync(args[0]!)).toBe(true);
    expect(args.slice(1)).toEqual(['bridge', '--data-dir', fixture.dataDir, '--client', 'claude-desktop']);
  });
});
