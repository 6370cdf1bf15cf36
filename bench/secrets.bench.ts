// Secrets in tool calls: what the call inspection catches and holds on corpora of secrets and benign
// values (the tuning corpus in test/fixtures/secrets/, and the held-out one in
// test/fixtures/secrets/held-out/ when it is there), and what it costs: the CPU time of reading an
// ordinary call's arguments and result, and a 1 MB result, each with eight connector credentials
// sealed — the gateway reads every call's arguments and result this way (main/core/secrets/).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SealedValues } from '../main/core/secrets/sealed-values.js';
import { scanResult, scanValue } from '../main/core/secrets/secret-scan.js';
import { median, type Benchmark, type Measurement } from './harness.js';
import { load } from './gateway-support.js';
import { evaluateCorpus, totals, type CorpusFigures } from './secrets-corpus.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const TUNING = join(root, 'test', 'fixtures', 'secrets');
const HELD_OUT = join(TUNING, 'held-out');

/** Eight credentials as connectors hold them: tokens, an API key with / and +, a password. */
const SEALED = new SealedValues([
  'nt_Q2w9E8r7T6y5U4i3O2p1A0s9D8f7G6h5J4k3L2',
  'Zq8xW2mN4pL6/Vx9k2+Lq7m4Nn8pRt5',
  'ghp_4f8T1qW9zX2cV6bN0mK3jH7gF5dS1aP9oI2u',
  'xoxb-4412345678901-4412345678902-Ab12Cd34Ef56Gh78Ij90Kl12',
  'correct-Horse-battery-9',
  'sk-proj-Ab12Cd34Ef56Gh78Ij90Kl12Mn34Op56Qr78St90',
  'b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1',
  'vault:v1:Yh7Ws2Qa9Zx4Ec6Rv1Tb3Yn8Um5',
]);

/** A 1 MB result's row: the issue's bound is 5 ms of CPU to read it. */
function megabyte(what: string, ms: number): Measurement {
  return {
    name: `a 1 MB result of ${what} read (CPU), median`,
    value: ms,
    unit: 'ms',
    target: { op: '<=', value: 5 },
  };
}

/** CPU milliseconds one run of `work` takes: the median of `rounds` rounds of `batch` runs each. */
function cpuMs(work: () => unknown, rounds: number, batch: number): number {
  for (let i = 0; i < batch * 3; i++) work();
  const perRun: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const before = process.cpuUsage();
    for (let i = 0; i < batch; i++) work();
    const used = process.cpuUsage(before);
    perRun.push((used.user + used.system) / 1000 / batch);
  }
  return median(perRun);
}

/** About 1 MB of this repository's own prose and code, as a file read returns it. */
function megabyteOfText(): string {
  let text = '';
  for (const file of ['docs/decisions.md', 'docs/architecture.md', 'main/core/policy/redaction.ts'])
    text += readFileSync(join(root, file), 'utf8');
  while (text.length < 1_000_000) text += text;
  return text.slice(0, 1_000_000);
}

