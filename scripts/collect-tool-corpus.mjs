// Collects the real half of the first-sight tuning corpus (test/fixtures/first-sight/tuning/real.json):
// starts MCP servers from npm with dummy credentials and records what they list — tools, prompts,
// resources, templates, instructions — each item with its package's name and version, in the
// corpus format of docs/first-sight-corpus.md.
//
//   mkdir /tmp/corpus && cd /tmp/corpus && npm init -y && npm install --ignore-scripts <packages below> @modelcontextprotocol/sdk
//   node scripts/collect-tool-corpus.mjs /tmp/corpus [--exclude SERVERS.txt] && npx prettier --write test/fixtures/first-sight/tuning/
//
// `--exclude` names a held-out corpus's SERVERS.txt: a package listed there is never collected, so no
// server whose definitions are held out is tuned on. The packages are installed outside the
// repository; nothing here runs on CI.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const excludeAt = args.indexOf('--exclude');
const excluded = new Set(
  excludeAt === -1
    ? []
    : readFileSync(args.splice(excludeAt, 2)[1], 'utf8')
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean),
);
const root = resolve(args[0] ?? '/tmp/corpus');
const out = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  'test',
  'fixtures',
  'first-sight',
  'tuning',
  'real.json',
);
const require = createRequire(join(root, 'package.json'));
const { Client } = require('@modelcontextprotocol/sdk/client/index.js');
const { StdioClientTransport } = require('@modelcontextprotocol/sdk/client/stdio.js');

const scratch = mkdtempSync(join(tmpdir(), 'corpus-files-'));
const dummy = 'dummy-0000000000000000000000000000';
/** Variables many servers want before they list anything; none reaches a real service (no network). */
const COMMON_ENV = Object.fromEntries(
  [
    'API_KEY',
    'API_TOKEN',
    'ACCESS_TOKEN',
    'GITHUB_TOKEN',
    'FIGMA_API_KEY',
    'LINEAR_API_KEY',
    'TODOIST_API_TOKEN',
    'TELNYX_API_KEY',
    'REPLICATE_API_TOKEN',
    'POSTMAN_API_KEY',
    'AMAP_MAPS_API_KEY',
    'TRELLO_API_KEY',
    'TRELLO_TOKEN',
    'OBSIDIAN_API_KEY',
    'PLANE_API_KEY',
    'BROWSERSTACK_ACCESS_KEY',
    'Z_AI_API_KEY',
    'VARIFLIGHT_API_KEY',
    'BITBUCKET_TOKEN',
    'BITBUCKET_APP_PASSWORD',
    'AUTH0_TOKEN',
    'GRAFANA_API_KEY',
    'INSTANT_APP_ADMIN_TOKEN',
    'SHOPIFY_ACCESS_TOKEN',
    'APP_SECRET',
  ].map((name) => [name, dummy]),
);
const COMMON_IDS = {
  TRELLO_BOARD_ID: 'board0',
  BROWSERSTACK_USERNAME: 'nobody',
  BITBUCKET_USERNAME: 'nobody',
  BITBUCKET_WORKSPACE: 'nobody',
  PLANE_WORKSPACE_SLUG: 'nobody',
  APP_ID: 'cli_0000',
  GRAFANA_URL: 'http://127.0.0.1:1',
  SEARXNG_URL: 'http://127.0.0.1:1',
  OBSIDIAN_HOST: '127.0.0.1',
  AUTH0_DOMAIN: 'nobody.invalid',
};

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
  { pkg: '@upstash/context7-mcp' },
  { pkg: 'firecrawl-mcp', env: { FIRECRAWL_API_KEY: 'fc-' + dummy } },
  { pkg: 'exa-mcp-server', env: { EXA_API_KEY: dummy } },
  { pkg: 'tavily-mcp', env: { TAVILY_API_KEY: 'tvly-' + dummy } },
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
  { pkg: 'mcp-server-kubernetes' },
  { pkg: 'airtable-mcp-server', env: { AIRTABLE_API_KEY: 'pat' + dummy } },
  { pkg: '@circleci/mcp-server-circleci', env: { CIRCLECI_TOKEN: dummy } },
  { pkg: '@mapbox/mcp-server', env: { MAPBOX_ACCESS_TOKEN: 'pk.' + dummy } },
  { pkg: 'next-devtools-mcp' },
  { pkg: '@pandacss/mcp' },
  { pkg: '@mastra/mcp-docs-server' },
  { pkg: 'xcodebuildmcp' },
  { pkg: '@drawio/mcp' },
  { pkg: '@mobilenext/mobile-mcp' },
  { pkg: '@larksuiteoapi/lark-mcp', args: ['mcp', '-a', 'cli_0000', '-s', dummy] },
  { pkg: '@z_ai/mcp-server' },
  { pkg: 'mcp-server-code-runner' },
  { pkg: '@instantdb/mcp' },
  { pkg: '@shopify/dev-mcp' },
  { pkg: '@a-bonus/google-docs-mcp' },
  { pkg: '@piotr-agier/google-drive-mcp' },
  { pkg: '@brightdata/mcp' },
  { pkg: '@amap/amap-maps-mcp-server' },
  { pkg: '@openbnb/mcp-server-airbnb' },
  { pkg: '@postman/postman-mcp-server' },
  { pkg: '@mui/mcp' },
  { pkg: 'replicate-mcp' },
  { pkg: 'figma-console-mcp' },
  { pkg: '@cloudbase/cloudbase-mcp' },
  { pkg: 'mcp-deepwiki' },
  { pkg: 'reddit-mcp-buddy' },
  { pkg: '@nexus2520/bitbucket-mcp-server' },
  { pkg: 'notebooklm-mcp' },
  { pkg: '@agent-infra/mcp-server-filesystem', args: ['--allowed-directories', scratch] },
  { pkg: 'linear-mcp' },
  { pkg: '@sylphx/pdf-reader-mcp' },
  { pkg: 'mcp-searxng' },
  { pkg: '@browserstack/mcp-server' },
  { pkg: '@ergut/mcp-bigquery-server', args: ['--project-id', 'none'] },
  { pkg: 'howtocook-mcp' },
  { pkg: '@jpisnice/shadcn-ui-mcp-server' },
  { pkg: '@knip/mcp' },
  { pkg: '@delorenj/mcp-server-trello' },
  { pkg: 'mcp-graphql', env: { ENDPOINT: 'http://127.0.0.1:1/graphql' } },
  { pkg: 'todoist-mcp' },
  { pkg: 'telnyx-mcp' },
  { pkg: '@auth0/auth0-mcp-server', args: ['run'] },
  { pkg: 'mcp-obsidian', args: [scratch] },
  { pkg: '@leval/mcp-grafana' },
  { pkg: '@cyanheads/pubmed-mcp-server' },
  { pkg: '@variflight-ai/variflight-mcp' },
  { pkg: '@kimsungwhee/apple-docs-mcp' },
  { pkg: '@makeplane/plane-mcp-server' },
  { pkg: 'mcp-server-gsc' },
  { pkg: 'github-mcp-server' },
  { pkg: 'envmcp' },
  { pkg: 'codex-mcp-server' },
  { pkg: '@ccusage/mcp' },
  { pkg: '@sveltejs/mcp' },
  { pkg: '@remotion/mcp' },
];

