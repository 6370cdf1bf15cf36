// Real MCP servers from the npm registry that the tests run: their entry points, resolved from this
// repository's node_modules.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** `@modelcontextprotocol/server-everything`'s entry: `node EVERYTHING stdio` serves it over stdio. */
export const EVERYTHING = join(
  dirname(createRequire(import.meta.url).resolve('@modelcontextprotocol/server-everything/package.json')),
  'dist',
  'index.js',
);
