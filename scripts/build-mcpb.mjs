// Builds dist/gatehouse-bridge.mcpb: an MCP Bundle (the MCPB format of github.com/anthropics/mcpb,
// manifest 0.3) that installs `gatehouse bridge` into Claude Desktop in one click. esbuild bundles the
// bridge and its dependencies into one file that runs on the Node Claude Desktop brings; the official
// mcpb packer then validates the manifest against its schema and writes the zip.
//
//   node scripts/build-mcpb.mjs [--out FILE]      (npm run mcpb)
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { packExtension, validateManifest } from '@anthropic-ai/mcpb';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { out: { type: 'string' } }, strict: true });
const output = resolve(values.out ?? join(root, 'dist', 'gatehouse-bridge.mcpb'));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const entry = 'server/gatehouse-bridge.mjs';
const icon = join(root, 'build', 'icon.png');
const say = (line) => console.error(`build-mcpb: ${line}`);

const staging = mkdtempSync(join(tmpdir(), 'gatehouse-mcpb-'));
try {
  mkdirSync(join(staging, 'server'));
  await build({
    entryPoints: [join(root, 'main', 'bridge', 'main.ts')],
    outfile: join(staging, entry),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    define: { __GATEHOUSE_VERSION__: JSON.stringify(pkg.version) },
    // A dependency that still calls require() gets Node's, as it would unbundled.
    banner: {
      js: "import { createRequire as __gatehouseRequire } from 'node:module';\nconst require = __gatehouseRequire(import.meta.url);",
    },
    legalComments: 'eof',
    logLevel: 'warning',
  });

  const hasIcon = existsSync(icon);
  if (hasIcon) copyFileSync(icon, join(staging, 'icon.png'));
  else say(`no ${relative(root, icon)}: the bundle has no icon`);

  const manifest = {
    manifest_version: '0.3',
    name: 'gatehouse-bridge',
    display_name: 'Gatehouse',
    version: pkg.version,
    description: 'Your MCP connectors through Gatehouse, with the access you approve in Gatehouse.',
    long_description: [
      'Connects Claude Desktop to Gatehouse, the desktop gate between AI clients and MCP connectors.',
      'The first time it starts, approve the request in Gatehouse (the window, the tray or',
      '`gatehouse consents approve`) after checking that the match code in Claude’s server log is the',
      'same. Gatehouse must be running; revoke access there at any time.',
    ].join(' '),
    author: { name: 'Gatehouse' },
    license: pkg.license,
    ...(hasIcon ? { icon: 'icon.png' } : {}),
    server: {
      type: 'node',
      entry_point: entry,
      mcp_config: {
        command: 'node',
        // The bundle is Claude Desktop's: its marker lets "Connect a client" see it connected.
        args: [`\${__dirname}/${entry}`, '--client', 'claude-desktop'],
        env: {
          GATEHOUSE_DATA_DIR: '${user_config.data_dir}',
          GATEHOUSE_BRIDGE_URL: '${user_config.gatehouse_url}',
        },
      },
    },
    // The tools are the user's connectors, whatever Gatehouse grants: only known at run time.
    tools_generated: true,
    prompts_generated: true,
    keywords: ['gatehouse', 'mcp', 'gateway', 'oauth', 'connectors'],
    compatibility: {
      platforms: ['darwin', 'win32', 'linux'],
      runtimes: { node: '>=20.0.0' },
    },
    user_config: {
      data_dir: {
        type: 'directory',
        title: 'Gatehouse data folder',
        description:
          'Only if Gatehouse keeps its data somewhere other than its usual folder. Leave empty to find the running app.',
        required: false,
      },
      gatehouse_url: {
        type: 'string',
        title: 'Gatehouse MCP URL',
        description:
          'Only to reach Gatehouse at a fixed address, like http://127.0.0.1:7777/mcp. Leave empty otherwise.',
        required: false,
      },
    },
  };
  const manifestPath = join(staging, 'manifest.json');
  writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  if (!validateManifest(manifestPath))
    throw new Error('the manifest does not follow the MCPB schema (see above)');

  mkdirSync(dirname(output), { recursive: true });
  rmSync(output, { force: true });
  if (!(await packExtension({ extensionPath: staging, outputPath: output, silent: true }))) {
    throw new Error('mcpb could not pack the bundle');
  }
  say(`wrote ${relative(process.cwd(), output) || output}`);
} catch (error) {
  say(`failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  rmSync(staging, { recursive: true, force: true });
}