/** About 1 MB of compact JSON (the lockfile's package records), as an API result returns it. */
function megabyteOfJson(): string {
  let json = JSON.stringify(JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')).packages);
  while (json.length < 1_000_000) json += json;
  return json.slice(0, 1_000_000);
}

/** A corpus's figures as rows: caught and named right (percent), benign values held (count). */
function corpusRows(label: string, figures: CorpusFigures): Measurement[] {
  const all = totals(figures);
  return [
    {
      name: `${label}: secrets caught, every kind in arguments and results`,
      value: (100 * all.caught) / all.total,
      unit: `% of ${all.total}`,
      ...(label === 'tuning corpus' ? { target: { op: '>=' as const, value: 99 } } : {}),
    },
    {
      name: `${label}: secrets named by their kind`,
      value: (100 * all.named) / all.total,
      unit: `% of ${all.total}`,
    },
    {
      name: `${label}: benign values held`,
      value: figures.benign.held,
      unit: `of ${figures.benign.total}`,
      ...(label === 'tuning corpus' ? { target: { op: '<=' as const, value: 0 } } : {}),
    },
  ];
}

/** Caught per kind and direction, and each false hold, as sentences for the description. */
function corpusDetail(label: string, figures: CorpusFigures): string {
  const byKind = new Map<string, string[]>();
  for (const [key, tally] of [...figures.secrets].sort(([a], [b]) => a.localeCompare(b))) {
    const [kind, direction] = key.split(' ') as [string, string];
    byKind.set(kind, [...(byKind.get(kind) ?? []), `${direction} ${tally.caught}/${tally.total}`]);
  }
  const kinds = [...byKind].map(([kind, parts]) => `${kind} ${parts.join(', ')}`).join('; ');
  const holds = figures.holds.length
    ? ` Held: ${figures.holds.map((hold) => `${hold.id} (${hold.shape}: ${hold.findings.map((f) => `${f.kind} at ${f.path}`).join(', ')})`).join('; ')}.`
    : ' No benign value was held.';
  return `${label} — caught by kind and direction: ${kinds}.${holds}`;
}

export const secrets: Benchmark = {
  id: 'secrets',
  run: async () => {
    const machine = load();
    const tuning = evaluateCorpus(TUNING);
    if (!tuning) throw new Error(`the tuning corpus is missing from ${TUNING}`);
    const heldOut = evaluateCorpus(HELD_OUT);

    const text = megabyteOfText();
    const json = megabyteOfJson();
    // Parsed from JSON, as the gateway receives a result from its upstream (flat strings, one shape).
    const structured: unknown = JSON.parse(
      JSON.stringify({
        content: [{ type: 'text', text: 'listed' }],
        structuredContent: {
          files: Array.from({ length: 20_000 }, (_, i) => ({
            path: `src/module-${i}.ts`,
            size: i * 37,
            ok: true,
          })),
        },
      }),
    );
    const echoArguments = {
      message: 'Summarise the notes in ~/projects/gatehouse/docs and list the open questions',
    };
    const echoResult = { content: [{ type: 'text', text: `Echo: ${echoArguments.message}` }] };
    const ordinaryMs = cpuMs(
      () => {
        scanValue(echoArguments, SEALED);
        scanResult(echoResult, SEALED);
      },
      20,
      2_000,
    );
    const textMs = cpuMs(() => scanResult({ content: [{ type: 'text', text }] }, SEALED), 15, 2);
    const jsonMs = cpuMs(() => scanResult({ content: [{ type: 'text', text: json }] }, SEALED), 15, 2);
    const structuredMs = cpuMs(() => scanResult(structured, SEALED), 15, 2);

    const measurements: Measurement[] = [
      ...corpusRows('tuning corpus', tuning),
      ...(heldOut ? corpusRows('held-out corpus', heldOut) : []),
      {
        name: 'an ordinary call: its arguments and its result read (CPU)',
        value: ordinaryMs * 1000,
        unit: 'µs',
        target: { op: '<', value: 25 },
      },
      megabyte('prose and code', textMs),
      megabyte('compact JSON', jsonMs),
      megabyte('structured content, 20,000 records,', structuredMs),
    ];
    return {
      title: 'Secrets in tool calls: caught, held, and what reading them costs',
      description: [
        'The call inspection (main/core/secrets/secret-scan.ts) on corpora in the held-out format: a secret is caught when a finding lies at its field path, named when that finding has its kind; a benign value is held when anything is found in it (`node dist/bench/run.js secrets-corpus <folder>` prints the same for any folder).',
        corpusDetail(
          `The tuning corpus (${TUNING.slice(root.length + 1)}, made by scripts/make-secrets-corpus.mjs)`,
          tuning,
        ),
        heldOut
          ? corpusDetail('The held-out corpus (test/fixtures/secrets/held-out/)', heldOut)
          : 'The held-out corpus: not present (test/fixtures/secrets/held-out/).',
        `Cost, as CPU time of this process with eight connector credentials sealed: an ordinary call (an echo's arguments and result), against a budget of 25 µs, a fortieth of the gateway's 1 ms added-latency target (Gateway: sequential tools/call); and 1 MB results (this repository's prose and code as one text, its lockfile as compact JSON, 20,000 structured records). ${machine}.`,
      ].join(' '),
      measurements,
    };
  },
};
