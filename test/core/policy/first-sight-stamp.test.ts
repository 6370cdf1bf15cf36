// Pins first sight's stamp (policy/first-sight-stamp.ts) to its sources: a record of a definition judged
// clean holds only under the stamp it was made with, so a first sight that changes without a new stamp
// would keep trusting what an older one judged. This fails, saying so, until the stamp is bumped.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIRST_SIGHT_SOURCES, FIRST_SIGHT_STAMP } from '../../../main/core/policy/first-sight-stamp.js';
import { REPO_ROOT } from '../../support/paths.js';

const POLICY = join(REPO_ROOT, 'main/core/policy');
/** Not first sight's judging: the module that loads it, and the stamp itself. */
const NOT_JUDGING = new Set(['first-sight-loader.ts', 'first-sight-stamp.ts']);

/** What first sight imports from outside its own files, which judges too (paths from policy/). */
const IMPORTED = ['../visible-text.ts', '../secrets/secret-locations.ts'];

/** first-sight.ts, first-sight-*.ts and the model file by name, then what they import from elsewhere. */
function judgingSources(): string[] {
  return [
    ...readdirSync(POLICY)
      .filter((name) => /^first-sight(-[a-z-]+)?\.(ts|json)$/.test(name) && !NOT_JUDGING.has(name))
      .sort(),
    ...IMPORTED,
  ];
}

/**
 * The sha256 of each source's name and text (line ends as LF, so a Windows checkout stamps alike), in
 * order, and of the look-alike and Chinese-script packages' versions (their tables judge too).
 */
function sourcesHash(names: readonly string[]): string {
  const hash = createHash('sha256');
  for (const name of names)
    hash
      .update(`${name}\0`)
      .update(readFileSync(join(POLICY, name), 'utf8').replace(/\r\n/g, '\n'))
      .update('\0');
  for (const table of ['unhomoglyph', 'opencc-js']) {
    const { version } = JSON.parse(
      readFileSync(join(REPO_ROOT, 'node_modules', table, 'package.json'), 'utf8'),
    ) as { version: string };
    hash.update(`${table}@${version}`);
  }
  return hash.digest('hex');
}

describe("first sight's stamp", () => {
  it('covers the scanner, its rules and its model, not the loader', () => {
    const names = judgingSources();
    expect(names).toContain('first-sight.ts');
    expect(names).toContain('first-sight-model.json');
    expect(names).toContain('first-sight-judging.ts');
    expect(names).not.toContain('first-sight-loader.ts');
    // Every module outside policy/ that first sight imports is hashed too.
    const imported = new Set<string>();
    for (const name of names.filter((one) => one.startsWith('first-sight') && one.endsWith('.ts')))
      for (const [, path] of readFileSync(join(POLICY, name), 'utf8').matchAll(/from '(\.\.\/[^']+)\.js'/g))
        imported.add(`${path}.ts`);
    expect([...imported].sort()).toEqual([...IMPORTED].sort());
  });

  it('was bumped for the first sight in the tree', () => {
    const now = sourcesHash(judgingSources());
    expect(
      FIRST_SIGHT_SOURCES,
      `first sight changed (its rules or its model): bump the stamp in main/core/policy/first-sight-stamp.ts (FIRST_SIGHT_VERSION + 1, FIRST_SIGHT_SOURCES = '${now}'), or clean records made by the older first sight would still be trusted`,
    ).toBe(now);
    expect(FIRST_SIGHT_STAMP.endsWith(`/${now}`)).toBe(true);
  });
});
