// `gatehouse serve`: runs the engine in this process, without the desktop app — for machines with no
// desktop, for CI, and for trying Gatehouse out. Same engine, same data directory, same port.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type ConfStore from 'conf';
import type { KeyValueStore } from '../../core/store/settings.js';
import { CommandFailure, UsageError, type Command } from '../command.js';
import { gatehouseVersion } from '../package-version.js';
import { untilStopped } from '../stop-signal.js';

export const serveCommand: Command = {
  words: ['serve'],
  options: { port: { type: 'string' } },
  usage: '[--port N]',
  summary: 'Run Gatehouse here without the desktop app, until Ctrl+C',
  async run(context) {
    const port = portOption(context.option('port'));
    const { dataDir, io } = context;
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    // Loaded here, not at the top: the engine (oidc-provider, the MCP SDK, node:sqlite) and conf take
    // most of a second to load, which no other command should pay.
    const [{ Engine }, { consoleLogger, headlessEffects }, { default: Conf }] = await Promise.all([
      import('../../core/engine.js'),
      import('../../core/headless.js'),
      import('conf'),
    ]);
    const logger = consoleLogger({ write: io.stderr });
    const engine = await Engine.start({
      dataDir,
      effects: headlessEffects(dataDir, logger),
      preferences: openPreferences(Conf, dataDir),
      version: gatehouseVersion(),
      uiRoot: rendererRoot(),
      ...(port !== undefined ? { port } : {}),
    });
    context.print(
      `Gatehouse ${gatehouseVersion()} is running.`,
      `MCP endpoint: ${engine.mcpUrl}`,
      `Authorization server: ${engine.issuer}`,
      engine.ui.available
        ? `Open Gatehouse in your browser (this link works once; \`gatehouse ui\` makes another): ${engine.ui.mintLink(engine.issuer)}`
        : 'No browser UI in this build (run `npm run build` to include it); use the gatehouse command line.',
      `Data: ${dataDir}`,
      'Stop with Ctrl+C.',
    );
    try {
      await untilStopped(io);
    } finally {
      await engine.stop();
    }
    return 0;
  },
};

/** The built renderer beside this file's compiled tree (dist/renderer). */
function rendererRoot(): string {
  return fileURLToPath(new URL('../../../renderer/', import.meta.url));
}

function portOption(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const port = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!(port >= 1024 && port <= 65535)) {
    throw new UsageError(`--port is a whole number from 1024 to 65535 (got "${value}").`);
  }
  return port;
}

/** Preferences in <dataDir>/preferences.json through `conf`, the plain-Node base of electron-store. */
function openPreferences(Conf: typeof ConfStore, dataDir: string): KeyValueStore {
  let conf: ConfStore;
  try {
    conf = new Conf({ cwd: dataDir, configName: 'preferences', projectName: 'gatehouse' });
  } catch (error) {
    throw new CommandFailure(
      `Gatehouse cannot read its preferences ${join(dataDir, 'preferences.json')} (${(error as Error).message}); fix or delete that file.`,
      { cause: error },
    );
  }
  return { get: (key) => conf.get(key), set: (key, value) => conf.set(key, value) };
}
