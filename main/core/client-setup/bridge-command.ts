// The command line a stdio-only client (Claude Desktop) runs to reach Gatehouse: this Node and the
// `gatehouse` launcher of this install, with `bridge --data-dir <dir>`. The desktop app passes its
// own (its executable differs); this default serves the npm install and a source checkout.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BridgeCommand } from './client-formats.js';

/** bin/gatehouse.mjs above this module: in the source tree and in dist/ alike. */
function gatehouseLauncher(from: string = dirname(fileURLToPath(import.meta.url))): string | null {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'bin', 'gatehouse.mjs');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return null;
  }
}

/**
 * How Claude Desktop starts `gatehouse bridge` for this npm install or checkout, for the data directory
 * `dataDir`.
 */
export function defaultBridgeCommand(dataDir: string): BridgeCommand {
  const launcher = gatehouseLauncher();
  // Without a launcher beside us, trust `gatehouse` on PATH (a global npm install).
  return launcher
    ? { command: process.execPath, args: [launcher, 'bridge', '--data-dir', dataDir] }
    : { command: 'gatehouse', args: ['bridge', '--data-dir', dataDir] };
}
