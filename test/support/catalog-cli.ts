// What the catalog's command-line tests share: a real engine on a fresh data folder, pointed at a
// local registry, whose command resolver sees a machine with npx and docker on the login shell's PATH
// and no uv — so which ways to run a server are offered never depends on the machine the tests run on.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCommandResolver, type LaunchHost } from '../../main/core/connectors/processes/stdio-launch.js';
import { Engine } from '../../main/core/engine/engine.js';
import { headlessEffects } from '../../main/core/engine/headless.js';
import { silentLogger } from './cli-fixture.js';
import { startLocalRegistry, type LocalRegistry, type RegistryEntry } from './registry-server.js';
import { MemoryKeyValueStore } from './memory-stores.js';

/** A machine with npx and docker on the login shell's PATH (`loginPath` added to it), and no uv. */
const launchHost = (loginPath: readonly string[]): LaunchHost => ({
  platform: 'linux',
  env: { SHELL: '/bin/bash', PATH: '/usr/bin:/bin', HOME: '/home/me' },
  homedir: '/home/me',
  cwd: '/',
  isExecutableFile: async (file) => ['/usr/bin/npx', '/usr/bin/docker'].includes(file),
  isDirectory: async () => false,
  readText: async () => null,
  listDirectory: async () => [],
  runLoginShell: async () =>
    `__GATEHOUSE_PATH__${[...loginPath, '/usr/bin', '/bin'].join(':')}__GATEHOUSE_PATH__`,
});

/** The engine a catalog CLI test drives, the registry it reads, and where its data is. */
export interface CatalogCli {
  registry: LocalRegistry;
  engine: Engine;
  dataDir: string;
  /** Stops the engine and the registry and removes the data folder. */
  stop(): Promise<void>;
}

/**
 * Starts the registry (the fixture entries unless `entries` is given) and an engine that uses it;
 * `home` is the home folder the sandbox judges grants from (the user's own unless given); `loginPath`,
 * folders the login shell's PATH has before /usr/bin and /bin.
 */
export async function startCatalogCli(
  options: { entries?: RegistryEntry[]; home?: string; loginPath?: readonly string[] } = {},
): Promise<CatalogCli> {
  const registry = await startLocalRegistry(options.entries ? { entries: options.entries } : {});
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-cli-'));
  const engine = await Engine.start({
    dataDir,
    port: 0,
    effects: headlessEffects(dataDir, silentLogger),
    preferences: new MemoryKeyValueStore(),
    version: '0.0.0-test',
    catalog: { resolveCommand: createCommandResolver(launchHost(options.loginPath ?? [])) },
    ...(options.home ? { sandbox: { place: { home: options.home } } } : {}),
  });
  await engine.call('settings.set', { registryUrl: registry.url });
  return {
    registry,
    engine,
    dataDir,
    async stop() {
      await engine.stop();
      await registry.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
