// A small benchmark harness: each benchmark reports named measurements against targets; the runner
// prints them and rewrites docs/benchmarks.md. Timings come from process.hrtime; nothing here is a
// pass/fail unit test — the numbers are the product's promises, measured on this machine.

export interface Measurement {
  name: string;
  value: number;
  unit: string;
  target?: { op: '<' | '<=' | '>' | '>='; value: number };
  note?: string;
}

export interface BenchmarkResult {
  title: string;
  description: string;
  measurements: Measurement[];
}

export interface Benchmark {
  id: string;
  run(): Promise<BenchmarkResult>;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * `items` in a random order (a copy). Interleaved benchmarks take their blocks in a new order each
 * round: a fixed order, even one reversed every other round, lines up with whatever recurs every so
 * many calls (a GC cycle) and charges it to the same target every time (docs/decisions.md, "Benchmarks
 * measure what they claim").
 */
export function shuffled<T>(items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export function met(m: Measurement): boolean | undefined {
  if (!m.target) return undefined;
  if (m.target.op === '<') return m.value < m.target.value;
  if (m.target.op === '<=') return m.value <= m.target.value;
  if (m.target.op === '>') return m.value > m.target.value;
  return m.value >= m.target.value;
}

export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}
