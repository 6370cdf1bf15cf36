// Where the bridge finds Gatehouse: the --url it was given, or the engine record the running app
// writes into its data directory. When nothing answers, it starts the desktop app (best effort) and
// waits a little for it, so a Claude launched before Gatehouse still connects — unless the launcher
// refuses (a bridge inside a client's package), whose sentence is then the answer.
import { readEngineRecord } from '../core/engine/engine-record.js';
import type { AppLauncher } from './app-launcher.js';
import { BridgeError, notRunning } from './bridge-error.js';

type Fetch = typeof globalThis.fetch;

const START_WAIT_MS = 20_000;
const POLL_MS = 250;
const PROBE_TIMEOUT_MS = 2_000;

/**
 * How the bridge finds Gatehouse: `--url` or the data directory's engine record, and the app to start when
 * nothing answers.
 */
export interface EngineEndpointOptions {
  dataDir: string;
  /** An explicit MCP URL (--url); otherwise the engine record decides. */
  url?: string;
  launcher: AppLauncher;
  fetch: Fetch;
  log(line: string): void;
  /** How long to wait for an app we started (default 20 s). */
  startWaitMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** The MCP URL of a Gatehouse that answers; throws "Gatehouse is not running…" when there is none. */
export async function locateEngine(options: EngineEndpointOptions): Promise<URL> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const found = await probe(options);
  if (found) return found;
  const refused = await options.launcher.refusal?.().catch(() => null);
  if (refused) throw new BridgeError('engine_not_running', refused);
  const started = await options.launcher.launch().catch(() => false);
  if (!started) throw notRunning();
  options.log('Gatehouse is not running; starting the Gatehouse app…');
  const deadline = now() + (options.startWaitMs ?? START_WAIT_MS);
  while (now() < deadline) {
    await sleep(POLL_MS);
    const url = await probe(options);
    if (url) return url;
  }
  throw notRunning();
}

/** The MCP URL named by --url or the engine record, if something answers there. */
async function probe(options: EngineEndpointOptions): Promise<URL | undefined> {
  const url = options.url ? new URL(options.url) : recordedUrl(options.dataDir);
  if (!url) return undefined;
  try {
    // The server's root, not /mcp: an unauthenticated /mcp request would be audited as refused.
    const response = await options.fetch(new URL('/', url), {
      signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
    });
    await response.body?.cancel();
    return url;
  } catch {
    return undefined;
  }
}

function recordedUrl(dataDir: string): URL | undefined {
  const found = readEngineRecord(dataDir);
  return found.state === 'alive' ? new URL(`http://127.0.0.1:${found.record.port}/mcp`) : undefined;
}
