// `gatehouse bridge`: the command a stdio-only MCP client (Claude Desktop) runs to reach Gatehouse.
// stdout belongs to the MCP messages from here on; everything for the user goes to stderr.
import { desktopAppLauncher } from '../../bridge/app-launcher.js';
import { DEFAULT_BRIDGE_NAME, clientNameFor } from '../../bridge/bridge-name.js';
import { setupClient } from '../../core/api/client-setup-contract.js';
import { UsageError, type Command } from '../command-context/command.js';
import { gatehouseVersion } from '../../core/package-version.js';

/** `gatehouse bridge`: runs the stdio bridge (main/bridge/) on stdin/stdout for Claude Desktop. */
export const bridgeCommand: Command = {
  words: ['bridge'],
  options: { name: { type: 'string' }, url: { type: 'string' }, client: { type: 'string' } },
  usage: '[--name NAME] [--url URL] [--client APP]',
  summary: 'Connect a stdio MCP client such as Claude Desktop to Gatehouse (MCP on stdin/stdout)',
  details: [
    `--name NAME  the client's name in Gatehouse (default: ${DEFAULT_BRIDGE_NAME}, shown as "${clientNameFor(DEFAULT_BRIDGE_NAME)}")`,
    "--url URL    Gatehouse's MCP URL (default: the running app found through --data-dir)",
    `--client APP the app that runs this bridge (${setupClient.options.join(', ')}), as the entry Gatehouse writes says: how Connect a client knows it is connected`,
    'The first time, approve the request in Gatehouse; the match code is printed on stderr.',
  ],
  async run(context) {
    const url = context.option('url');
    if (url !== undefined && !/^https?:\/\/[^/]/i.test(url)) {
      throw new UsageError(
        `--url must be Gatehouse's MCP URL, like http://127.0.0.1:7777/mcp (got "${url}").`,
      );
    }
    const name = context.option('name')?.trim() || DEFAULT_BRIDGE_NAME;
    const client = context.option('client');
    if (client !== undefined && !setupClient.safeParse(client).success) {
      throw new UsageError(`--client must be one of ${setupClient.options.join(', ')} (got "${client}").`);
    }
    // Loaded here, not with the command table: the bridge brings the SDK client, which no other
    // command (the engine included, until a connector starts) needs.
    const { runBridge } = await import('../../bridge/bridge.js');
    await runBridge({
      dataDir: context.dataDir,
      name,
      ...(url ? { url } : {}),
      ...(client ? { setupClient: setupClient.parse(client) } : {}),
      version: gatehouseVersion(),
      input: context.io.stdin?.() ?? process.stdin,
      output: context.io.stdout,
      log: (line) => context.io.stderr(`gatehouse bridge: ${line}\n`),
      launcher: desktopAppLauncher({
        env: context.io.env ?? process.env,
        ...(context.io.desktopApp ? { desktopApp: context.io.desktopApp } : {}),
      }),
    });
  },
};
