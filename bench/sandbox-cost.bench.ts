// What the sandbox costs a local server: the start of server-everything as a connector (add → connected)
// and an echo call through Gatehouse, sandboxed (bubblewrap) and unsandboxed, on one `gatehouse serve`.
// Like with like: the same command (node on server-everything's own file, no npx and so no package
// cache), a warm-up pair not counted, then pairs in alternating order so the machine's load and
// whatever the first of a pair pays fall on both alike; medians.
import { median, nowMs, type Benchmark } from './harness.js';
import {
  authorize,
  echo,
  everything,
  gatehouseWithEverything,
  httpClient,
  load,
  withCleanup,
  type Gatehouse,
} from './gateway-support.js';

const STARTS = 8;
const CALLS = 300;

async function startMs(gatehouse: Gatehouse, name: string, sandboxed: boolean): Promise<number> {
  const started = nowMs();
  await gatehouse.api.call('connectors.add', {
    name,
    settings: {
      kind: 'stdio',
      ...everything,
      sandbox: { enabled: sandboxed, folders: [], allowedDomains: null },
    },
  });
  while ((await gatehouse.api.call('connectors.get', { name })).status.connection !== 'connected') {
    if (nowMs() - started > 60_000) throw new Error(`${name} did not connect`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const ms = nowMs() - started;
  await gatehouse.api.call('connectors.remove', { name });
  return ms;
}

export const sandboxCost: Benchmark = {
  id: 'sandbox-cost',
  async run() {
    return withCleanup(async (defer) => {
      const setting = load();
      // `everything` (sandboxed, the default) is there for the calls; `plain` beside it unsandboxed.
      const gatehouse = await gatehouseWithEverything();
      defer(gatehouse.stop);
      const starts = { sandboxed: [] as number[], plain: [] as number[] };
      await startMs(gatehouse, 'warm-s', true);
      await startMs(gatehouse, 'warm-p', false);
      for (let i = 0; i < STARTS; i++) {
        const order = i % 2 === 0 ? ([true, false] as const) : ([false, true] as const);
        for (const sandboxed of order) {
          const ms = await startMs(gatehouse, `${sandboxed ? 's' : 'p'}${i}`, sandboxed);
          (sandboxed ? starts.sandboxed : starts.plain).push(ms);
        }
      }
      await gatehouse.api.call('connectors.add', {
        name: 'plain',
        settings: {
          kind: 'stdio',
          ...everything,
          sandbox: { enabled: false, folders: [], allowedDomains: null },
        },
      });
      while (
        (await gatehouse.api.call('connectors.get', { name: 'plain' })).status.connection !== 'connected'
      ) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await gatehouse.api.call('tools.set', { connector: 'plain', tool: 'echo', approval: 'never' });
      const token = await authorize(gatehouse, 'bench sandbox', 'write');
      const client = await httpClient(gatehouse.engine.mcpUrl, token);
      defer(() => client.close());
      const calls = { sandboxed: [] as number[], plain: [] as number[] };
      for (let i = 0; i < 20; i++) await echo(client, 'everything__echo');
      for (let i = 0; i < CALLS; i++) {
        for (const [tool, into] of [
          ['everything__echo', calls.sandboxed],
          ['plain__echo', calls.plain],
        ] as const) {
          const started = nowMs();
          await echo(client, tool);
          into.push(nowMs() - started);
        }
      }
      const startDelta = median(starts.sandboxed) - median(starts.plain);
      return {
        title: 'Sandbox cost (sandbox-cost)',
        description:
          `server-everything as a stdio connector through a real \`gatehouse serve\`, in bubblewrap and without: ` +
          `median of ${STARTS} starts each after a warm-up pair (connectors.add until connected, in alternating order; ` +
          `the same node command, no npx) and of ${CALLS} echo calls each ` +
          `(alternating, one HTTP client). ${setting}.`,
        measurements: [
          { name: 'start, sandboxed', value: median(starts.sandboxed), unit: 'ms' },
          { name: 'start, unsandboxed', value: median(starts.plain), unit: 'ms' },
          {
            name: 'start, added by the sandbox',
            value: startDelta,
            unit: 'ms',
            target: { op: '<', value: 150 },
          },
          { name: 'echo call, sandboxed', value: median(calls.sandboxed), unit: 'ms' },
          { name: 'echo call, unsandboxed', value: median(calls.plain), unit: 'ms' },
        ],
      };
    });
  },
};
