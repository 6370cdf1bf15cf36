// Gatehouse's version, read from its own package.json. Found by walking up from this file, so it
// holds whether this runs from the TypeScript sources (tests) or from dist/ (the built CLI).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Gatehouse's version from the package.json found walking up from `from` (this file by default). */
export function gatehouseVersion(from: string = import.meta.url): string {
  let dir = dirname(fileURLToPath(from));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name?: unknown;
        version?: unknown;
      };
      if (pkg.name === 'gatehouse' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      /* no package.json here, or not JSON: keep climbing */
    }
    const parent = dirname(dir);
    // Reaching the root means an unusual install; the version is informational, so don't fail for it.
    if (parent === dir) return 'unknown';
    dir = parent;
  }
}
