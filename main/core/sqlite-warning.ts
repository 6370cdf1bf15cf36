// Keeps node:sqlite's "SQLite is an experimental feature" notice off the user's terminal (CLI, app,
// benchmarks): it is printed on every start, says nothing the user can act on, and would bury real
// warnings. Imports nothing that loads node:sqlite, so an entry can install it before the rest loads.

/** Whether a process warning is node:sqlite's experimental-feature notice (and nothing else). */
function isSqliteExperimentalWarning(warning: Error): boolean {
  return warning.name === 'ExperimentalWarning' && /\bSQLite\b/.test(warning.message);
}

/** Marks a target already filtered (a global symbol: two copies of this module share it). */
const installed = Symbol.for('gatehouse.sqliteWarningFilter');

/**
 * Wraps the current 'warning' listeners (Node's own printer among them) so every warning but the
 * SQLite one still reaches them, printed exactly as Node prints it. Under --no-warnings Node has no
 * printer to wrap, so nothing is printed, as the user asked. Installing twice is harmless.
 */
export function installWarningFilter(target: NodeJS.EventEmitter = process): void {
  const marked = target as NodeJS.EventEmitter & { [installed]?: true };
  if (marked[installed]) return;
  marked[installed] = true;
  const previous = target.listeners('warning') as Array<(warning: Error) => void>;
  target.removeAllListeners('warning');
  target.on('warning', (warning: Error) => {
    if (isSqliteExperimentalWarning(warning)) return;
    for (const listener of previous) listener.call(target, warning);
  });
}
