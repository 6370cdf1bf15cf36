// Loggers the engine and its shells are given (the `Logger` effect): one line per entry — time,
// level, message, fields as JSON — to stderr, to the log file, or both; and the redacting wrapper that
// keeps secrets out of every line, whatever a caller passes in.
import type { Logger } from '../effects.js';
import { REDACTED, redactArguments, redactText } from '../policy/redaction.js';
import type { RotatingLogFile } from './log-file.js';

type Level = 'info' | 'warn' | 'error';

/** One log line: ISO time, level, message, and the fields as JSON when there are any. */
export function formatLogLine(
  level: Level,
  message: string,
  fields?: Record<string, unknown>,
  now = new Date(),
) {
  const extra = fields && Object.keys(fields).length ? ` ${JSON.stringify(fields)}` : '';
  return `${now.toISOString()} ${level} ${message}${extra}`;
}

function loggerFrom(
  write: (level: Level, message: string, fields?: Record<string, unknown>) => void,
): Logger {
  return {
    info: (message, fields) => write('info', message, fields),
    warn: (message, fields) => write('warn', message, fields),
    error: (message, fields) => write('error', message, fields),
  };
}

/** Writes to the rotating log file. */
export function fileLogger(file: RotatingLogFile): Logger {
  return loggerFrom((level, message, fields) => file.write(formatLogLine(level, message, fields)));
}

/** Writes every entry to each of `loggers`. */
export function teeLogger(...loggers: Logger[]): Logger {
  return loggerFrom((level, message, fields) => {
    for (const logger of loggers) logger[level](message, fields);
  });
}

/** Known secrets shorter than this are not searched for: they would blank out ordinary words. */
const MIN_SECRET_LENGTH = 6;

/**
 * Passes entries on with secrets removed: fields under secret-sounding keys (token, secret,
 * authorization, password, api key, cookie…), credential shapes and long random runs anywhere
 * (policy/redaction.ts, as the audit log does), and — exactly — every value `knownSecrets` names (a
 * connector's environment and header values, bearer tokens, OAuth client secrets), which may look like
 * nothing special.
 */
export function redactingLogger(logger: Logger, knownSecrets: () => Iterable<string> = () => []): Logger {
  return loggerFrom((level, message, fields) => {
    const secrets = [...knownSecrets()].filter((secret) => secret.length >= MIN_SECRET_LENGTH);
    const scrub = (text: string): string =>
      secrets.reduce((out, secret) => out.split(secret).join(REDACTED), redactText(text, 4_000));
    const scrubbed =
      fields === undefined
        ? undefined
        : (scrubStrings(redactArguments(fields), scrub) as Record<string, unknown>);
    logger[level](scrub(message), scrubbed);
  });
}

function scrubStrings(value: unknown, scrub: (text: string) => string): unknown {
  // redactArguments already bounded the depth and size, so this walk is short.
  if (typeof value === 'string') return scrub(value);
  if (Array.isArray(value)) return value.map((item) => scrubStrings(item, scrub));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, scrubStrings(item, scrub)]));
  return value;
}
