// The benchmark suite behind `npm run bench`: runs every benchmark (or those named on the command line), prints the results,
// and rewrites docs/benchmarks.md with them and the machine they were measured on (with `--write`, only the named ones'
// sections, in place).
import { cpus, totalmem } from 'node:os';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { met, type Benchmark, type BenchmarkResult } from './harness.js';
import { tokenCheck } from './token-check.bench.js';
import { revokeLatency } from './revoke.bench.js';
import { startup } from './startup.bench.js';
import { gatewayLatency } from './gateway-latency.bench.js';
import { gatewayMemory } from './gateway-memory.bench.js';
import { gatewayThroughput } from './gateway-throughput.bench.js';
import { gatewayToolsList } from './gateway-tools-list.bench.js';
import { firstSight } from './first-sight.bench.js';
import { firstSightCorpus } from './first-sight-corpus.bench.js';
import { sandboxCost } from './sandbox-cost.bench.js';
import { idleCpu } from './idle-cpu.bench.js';
import { secrets } from './secrets.bench.js';
import { registrationFlood } from './registration-flood.bench.js';

const benchmarks: Benchmark[] = [
  tokenCheck,
  revokeLatency,
  startup,
  gatewayLatency,
  gatewayThroughput,
  gatewayToolsList,
  gatewayMemory,
  firstSight,
  firstSightCorpus,
  sandboxCost,
  secrets,
  idleCpu,
  registrationFlood,
];
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function format(value: number): string {
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

const stamp = () => new Date().toISOString().slice(0, 16).replace('T', ' ');

/** One benchmark's section of docs/benchmarks.md: its title, description and table; `again`, when it was run alone. */
function section(result: BenchmarkResult, again = ''): string[] {
  const lines = [`## ${result.title}`, '', result.description, ''];
  if (again) lines.push(again, '');
  lines.push('| measurement | value | target | met |', '| --- | --- | --- | --- |');
  for (const m of result.measurements) {
    const ok = met(m);
    lines.push(
      `| ${m.name} | ${format(m.value)} ${m.unit} | ${m.target ? `${m.target.op} ${m.target.value} ${m.unit}` : ''} | ${ok === undefined ? '' : ok ? 'yes' : '**no**'} |`,
    );
  }
  lines.push('');
  return lines;
}

function render(results: BenchmarkResult[]): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const lines = [
    '# Benchmarks',
    '',
    'Written by `npm run bench` (bench/run.ts); do not edit by hand.',
    '',
    'The figures the design decisions rest on, by topic and date, are in [measurements.md](measurements.md).',
    '',
    `Measured ${stamp()} UTC on ${cpus().length} × ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.versions.node}, ${process.platform}/${process.arch}.`,
    '',
  ];
  for (const result of results) lines.push(...section(result));
  return lines.join('\n');
}

/**
 * docs/benchmarks.md with the sections of `results` written anew in place (each found by its title), the
 * rest as they were; a section the file does not have yet is an error, since only a whole run orders them.
 */
function spliced(text: string, results: BenchmarkResult[]): string {
  const again = `Run again on its own ${stamp()} UTC (\`npm run bench -- --write\`), Node ${process.versions.node}, the rest of this file as measured above.`;
  let out = text;
  for (const result of results) {
    const start = out.indexOf(`\n## ${result.title}\n`);
    if (start < 0)
      throw new Error(
        `docs/benchmarks.md has no section "${result.title}": run every benchmark (npm run bench) to write it.`,
      );
    const next = out.indexOf('\n## ', start + 1);
    const end = next < 0 ? out.length : next;
    out = `${out.slice(0, start + 1)}${section(result, again).join('\n')}${out.slice(end)}`;
  }
  return out;
}

async function main(): Promise<void> {
  const write = process.argv.includes('--write');
  const wanted = process.argv.slice(2).filter((arg) => arg !== '--write');
  if (write && !wanted.length) {
    console.error(
      '--write takes the benchmarks to run again: their sections of docs/benchmarks.md are rewritten.',
    );
    process.exitCode = 2;
    return;
  }
  const selected = wanted.length ? benchmarks.filter((b) => wanted.includes(b.id)) : benchmarks;
  if (selected.length === 0) {
    console.error(`Unknown benchmark. Known: ${benchmarks.map((b) => b.id).join(', ')}`);
    process.exitCode = 2;
    return;
  }
  const results: BenchmarkResult[] = [];
  for (const benchmark of selected) {
    process.stdout.write(`running ${benchmark.id}…\n`);
    const result = await benchmark.run();
    results.push(result);
    // A selected run shows the whole story too (the notes carry the per-process CPU and the setup).
    if (wanted.length) process.stdout.write(`  ${result.description}\n`);
    for (const m of result.measurements) {
      const ok = met(m);
      process.stdout.write(
        `  ${m.name}: ${format(m.value)} ${m.unit}${m.target ? ` (target ${m.target.op} ${m.target.value} ${m.unit}: ${ok ? 'met' : 'NOT MET'})` : ''}\n`,
      );
    }
  }
  const file = join(root, 'docs', 'benchmarks.md');
  if (!wanted.length) writeFileSync(file, render(results));
  else if (write) writeFileSync(file, spliced(readFileSync(file, 'utf8'), results));
  else process.stdout.write('(docs/benchmarks.md is rewritten when every benchmark runs, or with --write)\n');
  const missed = results.flatMap((r) => r.measurements).filter((m) => met(m) === false);
  if (missed.length) process.exitCode = 1;
}

await main();
