// How a command-line run ends when something goes wrong outside the command itself: the npm CLI, the
// standalone bridge and the app's CLI mode alike. In the app, Electron's own `uncaughtException`
// handler would show a modal "A JavaScript error occurred in the main process" box and keep the
// process alive (lib/browser/init.ts), which a terminal command or an invisible bridge must never do.

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
const UNEXPECTED_ERROR_EXIT_CODE = 1;

/**
 * Ends a CLI run on an uncaught error or rejection: `<program>: unexpected error: ` and the stack on
 * stderr, then `end(1)`. Standard output closed by its reader (EPIPE: `gatehouse activity --json |
 * head -1`, or a client closing the bridge's pipe) is a normal end, `end(0)`. A closed stderr is
 * ignored: there is nobody left to tell. Electron's handler steps aside once another listener exists
 * (`process.listenerCount('uncaughtException') > 1`).
 */
export function endCliRunOnFailure(
  source: FailureSource,
  streams: { stdout: OutputStream; stderr: OutputStream },
  end: (exitCode: number) => void,
  program = 'gatehouse',
): void {
  const fail = (what: string, error: unknown) => {
    try {
      streams.stderr.write(`${program}: ${what}: ${describeError(error)}\n`);
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

function isBrokenPipe(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === 'EPIPE';
}

/** The error's stack (which starts with its message), or what was thrown: for stderr and the log. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}
