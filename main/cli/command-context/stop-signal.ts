// Ctrl+C for commands that run until the user stops them (`serve`, `activity --follow`, waiting for a
// connector's sign-in): the first SIGINT or SIGTERM asks them to finish cleanly; a second one while
// they finish ends the process at once.
import type { CliIo } from './command.js';

/** Resolves when the command should stop: the io's own trigger in tests, else the first signal. */
export function untilStopped(io: CliIo): Promise<string> {
  return (io.untilStopped ?? untilSignal)();
}

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
