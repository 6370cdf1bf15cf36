// `gatehouse bridge`: a stdio MCP server for clients that only launch local servers (Claude Desktop),
// relaying every message unchanged to Gatehouse's MCP endpoint. It authorizes like any other client —
// the user approves it in Gatehouse — and keeps its tokens in the data directory. When it cannot
// connect it stays up and answers each request with the reason, so the client shows the user why.
import type { Readable } from 'node:stream';
import { noAppLauncher, type AppLauncher } from './app-launcher.js';
import { authorizedFetch, BridgeAuthorization } from './bridge-authorization.js';
import { describeFailure, isConnectionFailure, notRunning } from './bridge-error.js';
import { locateEngine, type EngineEndpointOptions } from './engine-endpoint.js';
import { clientNameFor } from './bridge-name.js';
import { HttpRelay } from './http-relay.js';
import { isRequest, readLines } from './stdio-channel.js';
import { TokenFile } from './token-file.js';
import { SETUP_MARKER_HEADER, type SetupClientName } from '../core/api/client-setup-contract.js';
import { jsonRpcError, JsonRpcCode } from '../core/json-rpc-errors.js';

type Fetch = typeof globalThis.fetch;

/**
 * What `gatehouse bridge` runs with: the data directory, its name, where Gatehouse is, and the stdio
 * streams.
 */
export interface BridgeOptions {
  dataDir: string;
  /** Which client this bridge serves: names its registration in Gatehouse and its token file. */
  name: string;
  /** Gatehouse's MCP URL; found through the data directory's engine record when absent. */
  url?: string;
  /** The app that runs this bridge from the entry Gatehouse wrote (`--client`): sent as its marker. */
  setupClient?: SetupClientName;
  version: string;
  input: Readable;
  /** Writes MCP messages (stdout, nothing else). */
  output(text: string): void;
  /** One line for the user (stderr). */
  log(line: string): void;
  launcher?: AppLauncher;
  fetch?: Fetch;
  startWaitMs?: number;
  consentWaitMs?: number;
}

/** Runs until the client closes stdin. */
export async function runBridge(options: BridgeOptions): Promise<void> {
  const fetch = withMarker(options.fetch ?? globalThis.fetch.bind(globalThis), options.setupClient);
  const deliver = (message: unknown): void => options.output(`${JSON.stringify(message)}\n`);
  const endpoint: EngineEndpointOptions = {
    dataDir: options.dataDir,
    ...(options.url ? { url: options.url } : {}),
    launcher: options.launcher ?? noAppLauncher,
    fetch,
    log: options.log,
    ...(options.startWaitMs !== undefined ? { startWaitMs: options.startWaitMs } : {}),
  };
  let relay: HttpRelay | undefined;
  // Connecting starts at once, not at the client's first message: a consent the user must give in
  // Gatehouse is then already waiting when the client asks.
  const ready = (async () => {
    const url = await locateEngine(endpoint);
    const authorization = new BridgeAuthorization({
      mcpUrl: url,
      clientName: clientNameFor(options.name),
      tokenFile: new TokenFile(options.dataDir, options.name),
      fetch,
      log: options.log,
      version: options.version,
      ...(options.consentWaitMs !== undefined ? { consentWaitMs: options.consentWaitMs } : {}),
    });
    try {
      await authorization.accessToken();
    } catch (error) {
      // Gatehouse went away between being found and answering: the same advice as never finding it.
      throw isConnectionFailure(error) ? notRunning(error) : error;
    }
    relay = new HttpRelay({
      url,
      fetch: authorizedFetch(authorization, fetch),
      deliver,
      log: options.log,
      reconnect: async () => {
        await locateEngine(endpoint);
      },
    });
    return relay;
  })();
  ready.catch((error: unknown) => options.log(describeFailure(error)));

  await readLines(
    options.input,
    (message) => {
      ready.then(
        (connected) => connected.dispatch(message),
        (error: unknown) => {
          const items = Array.isArray(message) ? (message as unknown[]) : [message];
          for (const request of items.filter(isRequest)) {
            deliver(jsonRpcError(request.id, JsonRpcCode.ServerError, describeFailure(error)));
          }
        },
      );
    },
    () =>
      deliver(
        jsonRpcError(
          null,
          JsonRpcCode.ParseError,
          'Parse error: the bridge received a line that is not JSON.',
        ),
      ),
  );
  // The client closed stdin: it is gone. A consent still waiting simply stays unanswered.
  await relay?.close();
}

/** Every request names the app this bridge runs for (SETUP_MARKER_HEADER), when it was told. */
function withMarker(fetch: Fetch, setupClient: SetupClientName | undefined): Fetch {
  if (!setupClient) return fetch;
  return (input, init) => {
    const headers = new Headers(init?.headers);
    headers.set(SETUP_MARKER_HEADER, setupClient);
    return fetch(input, { ...init, headers });
  };
}
