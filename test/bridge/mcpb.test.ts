// The MCP Bundle: built by scripts/build-mcpb.mjs, unzipped here by hand (central directory +
// inflateRaw), its manifest checked against the MCPB schema, and its bundled bridge run from a folder
// with no node_modules — as Claude Desktop runs it — both without Gatehouse and through a real one.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { v0_3 } from '@anthropic-ai/mcpb';
import { startEngine, type EngineFixture } from '../support/engine-fixture.js';
import { bridgeEnv, pendingConsent, rawExchange, startBridge, waitFor } from '../support/bridge-fixture.js';
import { EVERYTHING } from '../support/real-servers.js';

/** What the user reads when Gatehouse is not running (bridge-error.ts), as the user reads it. */
const NOT_RUNNING_MESSAGE =
  'Gatehouse is not running. Open the Gatehouse app (or run `gatehouse serve`), then restart this server in Claude.';

const root = join(import.meta.dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };

/** Every file of a zip archive, read through its central directory (APPNOTE.TXT §4.3.12, §4.3.16). */
function unzip(zip: Buffer): Map<string, Buffer> {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error('no end of central directory record');
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const files = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error(`bad central directory entry ${i}`);
    const method = zip.readUInt16LE(at + 10);
    const compressed = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    const dataAt = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const raw = zip.subarray(dataAt, dataAt + compressed);
    const data = method === 8 ? inflateRawSync(raw) : method === 0 ? Buffer.from(raw) : undefined;
    if (!data || data.length !== size) throw new Error(`cannot read ${name} (method ${method})`);
    if (!name.endsWith('/')) files.set(name, data);
    at += 46 + nameLength + extraLength + commentLength;
  }
  return files;
}

let work: string;
let files: Map<string, Buffer>;
let installed: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'gatehouse-mcpb-test-'));
  const out = join(work, 'gatehouse-bridge.mcpb');
  const built = spawnSync(process.execPath, [join(root, 'scripts', 'build-mcpb.mjs'), '--out', out], {
    encoding: 'utf8',
  });
  if (built.status !== 0) throw new Error(`build-mcpb failed:\n${built.stdout}${built.stderr}`);
  files = unzip(readFileSync(out));
  // Installed the way Claude Desktop unpacks an extension: a folder of its own, no node_modules.
  installed = join(work, 'installed');
  for (const [name, data] of files) {
    mkdirSync(dirname(join(installed, name)), { recursive: true });
    writeFileSync(join(installed, name), data);
  }
}, 60_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('gatehouse-bridge.mcpb', () => {
  it('holds a manifest that follows the MCPB 0.3 schema and launches the bundled bridge with node', () => {
    const manifest = JSON.parse(files.get('manifest.json')!.toString('utf8')) as Record<string, unknown>;
    expect(() => v0_3.McpbManifestSchema.parse(manifest)).not.toThrow();
    expect(manifest).toMatchObject({
      manifest_version: '0.3',
      name: 'gatehouse-bridge',
      display_name: 'Gatehouse',
      version: pkg.version,
      author: { name: 'Gatehouse' },
      server: {
        type: 'node',
        entry_point: 'server/gatehouse-bridge.mjs',
        mcp_config: {
          command: 'node',
          args: ['${__dirname}/server/gatehouse-bridge.mjs', '--client', 'claude-desktop'],
          env: {
            GATEHOUSE_DATA_DIR: '${user_config.data_dir}',
            GATEHOUSE_BRIDGE_URL: '${user_config.gatehouse_url}',
          },
        },
      },
      tools_generated: true,
      prompts_generated: true,
      compatibility: { platforms: ['darwin', 'win32', 'linux'], runtimes: { node: '>=20.0.0' } },
      user_config: {
        data_dir: { type: 'directory', required: false },
        gatehouse_url: { type: 'string', required: false },
      },
    });
    const names = [...files.keys()].sort();
    expect(names.filter((name) => name !== 'icon.png')).toEqual([
      'manifest.json',
      'server/gatehouse-bridge.mjs',
    ]);
    expect('icon' in manifest).toBe(files.has('icon.png'));
  });

  it('runs its entry point on its own', () => {
    const entry = join(installed, 'server', 'gatehouse-bridge.mjs');
    const help = spawnSync(process.execPath, [entry, '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: gatehouse-bridge [--data-dir DIR] [--name NAME] [--url URL]');
    expect(spawnSync(process.execPath, [entry, '--version'], { encoding: 'utf8' }).stdout).toBe(
      `${pkg.version}\n`,
    );
  });

  it('says Gatehouse is not running, ignoring settings the user left empty', async () => {
    const entry = join(installed, 'server', 'gatehouse-bridge.mjs');
    const home = join(work, 'home');
    const { answers } = await rawExchange(
      [entry],
      [
        {
          jsonrpc: '2.0',
          id: 'init',
          method: 'initialize',
          params: {
            protocolVersion: '2025-11-25',
            capabilities: {},
            clientInfo: { name: 'c', version: '1' },
          },
        },
      ],
      1,
      bridgeEnv({
        HOME: home,
        XDG_CONFIG_HOME: join(home, '.config'),
        APPDATA: join(home, 'AppData'),
        GATEHOUSE_DATA_DIR: '${user_config.data_dir}',
        GATEHOUSE_BRIDGE_URL: '',
      }),
    );
    expect(answers).toEqual([
      { jsonrpc: '2.0', id: 'init', error: { code: -32000, message: NOT_RUNNING_MESSAGE } },
    ]);
  });

  describe('through a running Gatehouse', () => {
    let fixture: EngineFixture;
    beforeAll(async () => {
      fixture = await startEngine();
      await fixture.engine.call('connectors.add', {
        name: 'everything',
        settings: { kind: 'stdio', command: process.execPath, args: [EVERYTHING, 'stdio'] },
      });
    }, 60_000);
    afterAll(() => fixture?.stop());

    it('relays a tool call after consent', async () => {
      const bridge = startBridge({
        dataDir: fixture.dataDir,
        entry: join(installed, 'server', 'gatehouse-bridge.mjs'),
      });
      try {
        const consent = await pendingConsent(fixture.engine, 'Claude Desktop (via gatehouse bridge)');
        await fixture.engine.call('consents.approve', { id: consent.id, access: 'read' });
        await bridge.connected;
        await waitFor(
          'the echo tool',
          async () =>
            (await bridge.client.listTools()).tools.some((tool) => tool.name === 'everything__echo') ||
            undefined,
        );
        const result = await bridge.client.callTool({
          name: 'everything__echo',
          arguments: { message: 'bundled' },
        });
        expect(result.content).toEqual([{ type: 'text', text: 'Echo: bundled' }]);
      } finally {
        await bridge.close();
      }
    });
  });
});
