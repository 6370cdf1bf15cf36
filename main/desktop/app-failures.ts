// The app's uncaught errors and unhandled rejections go to the log file: launched from the Dock, the
// Start menu or a login item, its stderr goes nowhere, and Electron's own handler would show a modal box.
import { describeError, type FailureSource } from '../core/run-failures.js';
import type { Logger } from '../core/effects.js';

/**
 * Logs the app's uncaught errors and unhandled rejections to the log file (launched from the Dock,
 * the Start menu or a login item, its stderr goes nowhere). The app keeps running, as Electron's own
 * handler would have let it, but without that handler's modal box.
 */
export function logAppFailures(source: FailureSource, logger: Logger): void {
  source.on('uncaughtException', (error) =>
    logger.error('An unexpected error in the main process', { error: describeError(error) }),
  );
  source.on('unhandledRejection', (reason) =>
    logger.error('An unexpected rejected promise in the main process', { error: describeError(reason) }),
  );
}
