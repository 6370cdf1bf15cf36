// Is npx, uvx or docker installed here? Asked the way a connector's command is found when it starts
// (stdio-launch.ts: the login shell's PATH, then the usual install directories), so the catalog's
// answer and the connector's fate agree — and a desktop app started without a terminal's PATH does not
// call a runtime missing that the user's terminal has.
import type { ResolveCommand } from '../connectors/processes/stdio-launch.js';
import { CommandNotFoundError } from '../connectors/processes/stdio-launch.js';
import { RUNTIME_INSTALL_HINT } from './package-command.js';

/** Why `runtime` cannot run on this machine, or null when it can. */
export type RuntimeCheck = (runtime: string) => Promise<string | null>;

/**
 * A runtime check that finds npx, uvx or docker as connectors are started; the answer is null when found,
 * or a sentence saying how to install it.
 */
export function runtimeCheck(resolve: ResolveCommand): RuntimeCheck {
  return async (runtime) => {
    try {
      await resolve({ kind: 'stdio', command: runtime, args: [], env: {}, cwd: null });
      return null;
    } catch (error) {
      const hint = RUNTIME_INSTALL_HINT[runtime] ?? `Install ${runtime}`;
      if (error instanceof CommandNotFoundError) {
        return `${runtime} is not installed on this machine (it is not on your login shell's PATH). ${hint}, then try again.`;
      }
      return `${runtime} cannot be started here: ${error instanceof Error ? error.message : String(error)}`;
    }
  };
}
