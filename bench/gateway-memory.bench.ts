// Gatehouse's heap and resident memory over 100,000 calls, read through the inspector of a real
// `gatehouse serve` after forced garbage collections.
import { nowMs, type Benchmark, type Measurement } from './harness.js';
import {
  authorize,
  echo,
  ECHO,
  gatehouseWithEverything,
  httpClient,
  load,
  withCleanup,
} from './gateway-support.js';
import { inspectorSession, residentMb } from './processes.js';

// ---- 4. Memory over 100,000 calls ---------------------------------------------------------------------

const TOTAL_CALLS = 100_000;
const CHECKPOINTS = [10_000, 50_000, 100_000];

export const gatewayMemory: Benchmark = {
  id: 'gateway-memory',
  run: () =>
    withCleanup(async (defer) => {
      const machine = load();
      // The engine runs with --inspect so that a GC can be forced in it before each reading.
      const gatehouse = await gatehouseWithEverything({ inspect: true });
      defer(gatehouse.stop);
      const inspector = await inspectorSession(gatehouse.inspectorUrl!);
      defer(async () => inspector.close());
      // Two clients, alternating: each token stays under the highest per-minute limit (100,000).
      const clients = [
        await httpClient(gatehouse.engine.mcpUrl, await authorize(gatehouse, 'bench memory a', 'write')),
        await httpClient(gatehouse.engine.mcpUrl, await authorize(gatehouse, 'bench memory b', 'write')),
      ];
      for (const client of clients) defer(() => client.close());

      const readings: Array<{ calls: number; heapMb: number; rssMb: number; sessions: number }> = [];
      const read = async (calls: number) => {
        await new Promise((r) => setTimeout(r, 200)); // the audit buffer flushes every 50 ms
        await inspector.send('HeapProfiler.collectGarbage');
        await inspector.send('HeapProfiler.collectGarbage');
        const usage = (await inspector.send('Runtime.getHeapUsage')) as { usedSize: number };
        const sessions = (await gatehouse.api.call('status.get', {})).openSessions;
        readings.push({
          calls,
          heapMb: usage.usedSize / 1024 / 1024,
          rssMb: residentMb(gatehouse.process.pid),
          sessions,
        });
      };
      const start = nowMs();
      let made = 0;
      for (const checkpoint of CHECKPOINTS) {
        for (; made < checkpoint; made++) await echo(clients[made & 1]!, ECHO);
        await read(made);
      }
      const seconds = (nowMs() - start) / 1000;
      const first = readings[0]!;
      const last = readings[readings.length - 1]!;
      const auditRows = (await gatehouse.api.call('audit.list', { type: 'tool.call', limit: 1 }))[0]?.id ?? 0;
      return {
        title: 'Gateway: memory over 100,000 calls',
        description: `${TOTAL_CALLS.toLocaleString('en')} sequential \`everything__echo\` calls through \`gatehouse serve\` (run with --inspect so the benchmark can force a full GC in it over the DevTools protocol before each reading), alternating between two authorized clients; ${seconds.toFixed(0)} s in all (${Math.round(TOTAL_CALLS / seconds)} calls/s). Heap is V8's used heap after GC; resident is VmRSS. Open sessions stayed at ${readings.map((r) => r.sessions).join(' / ')}; the audit log (on disk) reached event id ${auditRows}; ${machine}. Target: under 10 MB of heap growth from 10,000 to 100,000 calls.`,
        measurements: [
          ...readings.map((r): Measurement => ({
            name: `heap after GC at ${r.calls.toLocaleString('en')} calls`,
            value: r.heapMb,
            unit: 'MB',
          })),
          {
            name: 'heap growth, 10,000 → 100,000 calls',
            value: last.heapMb - first.heapMb,
            unit: 'MB',
            target: { op: '<', value: 10 },
          },
          ...readings.map((r): Measurement => ({
            name: `resident at ${r.calls.toLocaleString('en')} calls`,
            value: r.rssMb,
            unit: 'MB',
          })),
          { name: 'resident growth, 10,000 → 100,000 calls', value: last.rssMb - first.rssMb, unit: 'MB' },
        ],
      };
    }),
};
