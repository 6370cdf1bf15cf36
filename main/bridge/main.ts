// Entry point of the bridge on its own — the server inside Gatehouse's MCP Bundle (.mcpb), which
// Claude Desktop runs with its own Node: `node gatehouse-bridge.mjs [--data-dir DIR] [--name NAME]
// [--url URL] [--client APP]`. The same bridge as `gatehouse bridge`, without the rest of the command line.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { defaultDataDir } from '../core/engine/headless.js';
import { gatehouseVersion } from '../core/package-version.js';
import { desktopAppLauncher } from './app-launcher.js';
import { runBridge } from './bridge.js';
import { DEFAULT_BRIDGE_NAME } from './bridge-name.js';
import { setupClient } from '../core/api/client-setup-contract.js';
import { endCliRunOnFailure } from '../core/run-failures.js';

/** Set by the bundle build; absent when this runs from dist/. */
declare const __GATEHOUSE_VERSION__: string | undefined;

const USAGE = `gatehouse-bridge: connects a stdio MCP client (Claude Desktop) to Gatehouse

Usage: gatehouse-bridge [--data-dir DIR] [--name NAME] [--url URL] [--client APP]
  --data-dir DIR  Gatehouse's data directory, where the running app's engine record is
                  (default: $GATEHOUSE_DATA_DIR or the app's folder)
  --name NAME     the client's name in Gatehouse (default: ${DEFAULT_BRIDGE_NAME})
  --url URL       Gatehouse's MCP URL (default: found through the data directory)
  --client APP    the app that runs this bridge (${setupClient.options.join(', ')}): how
                  Gatehouse's "Connect a client" knows it is connected

stdin/stdout carry MCP messages; messages for you go to stderr.
`;

// The client closing its end of stdout is the bridge's normal end; anything uncaught is said on stderr.
endCliRunOnFailure(
  process,
  { stdout: process.stdout, stderr: process.stderr },
  (code) => process.exit(code),
  'gatehouse-bridge',
);

// An MCP Bundle passes optional settings the user left empty as "" or, in some clients, as the
// unexpanded "${user_config.…}" placeholder: both mean "not set".
const setting = (value: string | undefined): string | undefined =>
  value === undefined || value.trim() === '' || /^\$\{.*\}$/.test(value.trim()) ? undefined : value;

const env = { ...process.env };
if (!setting(env.GATEHOUSE_DATA_DIR)) delete env.GATEHOUSE_DATA_DIR;

let values: {
  'data-dir'?: string;
  name?: string;
  url?: string;
  client?: string;
  help?: boolean;
  version?: boolean;
};
try {
  ({ values } = parseArgs({
    options: {
      'data-dir': { type: 'string' },
      name: { type: 'string' },
      url: { type: 'string' },
      client: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean' },
    },
    strict: true,
  }));
} catch (error) {
  process.stderr.write(`gatehouse-bridge: ${(error as Error).message}\n${USAGE}`);
  process.exit(2);
}
const client = setupClient.safeParse(values.client);
if (values.client !== undefined && !client.success) {
  process.stderr.write(
    `gatehouse-bridge: --client must be one of ${setupClient.options.join(', ')} (got "${values.client}")\n`,
  );
  process.exit(2);
}

const version = typeof __GATEHOUSE_VERSION__ === 'string' ? __GATEHOUSE_VERSION__ : gatehouseVersion();
if (values.help) {
  process.stdout.write(USAGE);
} else if (values.version) {
  process.stdout.write(`${version}\n`);
} else {
  const url = setting(values.url) ?? setting(env.GATEHOUSE_BRIDGE_URL);
  await runBridge({
    dataDir: resolve(setting(values['data-dir']) ?? defaultDataDir(env)),
    name: setting(values.name) ?? DEFAULT_BRIDGE_NAME,
    ...(url ? { url } : {}),
    ...(client.success ? { setupClient: client.data } : {}),
    version,
    input: process.stdin,
    output: (text) => void process.stdout.write(text),
    log: (line) => void process.stderr.write(`gatehouse bridge: ${line}\n`),
    launcher: desktopAppLauncher({ env }),
  });
  // stdin has closed; don't let a pending consent wait or a keep-alive socket hold the process.
  setTimeout(() => process.exit(0), 500).unref();
}
