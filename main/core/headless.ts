// Effects and locations for the engine when it runs without Electron (`gatehouse serve`, tests):
// system clock and randomness, the key-file vault, a console logger, URL "opening" by printing.
import { randomBytes } from 'node:crypto';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Effects, Logger, Notifier, UrlOpener } from './effects.js';
import { keyFileVault, VAULT_KEY_FILE } from './store/key-file-vault.js';

/** Where Gatehouse keeps its data; the same folder Electron's userData names for "Gatehouse". */
export function defaultDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  if (env.GATEHOUSE_DATA_DIR) return env.GATEHOUSE_DATA_DIR;
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Gatehouse');
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Gatehouse');
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'Gatehouse');
}

/** Logs as single lines on stderr, so stdout stays for what the user asked for. */
export function consoleLogger(stream: { write(text: string): unknown } = process.stderr): Logger {
  const line = (level: string, message: string, fields?: Record<string, unknown>): void => {
    const extra = fields && Object.keys(fields).length ? ` ${JSON.stringify(fields)}` : '';
    stream.write(`${new Date().toISOString()} ${level} ${message}${extra}\n`);
  };
  return {
    info: (message, fields) => line('info', message, fields),
    warn: (message, fields) => line('warn', message, fields),
    error: (message, fields) => line('error', message, fields),
  };
}

export function printingUrlOpener(logger: Logger): UrlOpener {
  return {
    open: async (url) => logger.info(`Open this URL in your browser: ${url}`),
  };
}

export function loggingNotifier(logger: Logger): Notifier {
  return {
    notify: ({ title, body }) => logger.info(`${title} — ${body}`),
  };
}

export function headlessEffects(dataDir: string, logger: Logger = consoleLogger()): Effects {
  return {
    clock: { now: () => Date.now() },
    random: { bytes: (length) => randomBytes(length) },
    vault: keyFileVault(join(dataDir, VAULT_KEY_FILE)),
    openUrl: printingUrlOpener(logger),
    notifier: loggingNotifier(logger),
    fetch: globalThis.fetch.bind(globalThis),
    logger,
  };
}