function binOf(pkg, wanted) {
  // Read from node_modules directly: some packages' "exports" do not list package.json.
  const manifestPath = join(root, 'node_modules', pkg, 'package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const bins = typeof manifest.bin === 'string' ? { [manifest.name]: manifest.bin } : (manifest.bin ?? {});
  const name = wanted ?? Object.keys(bins)[0];
  if (name === undefined) throw new Error('no bin');
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

const items = [];
let servers = 0;
for (const spec of SERVERS) {
  if (excluded.has(spec.pkg)) {
    console.error(`${spec.pkg}: held out, not collected`);
    continue;
  }
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
    env: { PATH: process.env.PATH, HOME: scratch, ...COMMON_ENV, ...COMMON_IDS, ...(spec.env ?? {}) },
    cwd: scratch,
    stderr: 'ignore',
  });
  const client = new Client({ name: 'gatehouse-corpus', version: '1.0.0' });
  const server = `${spec.pkg}@${bin.version}`;
  try {
    await Promise.race([
      client.connect(transport),
      new Promise((_, reject) => setTimeout(() => reject(new Error('timed out')), 30_000)),
    ]);
    const caps = client.getServerCapabilities() ?? {};
    const found = [
      ...(caps.tools ? await list(client, 'listTools', 'tools') : []).map((d) => ['tool', d]),
      ...(caps.prompts ? await list(client, 'listPrompts', 'prompts') : []).map((d) => ['prompt', d]),
      ...(caps.resources ? await list(client, 'listResources', 'resources') : []).map((d) => ['resource', d]),
      ...(caps.resources ? await list(client, 'listResourceTemplates', 'resourceTemplates') : []).map((d) => [
        'template',
        d,
      ]),
    ];
    const instructions = client.getInstructions();
    if (instructions) found.push(['instructions', { instructions }]);
    if (found.length === 0) throw new Error('lists nothing');
    for (const [kind, definition] of found) items.push({ server, kind, definition });
    servers++;
    console.error(`${server}: ${found.length} definitions`);
  } catch (error) {
    console.error(`${spec.pkg}: did not start (${error.message})`);
  } finally {
    await client.close().catch(() => undefined);
  }
}
// A server not collected this time (not installed, or did not start) keeps what was collected before,
// unless it is held out now.
const collected = new Set(items.map((item) => item.server.slice(0, item.server.lastIndexOf('@'))));
let before = [];
try {
  before = JSON.parse(readFileSync(out, 'utf8')).items;
} catch {
  // No corpus yet.
}
const kept = before
  .filter((item) => {
    const pkg = item.server.slice(0, item.server.lastIndexOf('@'));
    return !collected.has(pkg) && !excluded.has(pkg);
  })
  .map(({ server, kind, definition }) => ({ server, kind, definition }));
const numbered = [...kept, ...items].map((item, i) => ({
  id: `r-${String(i + 1).padStart(4, '0')}`,
  ...item,
}));
writeFileSync(out, JSON.stringify({ items: numbered }, null, 1) + '\n');
console.error(
  `${items.length} definitions from ${servers} servers (${kept.length} kept from before) → ${out}`,
);
process.exit(0);
