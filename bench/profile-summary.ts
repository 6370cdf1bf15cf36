// Reads a V8 .cpuprofile (from `node --cpu-prof` or the inspector's Profiler) and sums its samples by
// module (a package, a Node internal area, one of Gatehouse's files) and by function: self time (the
// function itself on top of the stack) and inclusive time (anywhere on the stack, counted once per sample).
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
/** The parts of a .cpuprofile this reads. */
export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** One row of a summary: a module or a function, its self and inclusive milliseconds. */
export interface SummaryRow {
  key: string;
  selfMs: number;
  totalMs: number;
}

/** A profile summed up: busy time (everything but idle), and the rows by module and by function. */
export interface ProfileSummary {
  wallMs: number;
  busyMs: number;
  byModule: SummaryRow[];
  byFunction: SummaryRow[];
}

const VM_NODES = new Set(['(garbage collector)', '(program)', '(idle)', '(root)']);

/** The module a frame belongs to: `pkg:<name>`, `node:<area>`, `gatehouse:<file>`, or a VM bucket. */
export function moduleOf(frame: CallFrame, root: string): string {
  const { url, functionName } = frame;
  if (!url) return VM_NODES.has(functionName) ? functionName : '(native)';
  if (url.startsWith('node:')) {
    const parts = url.slice(5).split('/');
    return `node:${parts[0] === 'internal' ? parts.slice(1, 3).join('/').replace(/\.js$/, '') : parts[0]}`;
  }
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  const packageAt = path.lastIndexOf('/node_modules/');
  if (packageAt >= 0) {
    const rest = path.slice(packageAt + 14).split('/');
    return `pkg:${rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]}`;
  }
  return `gatehouse:${relative(root, path).replace(/^dist\//, '')}`;
}

function functionKey(frame: CallFrame, root: string): string {
  const name = frame.functionName || '(anonymous)';
  return frame.url ? `${name} ${moduleOf(frame, root)}:${frame.lineNumber + 1}` : name;
}

/** Sums a profile's samples by module and by function. */
export function summarize(profile: CpuProfile, root: string): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  // Self time per node: each sample's delta belongs to the node on top of the stack at that sample.
  const selfUs = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = profile.timeDeltas[i + 1] ?? 0;
    selfUs.set(profile.samples[i]!, (selfUs.get(profile.samples[i]!) ?? 0) + Math.max(0, delta));
  }
  const modules = new Map<string, { self: number; total: number }>();
  const functions = new Map<string, { self: number; total: number }>();
  const add = (map: typeof modules, key: string, self: number, total: number) => {
    const row = map.get(key) ?? { self: 0, total: 0 };
    row.self += self;
    row.total += total;
    map.set(key, row);
  };
  let busy = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id)!;
    if (node.callFrame.functionName === '(idle)') continue;
    busy += us;
    add(modules, moduleOf(node.callFrame, root), us, 0);
    add(functions, functionKey(node.callFrame, root), us, 0);
    // Inclusive: every module and function on this node's stack, once each however deep it recurs.
    const seenModules = new Set<string>();
    const seenFunctions = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)!.callFrame;
      if (frame.functionName === '(root)') break;
      seenModules.add(moduleOf(frame, root));
      seenFunctions.add(functionKey(frame, root));
    }
    for (const key of seenModules) add(modules, key, 0, us);
    for (const key of seenFunctions) add(functions, key, 0, us);
  }
  const rows = (map: typeof modules): SummaryRow[] =>
    [...map]
      .map(([key, v]) => ({ key, selfMs: v.self / 1000, totalMs: v.total / 1000 }))
      .sort((a, b) => b.selfMs - a.selfMs);
  return {
    wallMs: (profile.endTime - profile.startTime) / 1000,
    busyMs: busy / 1000,
    byModule: rows(modules),
    byFunction: rows(functions),
  };
}

/** The summary as text: per-call µs and share of busy time, the top `limit` rows of each table. */
export function renderSummary(summary: ProfileSummary, calls: number, limit = 40): string {
  const perCall = (ms: number) => ((1000 * ms) / calls).toFixed(1).padStart(7);
  const share = (ms: number) => `${((100 * ms) / summary.busyMs).toFixed(1).padStart(5)} %`;
  const table = (title: string, rows: SummaryRow[], order: 'self' | 'total') => {
    const sorted = [...rows].sort((a, b) => (order === 'self' ? b.selfMs - a.selfMs : b.totalMs - a.totalMs));
    return [
      `${title} (µs per call self, share; µs per call inclusive, share)`,
      ...sorted
        .slice(0, limit)
        .map(
          (r) =>
            `${perCall(r.selfMs)} ${share(r.selfMs)}  ${perCall(r.totalMs)} ${share(r.totalMs)}  ${r.key}`,
        ),
      '',
    ];
  };
  return [
    `sampled ${summary.wallMs.toFixed(0)} ms, busy ${summary.busyMs.toFixed(0)} ms over ${calls} calls = ${perCall(summary.busyMs).trim()} µs per call`,
    '',
    ...table('By module, by self time', summary.byModule, 'self'),
    ...table('By function, by self time', summary.byFunction, 'self'),
    ...table('By function, by inclusive time', summary.byFunction, 'total'),
  ].join('\n');
}

/** `node dist/bench/run.js profile-summary <file.cpuprofile> [calls] [rows]`. */
export function main(args: string[], root: string): void {
  const [file, calls = '1', limit = '40'] = args;
  if (!file)
    throw new Error('usage: node dist/bench/run.js profile-summary <file.cpuprofile> [calls] [rows]');
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  process.stdout.write(`${renderSummary(summarize(profile, root), Number(calls), Number(limit))}\n`);
}

interface HeapNode {
  callFrame: CallFrame;
  selfSize: number;
  children?: HeapNode[];
}
/** The part of a sampling heap profile (HeapProfiler.getSamplingProfile) this reads. */
export interface HeapProfile {
  head: HeapNode;
}

/** Bytes allocated per call, by module and by function (self), from a sampling heap profile. */
export function renderAllocations(profile: HeapProfile, root: string, calls: number, limit = 25): string {
  const modules = new Map<string, number>();
  const functions = new Map<string, number>();
  let total = 0;
  const visit = (node: HeapNode) => {
    if (node.selfSize > 0) {
      total += node.selfSize;
      const module = moduleOf(node.callFrame, root);
      modules.set(module, (modules.get(module) ?? 0) + node.selfSize);
      const key = functionKey(node.callFrame, root);
      functions.set(key, (functions.get(key) ?? 0) + node.selfSize);
    }
    for (const child of node.children ?? []) visit(child);
  };
  visit(profile.head);
  const rows = (map: Map<string, number>) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([key, bytes]) => `${(bytes / calls / 1024).toFixed(2).padStart(8)} KiB  ${key}`);
  return [
    `allocated ${(total / calls / 1024).toFixed(1)} KiB per call (sampled, collected objects included)`,
    '',
    'By module (KiB per call)',
    ...rows(modules),
    '',
    'By function, self (KiB per call)',
    ...rows(functions),
    '',
  ].join('\n');
}
