// What first sight may hold of the large-listing fixture's tools (test/fixtures/large-listing-server.mjs),
// for the tests that list them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scanDefinition } from '../../main/core/policy/first-sight.js';
import { FIXTURES } from './paths.js';

/**
 * The tools a listing's held names may come from: the three poisoned ones, and each real tool of the
 * corpus the listing is made of that first sight holds on its own (a vendor telling the model to avoid
 * other tools, say).
 */
export const LARGE_LISTING_HELD_NAMES: ReadonlySet<string> = new Set([
  'add',
  'convert',
  'translate',
  ...(
    JSON.parse(readFileSync(join(FIXTURES, 'first-sight', 'real-definitions.json'), 'utf8')) as {
      servers: Array<{ tools: Array<{ name: string }> }>;
    }
  ).servers
    .flatMap((server) => server.tools)
    .filter((tool) => scanDefinition('tool', tool).length > 0)
    .map((tool) => tool.name),
]);
