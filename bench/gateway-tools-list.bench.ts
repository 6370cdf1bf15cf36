// Gatehouse's aggregated tools/list over 50 connectors × 100 tools, from a real `gatehouse serve`.
import { initializeMessage, mcpPost } from '../test/support/raw-oauth.js';
import { median, nowMs, percentile, type Benchmark } from './harness.js';
import {
  addConnectors,
  authorize,
  httpClient,
  load,
  manyToolsServer,
  startGatehouse,
  withCleanup,
} from './gateway-support.js';

// ---- 3. Aggregated tools/list over 50 connectors × 100 tools ------------------------------------------

const CONNECTORS = 50;
const TOOLS_EACH = 100;
const LISTS = 50;
const LIST_WARMUP = 5;
const LIST_BUDGET_MS = 30_000;

export const gatewayToolsList: Benchmark = {
  id: 'gateway-tools-list',
  run: () =>
    withCleanup(async (defer) => {
      const machine = load();
      const gatehouse = await startGatehouse();
      defer(gatehouse.stop);
      const startedAt = nowMs();
      const names = Array.from({ length: CONNECTORS }, (_, i) => `m${String(i).padStart(2, '0')}`);
      await addConnectors(
        gatehouse,
        names.map((name) => ({
          name,
          command: process.execPath,
          args: [manyToolsServer, String(TOOLS_EACH), name],
        })),
      );
      const connectedSeconds = (nowMs() - startedAt) / 1000;
      const token = await authorize(gatehouse, 'bench lister', 'read');
      const expected = CONNECTORS * TOOLS_EACH;
      const fixtureTools = (tools: Array<{ name: string }>) =>
        tools.filter((tool) => /^m\d\d__m\d\d_\d{3}$/.test(tool.name)).length;

      // The SDK client: what an MCP client sees, including its own parsing and validation.
      const client = await httpClient(gatehouse.engine.mcpUrl, token);
      defer(() => client.close());
      const seen = fixtureTools((await client.listTools()).tools);
      if (seen !== expected) throw new Error(`the client saw ${seen} of the ${expected} tools`);

      // Raw HTTP on a session of its own: Gatehouse's answer alone, from request to last byte.
      const init = await mcpPost(gatehouse.engine, token, initializeMessage);
      const session = { 'mcp-session-id': init.sessionId!, 'mcp-protocol-version': '2025-11-25' };
      await mcpPost(
        gatehouse.engine,
        token,
        { jsonrpc: '2.0', method: 'notifications/initialized' },
        '/mcp',
        session,
      );
      const list = () =>
        mcpPost(gatehouse.engine, token, { jsonrpc: '2.0', id: 2, method: 'tools/list' }, '/mcp', session);
      const first = await list();
      const bytes = Buffer.byteLength(first.body);
      const rawSeen = (first.body.match(/"name":"m\d\d__m\d\d_\d{3}"/g) ?? []).length;
      if (first.status !== 200 || rawSeen !== expected)
        throw new Error(`raw tools/list answered ${first.status} with ${rawSeen} of the ${expected} tools`);

      const raw: number[] = [];
      const sdk: number[] = [];
      for (let i = 0; i < LIST_WARMUP; i++) {
        await list();
        await client.listTools();
      }
      // Bounded in time as well as in count: a slow listing must not stretch the run by minutes.
      const deadline = nowMs() + LIST_BUDGET_MS;
      for (let i = 0; i < LISTS && (i < 5 || nowMs() < deadline); i++) {
        let start = nowMs();
        await list();
        raw.push(nowMs() - start);
        start = nowMs();
        await client.listTools();
        sdk.push(nowMs() - start);
      }
      return {
        title: 'Gateway: aggregated tools/list over 5,000 tools',
        description: `${CONNECTORS} stdio connectors, each bench/fixtures/many-tools-server.mjs (the SDK's McpServer) with ${TOOLS_EACH} read-only tools, started at most 4 at a time until all were connected (${connectedSeconds.toFixed(1)} s); a client with a read grant lists all ${expected.toLocaleString('en')} tools (${(bytes / 1024 / 1024).toFixed(1)} MB of JSON) on /mcp, ${raw.length} times each way after ${LIST_WARMUP} warm-up lists (${LISTS}, or fewer when ${LIST_BUDGET_MS / 1000} s run out). "Raw HTTP" is a POST from request to the last byte of the answer; "SDK client" is \`client.listTools()\`, which adds the client's own JSON parsing and schema validation; ${machine}.`,
        measurements: [
          { name: 'raw HTTP, median', value: median(raw), unit: 'ms', target: { op: '<', value: 20 } },
          { name: 'raw HTTP, p99', value: percentile(raw, 99), unit: 'ms' },
          { name: 'SDK client listTools(), median', value: median(sdk), unit: 'ms' },
          { name: 'SDK client listTools(), p99', value: percentile(sdk, 99), unit: 'ms' },
        ],
      };
    }),
};
