// Effects and locations for the engine when it runs without Electron (`gatehouse serve`, tests):
// system clock and randomness, the key-file vault, a logger to stderr and the data directory's log
// file, URL "opening" by printing.
import { randomBytes } from 'node:crypto';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { pooledRandom, type Effects, type Logger, type Notifier, type UrlOpener } from '../effects.js';
import { keyFileVault, VAULT_KEY_FILE } from '../store/key-file-vault.js';
import { logFilePath, RotatingLogFile } from '../log/log-file.js';
import { fileLogger, formatLogLine, redactingLogger, teeLogger } from '../log/loggers.js';
import { environmentProxy } from '../http/outbound-proxy.js';

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
  return {
    info: (message, fields) => stream.write(`${formatLogLine('info', message, fields)}\n`),
    warn: (message, fields) => stream.write(`${formatLogLine('warn', message, fields)}\n`),
    error: (message, fields) => stream.write(`${formatLogLine('error', message, fields)}\n`),
  };
}

/**
 * The logger of a Gatehouse process (the app, `gatehouse serve`): every entry, with secrets removed,
 * to `console` and to the rotating log file in the data directory (`gatehouse logs` shows it).
 */
export function processLogger(dataDir: string, console: Logger = consoleLogger()): Logger {
  return redactingLogger(teeLogger(console, fileLogger(new RotatingLogFile(logFilePath(dataDir)))));
}

function printingUrlOpener(logger: Logger): UrlOpener {
  return {
    open: async (url) => logger.info(`Open this URL in your browser: ${url}`),
  };
}

function loggingNotifier(logger: Logger): Notifier {
  return {
    notify: ({ title, body }) => logger.info(`${title} — ${body}`),
  };
}

/**
 * The effects of an engine without Electron: system clock, key-file vault, printed URLs and notices;
 * with `env` (`gatehouse serve`), outbound requests follow its HTTP(S)_PROXY and NO_PROXY.
 */
export function headlessEffects(
  dataDir: string,
  logger: Logger = processLogger(dataDir),
  env?: NodeJS.ProcessEnv,
): Effects {
  return {
    clock: { now: () => Date.now() },
    random: pooledRandom(randomBytes),
    vault: keyFileVault(join(dataDir, VAULT_KEY_FILE)),
    openUrl: printingUrlOpener(logger),
    notifier: loggingNotifier(logger),
    fetch: globalThis.fetch.bind(globalThis),
    ...(env ? { proxy: environmentProxy(env) } : {}),
    logger,
  };
}
