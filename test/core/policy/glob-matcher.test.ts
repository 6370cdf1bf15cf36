// Rule globs: `*` and `?` only, anchored, and a hostile subject cannot make the match backtrack.
import { describe, expect, it } from 'vitest';
import { GlobMatcher } from '../../../main/core/policy/glob-matcher.js';

describe('GlobMatcher', () => {
  const cases: Array<[glob: string, value: string, matches: boolean]> = [
    ['*', '', true],
    ['*', 'anything at all', true],
    ['?', '', false],
    ['?', '😀', true],
    ['a*b', 'ab', true],
    ['a*b', 'axxxb', true],
    ['a*b', 'axxxbc', false],
    ['a*b*c', 'abbbc', true],
    ['*.md', 'notes.md', true],
    ['*.md', 'notes.mdx', false],
    ['write_file', 'write_file', true],
    ['write_file', 'write_file2', false],
    ['write_file', 'rewrite_file', false],
    ['a.b', 'axb', false],
    ['(x)+', '(x)+', true],
  ];
  it.each(cases)('%s on %j: %s', (glob, value, matches) => {
    expect(new GlobMatcher(glob, false).test(value)).toBe(matches);
  });

  it('stays fast on many stars against a long near miss', () => {
    const glob = new GlobMatcher(`${'*a'.repeat(50)}b`, false);
    const started = performance.now();
    expect(glob.test('a'.repeat(100_000))).toBe(false);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
