// V8's compiled code for the engine's modules, kept between runs (Node's module compile cache): a start
// then reads the compiled code from disk rather than parsing and compiling every module again, about a
// fifth of a start's CPU. The code is kept in the data directory, which only this user can open and which
// no sandboxed server may be granted (sandbox-grants.ts refusedGrant): compiled code is code Gatehouse
// runs later, so it must not sit where a server, or another user, could write it (not the default, a
// shared folder under the system temp directory). Node keys the cache by its own version and checks each
// entry against its module's source, so an update, or the desktop app's Node beside the command line's,
// never runs stale code. The app and `gatehouse serve` call this just before they load the engine.
import nodeModule from 'node:module';
import { join } from 'node:path';

/** The data directory's folder for the compiled code. */
const COMPILE_CACHE_FOLDER = 'compile-cache';

/** The part of node:module used here (Node 22.8+; Electron's Node 24 has it). */
export interface CompileCacheApi {
  enableCompileCache?(directory: string): { status: number; message?: string; directory?: string };
  flushCompileCache?(): void;
  constants?: { compileCacheStatus?: { ENABLED: number; ALREADY_ENABLED: number; DISABLED: number } };
}

/** Whether compiled code is kept, and where or why not. */
export type CompileCacheState =
  | { kept: true; directory: string }
  | {
      kept: false;
      reason: string;
      /** Not kept by design or by the user's choice: nothing to tell the user. */
      expected: boolean;
    };

/**
 * Keeps the compiled code of every module loaded from now on in `<dataDir>/compile-cache`. Never throws:
 * the cache only saves time. Not kept for an AppImage, which runs from a new mount point each launch (its
 * modules' paths would differ every time, so the cache would only grow), nor where the user turned Node's
 * cache off (NODE_DISABLE_COMPILE_CACHE); NODE_COMPILE_CACHE, when set, names the folder instead.
 * @internal Exported for its tests only: the app and `serve` call startKeepingCompiledCode.
 */
export function keepCompiledCode(
  dataDir: string,
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  api: CompileCacheApi = nodeModule,
): CompileCacheState {
  if (platform === 'linux' && env.APPIMAGE) {
    return { kept: false, reason: 'an AppImage runs from a new place each launch', expected: true };
  }
  const statuses = api.constants?.compileCacheStatus;
  if (!api.enableCompileCache || !statuses) {
    return {
      kept: false,
      reason: 'this Node.js has no module compile cache (it needs 22.8 or newer)',
      expected: false,
    };
  }
  const result = api.enableCompileCache(join(dataDir, COMPILE_CACHE_FOLDER));
  if (
    (result.status === statuses.ENABLED || result.status === statuses.ALREADY_ENABLED) &&
    result.directory
  ) {
    return { kept: true, directory: result.directory };
  }
  if (result.status === statuses.DISABLED)
    return { kept: false, reason: 'NODE_DISABLE_COMPILE_CACHE turns it off', expected: true };
  return { kept: false, reason: result.message ?? 'Node.js did not turn it on', expected: false };
}

/**
 * Writes what has been compiled so far (Node writes it at a normal exit too; this keeps it when the
 * process is killed, or the machine shuts down, before then). Never throws.
 * @internal Exported for its tests only: the app and `serve` call startKeepingCompiledCode.
 */
export function saveCompiledCode(api: CompileCacheApi = nodeModule): void {
  try {
    api.flushCompileCache?.();
  } catch {
    // Only time is lost: the next start compiles again.
  }
}

/**
 * Loads and starts the engine with its compiled code kept (keepCompiledCode before the first import,
 * saveCompiledCode once started). `start` is handed the line to log when the code is not kept for a
 * reason the user may want to know, or null: it logs it once its logger exists.
 */
export async function startKeepingCompiledCode<T>(
  dataDir: string,
  start: (notKept: string | null) => Promise<T>,
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  api: CompileCacheApi = nodeModule,
): Promise<T> {
  const state = keepCompiledCode(dataDir, env, platform, api);
  const started = await start(
    state.kept || state.expected ? null : `Compiled code is not kept between starts: ${state.reason}.`,
  );
  saveCompiledCode(api);
  return started;
}
