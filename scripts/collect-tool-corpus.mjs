// Collects the real half of the first-sight corpus (test/fixtures/first-sight/real-definitions.json):
// starts popular MCP servers from npm with dummy credentials and records what they list — tools,
// prompts, resources, templates, instructions — with each package's name and version.
//
//   mkdir /tmp/corpus && cd /tmp/corpus && npm init -y && npm install --ignore-scripts <packages below> @modelcontextprotocol/sdk
//   node scripts/collect-tool-corpus.mjs /tmp/corpus && npx prettier --write test/fixtures/first-sight/
//
// The packages are installed outside the repository; nothing here runs on CI.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(process.argv[2] ?? '/tmp/fs-corpus');
const out = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  'test',
  'fixtures',
  'first-sight',
  'real-definitions.json',
);
const require = createRequire(join(root, 'package.json'));
const { Client } = require('@modelcontextprotocol/sdk/client/index.js');
const { StdioClientTransport } = require('@modelcontextprotocol/sdk/client/stdio.js');

const scratch = mkdtempSync(join(tmpdir(), 'corpus-files-'));
const dummy = 'dummy-0000000000000000000000000000';

/** Each server: its package, the bin to run (default: the only one), arguments and environment. */
const SERVERS = [
  { pkg: '@modelcontextprotocol/server-everything', args: ['stdio'] },
  { pkg: '@modelcontextprotocol/server-filesystem', args: [scratch] },
  { pkg: '@modelcontextprotocol/server-memory' },
  { pkg: '@modelcontextprotocol/server-sequential-thinking' },
  { pkg: '@playwright/mcp' },
  { pkg: 'chrome-devtools-mcp' },
  { pkg: '@notionhq/notion-mcp-server', env: { NOTION_TOKEN: dummy } },
  { pkg: 'mongodb-mcp-server', env: { MDB_MCP_CONNECTION_STRING: 'mongodb://127.0.0.1:1/none' } },
  { pkg: '@supabase/mcp-server-supabase', args: ['--access-token', dummy] },
  { pkg: '@stripe/mcp', args: ['--tools=all', '--api-key=sk_test_' + dummy] },
  { pkg: '@upstash/context7-mcp' },
  { pkg: 'firecrawl-mcp', env: { FIRECRAWL_API_KEY: 'fc-' + dummy } },
  { pkg: 'exa-mcp-server', env: { EXA_API_KEY: dummy } },
  { pkg: 'tavily-mcp', env: { TAVILY_API_KEY: 'tvly-' + dummy } },
  { pkg: '@azure-devops/mcp', args: ['dummy-org'] },
  { pkg: '@modelcontextprotocol/server-github', env: { GITHUB_PERSONAL_ACCESS_TOKEN: dummy } },
  { pkg: '@modelcontextprotocol/server-puppeteer' },
  { pkg: '@modelcontextprotocol/server-brave-search', env: { BRAVE_API_KEY: dummy } },
  {
    pkg: '@modelcontextprotocol/server-slack',
    env: { SLACK_BOT_TOKEN: 'xoxb-' + dummy, SLACK_TEAM_ID: 'T000' },
  },
  { pkg: '@modelcontextprotocol/server-gitlab', env: { GITLAB_PERSONAL_ACCESS_TOKEN: dummy } },
  { pkg: '@modelcontextprotocol/server-google-maps', env: { GOOGLE_MAPS_API_KEY: dummy } },
  { pkg: '@wonderwhy-er/desktop-commander' },
  { pkg: '@heroku/mcp-server', env: { HEROKU_API_KEY: dummy } },
  { pkg: 'mcp-server-kubernetes' },
  { pkg: 'airtable-mcp-server', env: { AIRTABLE_API_KEY: 'pat' + dummy } },
  { pkg: '@neondatabase/mcp-server-neon', args: ['start', dummy] },
  { pkg: '@circleci/mcp-server-circleci', env: { CIRCLECI_TOKEN: dummy } },
  { pkg: '@mapbox/mcp-server', env: { MAPBOX_ACCESS_TOKEN: 'pk.' + dummy } },
];

function binOf(pkg, wanted) {
  // Read from node_modules directly: some packages' "exports" do not list package.json.
  const manifestPath = join(root, 'node_modules', pkg, 'package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const bins = typeof manifest.bin === 'string' ? { [manifest.name]: manifest.bin } : (manifest.bin ?? {});
  const name = wanted ?? Object.keys(bins)[0];
  return { version: manifest.version, script: join(dirname(manifestPath), bins[name]) };
}

async function list(client, method, key) {
  const items = [];
  let cursor;
  for (let i = 0; i < 50; i++) {
    const page = await client[method](cursor ? { cursor } : undefined).catch(() => undefined);
    if (!page) break;
    items.push(...page[key]);
    cursor = page.nextCursor;
    if (!cursor) break;
  }
  return items;
}

const servers = [];
for (const spec of SERVERS) {
  let bin;
  try {
    bin = binOf(spec.pkg, spec.bin);
  } catch (error) {
    console.error(`${spec.pkg}: not installed (${error.message})`);
    continue;
  }
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [bin.script, ...(spec.args ?? [])],
    env: { PATH: process.env.PATH, HOME: scratch, ...(spec.env ?? {}) },
    cwd: scratch,
    stderr: 'ignore',
  });
  const client = new Client({ name: 'gatehouse-corpus', version: '1.0.0' });
  try {
    await Promise.race([
      client.connect(transport),
      new Promise((_, reject) => setTimeout(() => reject(new Error('timed out')), 30_000)),
    ]);
    const caps = client.getServerCapabilities() ?? {};
    const entry = {
      package: spec.pkg,
      version: bin.version,
      instructions: client.getInstructions() ?? null,
      tools: caps.tools ? await list(client, 'listTools', 'tools') : [],
      prompts: caps.prompts ? await list(client, 'listPrompts', 'prompts') : [],
      resources: caps.resources ? await list(client, 'listResources', 'resources') : [],
      resourceTemplates: caps.resources
        ? await list(client, 'listResourceTemplates', 'resourceTemplates')
        : [],
    };
    if (entry.tools.length + entry.prompts.length + entry.resources.length > 0) servers.push(entry);
    console.error(`${spec.pkg}@${bin.version}: ${entry.tools.length} tools, ${entry.prompts.length} prompts`);
  } catch (error) {
    console.error(`${spec.pkg}: did not start (${error.message})`);
  } finally {
    await client.close().catch(() => undefined);
  }
}
writeFileSync(
  out,
  JSON.stringify({ collectedWith: 'scripts/collect-tool-corpus.mjs', servers }, null, 1) + '\n',
);
console.error(
  `${servers.reduce((n, s) => n + s.tools.length, 0)} tools from ${servers.length} servers → ${out}`,
);
process.exit(0);
