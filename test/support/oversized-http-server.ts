// The hostile HTTP upstream of the answer-cap tests (test/fixtures/oversized-http-server.mjs), in a
// process of its own so that what it holds is not counted as Gatehouse's, started on a free port.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { MAX_UPSTREAM_MESSAGE_BYTES } from '../../main/core/connectors/runtime/answer-cap.js';

export interface OversizedHttpServer {
  origin: string;
  /** Its MCP endpoint. */
  url: string;
  /** Asks its control endpoint (`writing`, `last-text`, `huge-listing=on`). */
  control(path: string): Promise<string>;
  stop(): void;
}

/** Starts the server, its "at the cap" answers made exactly MAX_UPSTREAM_MESSAGE_BYTES long. */
export async function startOversizedHttpServer(): Promise<OversizedHttpServer> {
  const server = spawn(
    process.execPath,
    [
      fileURLToPath(new URL('../fixtures/oversized-http-server.mjs', import.meta.url)),
      String(MAX_UPSTREAM_MESSAGE_BYTES),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const [port] = (await once(server.stdout!, 'data')) as [Buffer];
  const origin = `http://127.0.0.1:${port.toString().trim()}`;
  return {
    origin,
    url: `${origin}/mcp`,
    control: async (path) => (await fetch(`${origin}/control/${path}`)).text(),
    stop: () => void server.kill(),
  };
}
