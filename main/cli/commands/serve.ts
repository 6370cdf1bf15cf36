// `gatehouse serve`: runs the engine in this process, without the desktop app — for machines with no
// desktop, for CI, and for trying Gatehouse out. Same engine, same data directory, same port.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import Conf from 'conf';
import { Engine } from '../../core/engine.js';
import { GatehouseError } from '../../core/errors.js';
import { consoleLogger, headlessEffects } from '../../core/headless.js';
import type { KeyValueStore } from '../../core/store/settings.js';
import { UsageError, type CliIo, type Command } from '../command.js';
import { readEngineRecord } from '../engine-client.js';
import { gatehouseVersion } from '../package-version.js';

export const serveCommand: Command = {
  words: ['serve'],
  options: { port: { type: 'string' } },
  usage: '[--port N]',
  summary: 'Run Gatehouse here without the desktop app, until Ctrl+C',
  async run(context) {
    const port = portOption(context.option('port'));
    const { dataDir, io } = context;
    refuseSecondEngine(dataDir);
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const logger = consoleLogger(writerStream(io.stderr));
    const engine = await Engine.start({
      dataDir,
      effects: headlessEffects(dataDir, logger),
      preferences: openPreferences(dataDir),
      version: gatehouseVersion(),
      ...(port !== undefined ? { port } : {}),
    });
    context.print(
      `Gatehouse ${gatehouseVersion()} is running.`,
      `MCP endpoint: ${engine.mcpUrl}`,
      `Authorization server: ${engine.issuer}`,
      `Data: ${dataDir}`,
      'Stop with Ctrl+C.',
    );
    try {
      await (io.untilStopped ?? untilSignal)();
    } finally {
      await engine.stop();
    }
    return 0;
  },
};

function portOption(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const port = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!(port >= 1024 && port <= 65535)) {
    throw new UsageError(`--port is a whole number from 1024 to 65535 (got "${value}").`);
  }
  return port;
}

/**
 * Two engines on one data directory would share one database and overwrite each other's engine
 * record; the port check only catches that when both use the same port.
 */
function refuseSecondEngine(dataDir: string): void {
  const found = readEngineRecord(dataDir);
  if (found.state === 'alive' && found.record.pid !== process.pid) {
    throw new GatehouseError(
      'conflict',
      `Gatehouse is already running for ${dataDir} (pid ${found.record.pid}, port ${found.record.port}). Stop it first, or use another --data-dir.`,
    );
  }
}

/** Preferences in <dataDir>/preferences.json through `conf`, the plain-Node base of electron-store. */
function openPreferences(dataDir: string): KeyValueStore {
  let conf: Conf;
  try {
    conf = new Conf({ cwd: dataDir, configName: 'preferences', projectName: 'gatehouse' });
  } catch (error) {
    throw new GatehouseError(
      'bad_request',
      `Gatehouse cannot read its preferences ${join(dataDir, 'preferences.json')} (${(error as Error).message}); fix or delete that file.`,
      { cause: error },
    );
  }
  return { get: (key) => conf.get(key), set: (key, value) => conf.set(key, value) };
}

/** The engine's log lines go to the CLI's stderr writer (a test's buffer, or the terminal). */
function writerStream(write: CliIo['stderr']): Writable {
  return new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      write(String(chunk));
      done();
    },
  });
}

/** Resolves at the first Ctrl+C or SIGTERM; a second one while stopping ends the process at once. */
function untilSignal(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      const force = (): never => process.exit(1);
      process.once('SIGINT', force);
      process.once('SIGTERM', force);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
