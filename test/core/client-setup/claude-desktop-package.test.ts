// Claude Desktop installed as an MSIX package on Windows, laid out under a fake Windows home: its
// package's private AppData holds the file it reads; the old installer's %APPDATA%\Claude file is
// not read. Detection, connect, undo and import all work on the package's file, and leave the other
// byte for byte as it was.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  claudePackageFolder,
  configPath,
  installEvidence,
} from '../../../main/core/client-setup/client-locations.js';
import { nodeConfigFs } from '../../../main/core/client-setup/config-writer.js';
import {
  claudeDesktopConfig,
  fakeMachinesPerTest,
  setupOn,
  targetFor,
  writeFile,
  type FakeMachine,
} from '../../support/client-homes.js';

const machine = fakeMachinesPerTest();

/** Anthropic's package family today. */
const FAMILY = 'Claude_pzs8sxrjxfjjc';

const packages = (fake: FakeMachine) => join(fake.home, 'AppData', 'Local', 'Packages');
const packagedFile = (fake: FakeMachine, family = FAMILY) =>
  join(packages(fake), family, 'LocalCache', 'Roaming', 'Claude', 'claude_desktop_config.json');
const roamingFile = (fake: FakeMachine) =>
  join(fake.home, 'AppData', 'Roaming', 'Claude', 'claude_desktop_config.json');

/** A config whose one server is named `name`, so a test can tell which file was read. */
const configWith = (name: string) =>
  JSON.stringify({ mcpServers: { [name]: { command: 'npx', args: ['-y', `${name}-server`] } } }, null, 2);

describe('Claude Desktop as an MSIX package on Windows', () => {
  it("reads, writes and undoes the package's own file, never the old %APPDATA% one", async () => {
    const fake = machine('win32');
    writeFile(packagedFile(fake), claudeDesktopConfig);
    // What the old installer left behind: Claude's package does not read it.
    writeFile(roamingFile(fake), configWith('left-behind'));
    const before = readFileSync(roamingFile(fake));
    const setup = setupOn(fake);
    const target = targetFor(fake);

    expect(await configPath('claude-desktop', 'user', fake.layout, nodeConfigFs)).toBe(packagedFile(fake));
    const status = await setup.detect('claude-desktop', target, []);
    expect(status).toMatchObject({ installed: true, configured: false });
    expect(status.locations.map((location) => location.path)).toEqual([packagedFile(fake)]);

    const connected = await setup.connect('claude-desktop', 'user', target);
    expect(connected.path).toBe(packagedFile(fake));
    const written = JSON.parse(readFileSync(packagedFile(fake), 'utf8')) as {
      mcpServers: Record<string, unknown>;
      globalShortcut: string;
    };
    expect(Object.keys(written.mcpServers)).toEqual(['filesystem', 'github', 'gatehouse']);
    expect(written.mcpServers.gatehouse).toEqual({
      command: target.bridge.command,
      args: [...target.bridge.args, '--client', 'claude-desktop'],
    });
    expect((await setup.detect('claude-desktop', target, [])).configured).toBe(true);

    // Import lists what Claude actually runs: the package file's servers (and Gatehouse's own entry).
    const importable = await setup.importable('claude-desktop', target);
    expect(importable.servers.map((server) => [server.name, server.path, server.gatehouse])).toEqual([
      ['filesystem', packagedFile(fake), false],
      ['github', packagedFile(fake), false],
      ['gatehouse', packagedFile(fake), true],
    ]);

    await setup.disconnect('claude-desktop', 'user', target);
    expect(readFileSync(packagedFile(fake), 'utf8')).toBe(claudeDesktopConfig);
    expect(readFileSync(roamingFile(fake))).toEqual(before);
  });

  it('writes into a package Claude has not run from yet, and counts the package as installed', async () => {
    const fake = machine('win32');
    mkdirSync(join(packages(fake), FAMILY), { recursive: true });
    const setup = setupOn(fake);
    const target = targetFor(fake);
    expect(await installEvidence('claude-desktop', fake.layout, nodeConfigFs)).toContain(
      join(packages(fake), FAMILY),
    );
    expect((await setup.detect('claude-desktop', target, [])).installed).toBe(true);
    const connected = await setup.connect('claude-desktop', 'user', target);
    expect(connected).toMatchObject({ path: packagedFile(fake), created: true });
    expect(existsSync(roamingFile(fake))).toBe(false);
  });

  it('keeps %APPDATA%\\Claude for the old installer (no package)', async () => {
    const fake = machine('win32');
    writeFile(roamingFile(fake), configWith('classic'));
    const setup = setupOn(fake);
    const target = targetFor(fake);
    expect(await configPath('claude-desktop', 'user', fake.layout, nodeConfigFs)).toBe(roamingFile(fake));
    expect((await setup.importable('claude-desktop', target)).servers.map((server) => server.name)).toEqual([
      'classic',
    ]);
    expect((await setup.connect('claude-desktop', 'user', target)).path).toBe(roamingFile(fake));
  });

  it('takes only package folders named like Claude’s family, preferring the one Claude has run from', async () => {
    const fake = machine('win32');
    for (const name of [
      'Claude', // no publisher id
      'ClaudeHelper_pzs8sxrjxfjjc', // another package's name
      'Claude_pzs8sxrjxfjjc.bak', // not a family name
      'Claude_PZS8SXRJXFJJU', // 'u' is not in the publisher id's alphabet
    ]) {
      writeFile(
        join(packages(fake), name, 'LocalCache', 'Roaming', 'Claude', 'claude_desktop_config.json'),
        '{}',
      );
    }
    expect(await claudePackageFolder(fake.layout, nodeConfigFs)).toBeNull();

    // Two real-looking families: the one with Claude's folder in its AppData wins over the known id…
    const other = 'Claude_0a1b2c3d4e5f6';
    mkdirSync(join(packages(fake), FAMILY), { recursive: true });
    writeFile(packagedFile(fake, other), configWith('other'));
    expect(await claudePackageFolder(fake.layout, nodeConfigFs)).toBe(join(packages(fake), other));
    // … and with both run from, Anthropic's own publisher id.
    writeFile(packagedFile(fake), configWith('anthropic'));
    expect(await claudePackageFolder(fake.layout, nodeConfigFs)).toBe(join(packages(fake), FAMILY));
  });

  it('looks for no package on macOS or Linux', async () => {
    for (const platform of ['darwin', 'linux'] as const) {
      const fake = machine(platform, { LOCALAPPDATA: join('/fake', 'Local') });
      expect(await claudePackageFolder(fake.layout, nodeConfigFs)).toBeNull();
    }
  });
});
