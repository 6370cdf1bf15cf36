// Where the tests find the repository's own files, named once so that a test's place in test/ never
// decides what its paths point at.
import { join } from 'node:path';

/** The repository's root folder. */
export const REPO_ROOT = join(import.meta.dirname, '..', '..');

/** test/fixtures: the small servers and documents the tests run against. */
export const FIXTURES = join(REPO_ROOT, 'test', 'fixtures');

/** The path of one file in test/fixtures. */
export const fixture = (name: string): string => join(FIXTURES, name);
