// How a command-line run ends when something goes wrong outside the command itself. Electron's own
// `uncaughtException` handler shows a modal "A JavaScript error occurred in the main process" box and
// keeps the process alive (lib/browser/init.ts), which a terminal command or an invisible bridge must
// never do; in the app, the same errors go to the log file instead of that box.
import type { Logger } from '../core/effects.js';

/** Where uncaught errors and unhandled rejections arrive (process). */
export interface FailureSource {
  on(event: 'uncaughtException', listener: (error: Error) => void): unknown;
  on(event: 'unhandledRejection', listener: (reason: unknown) => void): unknown;
}

/** A stream the run writes to, whose `error` events would otherwise become uncaught errors. */
interface OutputStream {
  on(event: 'error', listener: (error: Error) => void): unknown;
  write(text: string): unknown;
}

/** The exit code of a run ended by an error no command caught (the command's work failed). */
export const UNEXPECTED_ERROR_EXIT_CODE = 1;

/**
 * Ends a CLI run on an uncaught error or rejection: one line and the stack on stderr, then `end` with
 * exit code 1. Standard output closed by its reader (EPIPE: `gatehouse activity --json | head -1`,
 * or a client closing the bridge's pipe) is a normal end (`end(0)`). A closed stderr is ignored: there
 * is nobody left to tell. Electron's handler steps aside once another listener exists
 * (`process.listenerCount('uncaughtException') > 1`).
 */
export function endCliRunOnFailure(
  source: FailureSource,
  streams: { stdout: OutputStream; stderr: OutputStream },
  end: (exitCode: number) => void,
): void {
  const fail = (what: string, error: unknown) => {
    try {
      streams.stderr.write(`gatehouse: ${what}: ${describe(error)}\n`);
    } catch {
      // stderr itself is gone; the exit code still says it failed.
    }
    end(UNEXPECTED_ERROR_EXIT_CODE);
  };
  streams.stdout.on('error', (error) => {
    if (isBrokenPipe(error)) end(0);
    else fail('standard output failed', error);
  });
  streams.stderr.on('error', (error) => {
    if (!isBrokenPipe(error)) end(UNEXPECTED_ERROR_EXIT_CODE);
  });
  source.on('uncaughtException', (error) => {
    // An EPIPE write that reached here without the stream's own error event (a direct fs write).
    if (isBrokenPipe(error) && error.syscall === 'write') end(0);
    else fail('unexpected error', error);
  });
  source.on('unhandledRejection', (reason) => fail('unexpected error', reason));
}

/**
 * Logs the app's uncaught errors and unhandled rejections to the log file (launched from the Dock,
 * the Start menu or a login item, its stderr goes nowhere). The app keeps running, as Electron's own
 * handler would have let it, but without that handler's modal box.
 */
export function logAppFailures(source: FailureSource, logger: Logger): void {
  source.on('uncaughtException', (error) =>
    logger.error('An unexpected error in the main process', { error: describe(error) }),
  );
  source.on('unhandledRejection', (reason) =>
    logger.error('An unexpected rejected promise in the main process', { error: describe(reason) }),
  );
}

function isBrokenPipe(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === 'EPIPE';
}

/** The error's stack (which starts with its message), or what was thrown. */
function describe(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}
