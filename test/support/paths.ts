// Where the tests find the repository's own files, named once so that a test's place in test/ never
// decides what its paths point at.
import { join } from 'node:path';
import { readCorpus } from '../../bench/first-sight-corpus.bench.js';

/** The repository's root folder. */
export const REPO_ROOT = join(import.meta.dirname, '..', '..');

/** test/fixtures: the small servers and documents the tests run against. */
export const FIXTURES = join(REPO_ROOT, 'test', 'fixtures');

/** The path of one file in test/fixtures. */
export const fixture = (name: string): string => join(FIXTURES, name);

/**
 * One half of a first-sight corpus (test/fixtures/first-sight/FOLDER/HALF.json, docs/first-sight-corpus.md), read
 * as the benchmarks read it, typed as the test that reads it needs.
 */
export function corpusItems<T>(folder: string, half: 'poisoned' | 'real'): T[] {
  const corpus = readCorpus(join(FIXTURES, 'first-sight', folder));
  if (!corpus) throw new Error(`test/fixtures/first-sight/${folder} holds no corpus`);
  return corpus[half] as T[];
}
