// Vitest global setup: compile the project once (incremental) so tests that spawn the real
// `gatehouse` process run the current code. Type errors do not stop the run — tsc still emits, and
// `npm run typecheck` / `npm run build` are where they fail CI — but they are printed.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

export default function setup(): void {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { encoding: 'utf8' });
  if (result.status !== 0) {
    process.stderr.write(
      `build-once: tsc reported errors (tests run on what it emitted):\n${result.stdout}${result.stderr}\n`,
    );
  }
}
