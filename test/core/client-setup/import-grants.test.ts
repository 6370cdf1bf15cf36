// What an imported server asks its sandbox for is another app's words, not the user's: importing a
// Claude Desktop config whose server-memory keeps its file in the home folder, and whose arguments
// name an autostart folder, a folder on PATH and ~/.ssh, lists each grant before the import (the
// autostart and PATH places called out, the secret refused), gives none of them without the user's
// yes, and gives the grantable ones, and only those, with it. Real engine, real server-memory.
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configPath } from '../../../main/core/client-setup/client-locations.js';
import { nodeConfigFs } from '../../../main/core/client-setup/config-writer.js';
import { engineParts } from '../../../main/core/engine/engine-parts.js';
import { fakeMachine, writeFile, type FakeMachine } from '../../support/client-homes.js';
import { clientSetupCaller } from '../../support/client-setup-call.js';
import { startEngine, type EngineFixture } from '../../support/engine-fixture.js';

const memoryServer = join(
  dirname(createRequire(import.meta.url).resolve('@modelcontextprotocol/server-memory/package.json')),
  'dist',
  'index.js',
);

let fixture: EngineFixture;
let fake: FakeMachine;

const call = clientSetupCaller(() => fixture.engine);

beforeEach(async () => {
  fake = fakeMachine('linux');
  const localBin = join(fake.home, '.local', 'bin');
  fake.layout.env.PATH = `${localBin}:/usr/bin:/bin`;
  for (const folder of ['.config/autostart', '.local/bin', '.ssh', 'notes']) {
    mkdirSync(join(fake.home, folder), { recursive: true });
  }
  fixture = await startEngine({
    clientSetup: {
      platform: fake.layout.platform,
      home: fake.home,
      env: fake.layout.env,
      bridgeCommand: () => ({ command: '/usr/bin/gatehouse', args: ['bridge'] }),
      importStartWaitMs: 200,
    },
  });
  const desktopFile = (await configPath('claude-desktop', 'user', fake.layout, nodeConfigFs))!;
  writeFile(
    desktopFile,
    JSON.stringify({
      mcpServers: {
        memory: {
          command: process.execPath,
          args: [
            memoryServer,
            join(fake.home, 'notes'),
            '~/.config/autostart',
            '~/.local/bin',
            '~/.ssh',
            'postgres://me@localhost:5432/app',
          ],
          env: { MEMORY_FILE_PATH: join(fake.home, 'memory.jsonl') },
        },
      },
    }),
  );
});

afterEach(async () => {
  await fixture.stop();
  fake.remove();
});

describe('grants an imported server asks for', () => {
  it('are listed before the import, with autostart and PATH places called out and secrets refused', async () => {
    const listed = await call('setup.importable', { client: 'claude-desktop' });
    expect(listed.servers[0]!.grants).toEqual([
      { kind: 'write', target: '~/notes', from: 'argument 2', warning: null, refused: null },
      {
        kind: 'write',
        target: '~/.config/autostart',
        from: 'argument 3',
        warning: 'what is written there runs by itself later (at login, in every shell, or as a service)',
        refused: null,
      },
      {
        kind: 'write',
        target: '~/.local/bin',
        from: 'argument 4',
        warning:
          'it is a folder your programs are run from (on your PATH): what is written there runs in place of your commands',
        refused: null,
      },
      {
        kind: 'write',
        target: '~/.ssh',
        from: 'argument 5',
        warning: 'what is written there runs by itself later (at login, in every shell, or as a service)',
        refused: `it holds or is inside ${join(fake.home, '.ssh')}, one of your secrets`,
      },
      { kind: 'local', target: 'localhost:5432', from: 'argument 6', warning: null, refused: null },
      {
        kind: 'write',
        target: '~/memory.jsonl',
        from: 'environment MEMORY_FILE_PATH',
        warning: null,
        refused: null,
      },
    ]);
  });

  it('are not given without the user’s yes', async () => {
    await call('setup.import', { client: 'claude-desktop', servers: ['memory'] });
    const settings = engineParts(fixture.engine).connectorStore.unsealed('memory');
    expect(settings).toMatchObject({ kind: 'stdio', command: process.execPath });
    const sandbox = settings?.kind === 'stdio' ? settings.sandbox : undefined;
    expect(sandbox?.folders ?? []).toEqual([]);
    expect(sandbox?.localServices ?? []).toEqual([]);
  });

  it('are given with it, the grantable ones only', async () => {
    await call('setup.import', { client: 'claude-desktop', servers: ['memory'], acceptGrants: true });
    const settings = engineParts(fixture.engine).connectorStore.unsealed('memory');
    expect(settings?.kind === 'stdio' ? settings.sandbox : undefined).toMatchObject({
      enabled: true,
      folders: ['~/notes', '~/.config/autostart', '~/.local/bin', '~/memory.jsonl'],
      localServices: ['localhost:5432'],
    });
  });
});
