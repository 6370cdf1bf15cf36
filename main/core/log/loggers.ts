// Loggers the engine and its shells are given (the `Logger` effect): one line per entry — time,
// level, message, fields as JSON — to stderr, to the log file, or both; and the redacting wrapper that
// keeps secrets out of every line, whatever a caller passes in.
import type { Logger } from '../effects.js';
import { redactArguments, redactText } from '../policy/redaction.js';
import { NO_SEALED_VALUES, type SealedValues } from '../secrets/sealed-values.js';
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

/**
 * Passes entries on with secrets removed: fields under secret-sounding keys (token, secret,
 * authorization, password, api key, cookie…), credential shapes and long random runs anywhere
 * (policy/redaction.ts, as the audit log does), and — exactly, plain, base64- or URL-encoded — every
 * value `sealed` holds (the connectors' credentials, log/known-secrets.ts), which may look like
 * nothing special.
 */
export function redactingLogger(logger: Logger, sealed: () => SealedValues = () => NO_SEALED_VALUES): Logger {
  return loggerFrom((level, message, fields) => {
    const values = sealed();
    const scrubbed =
      fields === undefined
        ? undefined
        : (redactArguments(fields, undefined, values) as Record<string, unknown>);
    logger[level](redactText(message, 4_000, values), scrubbed);
  });
}
