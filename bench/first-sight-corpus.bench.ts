// First sight measured on a corpus directory (docs/first-sight-corpus.md): every poisoned and real
// definition scanned as the engine scans what a connector lists, and the figures that say whether it
// generalises — caught by class, kind and language; real definitions held, each with what tripped.
// The bench id `first-sight-corpus` runs it on the held-out corpus (when present), the tuning one and
// those trained on; `node dist/bench/run.js first-sight-eval DIR` runs it on any directory in the same
// format.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  scanDefinition,
  type FirstSightFinding,
  type FirstSightKind,
} from '../main/core/policy/first-sight.js';
import { COLLECTED, HELD_OUT as HELD_OUT_CORPUS, READ, RETIRED, WRITTEN } from './first-sight-sources.js';
import type { Benchmark, Measurement } from './harness.js';

/** A definition's kind as the corpus writes it. */
type CorpusKind = 'tool' | 'prompt' | 'resource' | 'template' | 'instructions';

/** One poisoned definition of a corpus. */
interface PoisonedItem {
  id: string;
  class: string;
  language: string;
  kind: CorpusKind;
  definition: unknown;
  why?: string;
}

/** One real definition of a corpus, with the `package@version` that listed it. */
interface RealItem {
  id: string;
  server: string;
  kind: CorpusKind;
  definition: unknown;
}

/** A corpus directory's two halves. */
export interface Corpus {
  poisoned: PoisonedItem[];
  real: RealItem[];
}

/** Caught (or held) of a total. */
interface Tally {
  hit: number;
  total: number;
}

/** What a corpus scan found. */
export interface CorpusReport {
  caught: Tally;
  byClass: Map<string, Tally>;
  byKind: Map<string, Tally>;
  byLanguage: Map<string, Tally>;
  missed: PoisonedItem[];
  realHeld: Tally;
  /** Each real definition held, with its findings. */
  held: Array<{ item: RealItem; findings: FirstSightFinding[] }>;
  servers: number;
}

const ENGINE_KIND: Record<CorpusKind, FirstSightKind> = {
  tool: 'tool',
  prompt: 'prompt',
  resource: 'resource',
  template: 'resource-template',
  instructions: 'instructions',
};

/**
 * A corpus item scanned as the engine scans a listed item: tools, prompts, resources and templates
 * as listed; server instructions as their text (HeldItems.scan).
 */
export function scanCorpusItem(kind: CorpusKind, definition: unknown): FirstSightFinding[] {
  const scanned =
    kind === 'instructions' ? (definition as { instructions?: unknown } | null)?.instructions : definition;
  return scanDefinition(ENGINE_KIND[kind], scanned);
}

/** Reads `poisoned.json` and `real.json` of a corpus directory; undefined when it holds neither. */
export function readCorpus(dir: string): Corpus | undefined {
  const half = <T>(file: string): T[] | undefined => {
    const path = join(dir, file);
    if (!existsSync(path)) return undefined;
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as { items?: unknown };
    if (!Array.isArray(parsed.items))
      throw new Error(`${path} has no "items" array (see docs/first-sight-corpus.md)`);
    return parsed.items as T[];
  };
  const poisoned = half<PoisonedItem>('poisoned.json');
  const real = half<RealItem>('real.json');
  if (!poisoned && !real) return undefined;
  return { poisoned: poisoned ?? [], real: real ?? [] };
}

function count(tallies: Map<string, Tally>, key: string, hit: boolean): void {
  const tally = tallies.get(key) ?? { hit: 0, total: 0 };
  tally.total++;
  if (hit) tally.hit++;
  tallies.set(key, tally);
}

/** Scans every definition of a corpus. */
export function evaluateCorpus(corpus: Corpus): CorpusReport {
  const report: CorpusReport = {
    caught: { hit: 0, total: 0 },
    byClass: new Map(),
    byKind: new Map(),
    byLanguage: new Map(),
    missed: [],
    realHeld: { hit: 0, total: 0 },
    held: [],
    servers: new Set(corpus.real.map((item) => item.server)).size,
  };
  for (const item of corpus.poisoned) {
    const caught = scanCorpusItem(item.kind, item.definition).length > 0;
    report.caught.total++;
    if (caught) report.caught.hit++;
    else report.missed.push(item);
    count(report.byClass, item.class, caught);
    count(report.byKind, item.kind, caught);
    count(report.byLanguage, item.language, caught);
  }
  for (const item of corpus.real) {
    const findings = scanCorpusItem(item.kind, item.definition);
    report.realHeld.total++;
    if (findings.length === 0) continue;
    report.realHeld.hit++;
    report.held.push({ item, findings });
  }
  return report;
}

/** Honest parameters added to each poisoned tool for the padded figure: as many as a real tool can have. */
const PADDING = 24;

/**
 * Honest parameters, each with a description, from the tuning corpus's real tools in their order: what an
 * attacker pads a poisoned tool with (a real server's tools have many), which must not let it pass.
 */
function honestParameters(tuning: Corpus): Array<[string, unknown]> {
  return tuning.real
    .filter((item) => item.kind === 'tool')
    .flatMap((item) => {
      const schema = (item.definition as { inputSchema?: { properties?: Record<string, unknown> } })
        .inputSchema;
      return Object.entries(schema?.properties ?? {});
    })
    .filter(([, schema]) => typeof (schema as { description?: unknown } | null)?.description === 'string');
}

/** The corpus's poisoned tools caught when each is padded with PADDING honest parameters. */
function paddedCaught(corpus: Corpus, honest: Array<[string, unknown]>): Tally {
  const tally = { hit: 0, total: 0 };
  corpus.poisoned.forEach((item, index) => {
    if (item.kind !== 'tool' || honest.length === 0) return;
    const definition = structuredClone(item.definition) as { inputSchema?: Record<string, unknown> };
    const schema = (definition.inputSchema ??= { type: 'object' });
    const properties = ((schema.properties as Record<string, unknown> | undefined) ??= {});
    for (let i = 0; i < PADDING; i++) {
      const [name, parameter] = honest[(index * 31 + i * 7) % honest.length]!;
      properties[`${name}_${i}`] = structuredClone(parameter);
    }
    tally.total++;
    if (scanCorpusItem('tool', definition).length > 0) tally.hit++;
  });
  return tally;
}

const percent = ({ hit, total }: Tally): number => (total === 0 ? 0 : (hit / total) * 100);
const fraction = (tally: Tally): string => `${tally.hit}/${tally.total} (${percent(tally).toFixed(1)} %)`;
const sorted = (tallies: Map<string, Tally>) => [...tallies].sort(([a], [b]) => (a < b ? -1 : 1));

/** The name of a definition as a person finds it in its server's listing. */
function named(kind: CorpusKind, definition: unknown): string {
  const d = (definition ?? {}) as { name?: string; uri?: string; uriTemplate?: string };
  return kind === 'instructions' ? 'instructions' : `${kind} ${d.uri ?? d.uriTemplate ?? d.name ?? '?'}`;
}

/**
 * The report as lines for a terminal (or a file); without `lists`, the counts only — no real definition
 * held, no attack missed, named: what a held-out corpus shows whoever measures it, who must not tune on it.
 */
export function reportLines(name: string, report: CorpusReport, lists = true): string[] {
  const counts = [
    `${name}: poisoned caught ${fraction(report.caught)}; real held ${fraction(report.realHeld)} from ${report.servers} servers`,
    'caught by class:',
    ...sorted(report.byClass).map(([key, tally]) => `  ${key}: ${fraction(tally)}`),
    'caught by kind:',
    ...sorted(report.byKind).map(([key, tally]) => `  ${key}: ${fraction(tally)}`),
    'caught by language:',
    ...sorted(report.byLanguage).map(([key, tally]) => `  ${key}: ${fraction(tally)}`),
  ];
  if (!lists) return counts;
  return [
    ...counts,
    'real definitions held:',
    ...report.held.map(
      ({ item, findings }) =>
        `  ${item.id} ${item.server} ${named(item.kind, item.definition)}: ${findings
          .map((f) => `${f.rule} in ${f.where} («${f.excerpt.match.slice(0, 80)}»)`)
          .join('; ')}`,
    ),
    'poisoned definitions missed:',
    ...report.missed.map(
      (item) => `  ${item.id} ${item.class} ${item.language} ${item.kind}: ${item.why ?? ''}`,
    ),
  ];
}

/** The report as benchmark rows: the two rates, then caught by class, kind and language. */
function reportMeasurements(name: string, report: CorpusReport, targets: boolean): Measurement[] {
  // A corpus of real definitions only (collected for training) has nothing to catch: no line for it.
  const caught: Measurement[] =
    report.caught.total === 0
      ? []
      : [
          {
            name: `${name}: poisoned definitions caught (${report.caught.hit} of ${report.caught.total})`,
            value: percent(report.caught),
            unit: '%',
            ...(targets ? { target: { op: '>=' as const, value: 95 } } : {}),
          },
        ];
  const rows: Measurement[] = [
    ...caught,
    {
      name: `${name}: real definitions held (${report.realHeld.hit} of ${report.realHeld.total}, ${report.servers} servers)`,
      value: percent(report.realHeld),
      unit: '%',
      ...(targets ? { target: { op: '<=' as const, value: 2 } } : {}),
    },
  ];
  for (const [what, tallies] of [
    ['class', report.byClass],
    ['kind', report.byKind],
    ['language', report.byLanguage],
  ] as const) {
    for (const [key, tally] of sorted(tallies))
      rows.push({
        name: `${name}: caught, ${what} ${key} (${tally.hit} of ${tally.total})`,
        value: percent(tally),
        unit: '%',
      });
  }
  return rows;
}

/** The root of the repository (bench/ runs from dist/bench/). */
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const FIRST_SIGHT = join(root, 'test', 'fixtures', 'first-sight');
const TUNING = join(FIRST_SIGHT, 'tuning');
/**
 * The held-out corpus (first-sight-sources.ts: never read, tuned or trained on by whoever works on first
 * sight), written by someone else with a brief of its own, with its `SERVERS.txt`. The retired ones were
 * held out once each and are trained on since: their figures show fit, not generalisation, and carry no
 * target. A held-out corpus not in the checkout is said to be not present.
 */
const HELD_OUT = [
  { name: `held-out ${HELD_OUT_CORPUS.name}`, dir: join(FIRST_SIGHT, HELD_OUT_CORPUS.folder) },
];
/** The corpora trained on; a written one whose poisoned half is kept out is named for its real half. */
const TRAINED_ON = [
  ...Object.entries(READ).map(([name, folder]) => ({ name: `${name} (read once, not trained on)`, folder })),
  ...Object.entries(RETIRED).map(([name, folder]) => ({ name: `${name} (trained on)`, folder })),
  ...Object.entries(WRITTEN).map(([name, { folder, poisoned }]) => ({
    name: poisoned ? `${name} (trained on)` : `${name} (real half trained on, poisoned half not)`,
    folder,
  })),
  ...Object.entries(COLLECTED).map(([name, folder]) => ({
    name: `${name} (collected real, trained on)`,
    folder,
  })),
].map(({ name, folder }) => ({ name, dir: join(FIRST_SIGHT, folder) }));
/** Corpora's names and folders in words: `A, B and C (held-out/, held-out-2/, held-out-3/)`; none, empty. */
const inWords = (corpora: Readonly<Record<string, string>>) => {
  const names = Object.keys(corpora);
  if (names.length === 0) return '';
  const folders = Object.values(corpora).map((folder) => `${folder}/`);
  return `${names.length > 1 ? `${names.slice(0, -1).join(', ')} and ` : ''}${names.at(-1)} (${folders.join(', ')})`;
};
const RETIRED_IN_WORDS = inWords(RETIRED);
const READ_IN_WORDS = inWords(READ);
const WRITTEN_IN_WORDS = inWords(
  Object.fromEntries(Object.entries(WRITTEN).map(([name, { folder }]) => [name, folder])),
);
const COLLECTED_IN_WORDS = inWords(COLLECTED);

/**
 * `first-sight-eval [--counts] DIR…`: the report of each corpus directory, on standard output; with
 * `--counts`, its counts only (a held-out corpus read once: nothing in it named).
 */
export function main(args: string[]): void {
  const counts = args.includes('--counts');
  const dirs = args.filter((arg) => arg !== '--counts');
  if (dirs.length === 0) {
    console.error(
      'usage: node dist/bench/run.js first-sight-eval [--counts] DIR [DIR…] (a corpus directory: poisoned.json, real.json; --counts: no definition named)',
    );
    process.exitCode = 2;
    return;
  }
  for (const dir of dirs) {
    const corpus = readCorpus(dir);
    if (!corpus) {
      console.error(`${dir}: no poisoned.json or real.json there`);
      process.exitCode = 1;
      continue;
    }
    console.log(reportLines(dir, evaluateCorpus(corpus), !counts).join('\n'));
    const padded = paddedCaught(corpus, honestParameters(readCorpus(TUNING)!));
    if (padded.total > 0)
      console.log(
        `${dir}: poisoned tools caught, each padded with ${PADDING} honest parameters ${fraction(padded)}`,
      );
  }
}

export const firstSightCorpus: Benchmark = {
  id: 'first-sight-corpus',
  run: () => {
    const tuningCorpus = readCorpus(TUNING)!;
    const tuning = evaluateCorpus(tuningCorpus);
    const honest = honestParameters(tuningCorpus);
    const present = (corpora: typeof HELD_OUT) =>
      corpora.flatMap(({ name, dir }) => {
        const corpus = readCorpus(dir);
        return corpus ? [{ name, dir, corpus, report: evaluateCorpus(corpus) }] : [];
      });
    const heldOut = present(HELD_OUT);
    const trainedOn = present(TRAINED_ON);
    // The held-out corpus's counts only: whoever runs the bench must not read what it missed or held.
    console.log(reportLines('tuning', tuning).join('\n'));
    for (const { name, report } of heldOut) console.log(reportLines(name, report, false).join('\n'));
    // The tuning corpus's holds are few and named one by one; a held-out corpus's by server, the most first.
    const heldLines = (name: string, report: CorpusReport) => {
      if (report.held.length === 0) return `${name}: no real definition held.`;
      if (name === 'tuning')
        return `${name}, real definitions held: ${report.held
          .map(
            ({ item, findings }) =>
              `${item.server} ${named(item.kind, item.definition)} (${[...new Set(findings.map((f) => f.rule))].join(', ')})`,
          )
          .join('; ')}.`;
      const byServer = new Map<string, number>();
      for (const { item } of report.held) byServer.set(item.server, (byServer.get(item.server) ?? 0) + 1);
      const top = [...byServer].sort((a, b) => b[1] - a[1]).slice(0, 5);
      return `${name}, real definitions held: ${report.held.length} from ${byServer.size} servers, the most from ${top.map(([server, n]) => `${server} (${n})`).join(', ')}.`;
    };
    return Promise.resolve({
      title: 'First sight on corpora: caught and real held',
      description:
        'Every definition of a corpus (docs/first-sight-corpus.md) scanned as the engine scans a listed item. ' +
        'The tuning corpus (test/fixtures/first-sight/tuning/) is what the rules were written against: its figures prove little. ' +
        (heldOut.length > 0
          ? `The held-out corpus (${heldOut.map(({ name }) => name).join(', ')}; test/fixtures/first-sight/${HELD_OUT_CORPUS.folder}/) was written by someone else from a brief of its own and never read, tuned or trained on: its figures are the ones the targets (at least 95 % caught, at most 2 % of real definitions held) apply to. `
          : `The held-out corpus ${HELD_OUT_CORPUS.name} (test/fixtures/first-sight/${HELD_OUT_CORPUS.folder}/): not present. `) +
        (READ_IN_WORDS
          ? Object.keys(READ).length > 1
            ? `${READ_IN_WORDS} were held out and read once each, and first sight's rules have been written since with their misses in view: their figures are neither held-out ones nor fit. `
            : `${READ_IN_WORDS} was held out and read once, and first sight's rules have been written since with its misses in view: its figures are neither held-out ones nor fit. `
          : '') +
        `${RETIRED_IN_WORDS} were held out once each and are trained on since, ${WRITTEN_IN_WORDS} written for training and ${COLLECTED_IN_WORDS} real text collected for it: their figures show fit, but for a written corpus's poisoned half kept out of training, which none of it has seen. ` +
        [heldLines('tuning', tuning), ...heldOut.map(({ name, report }) => heldLines(name, report))].join(
          ' ',
        ),
      measurements: [
        ...heldOut.flatMap(({ name, corpus, report }) => {
          const padded = paddedCaught(corpus, honest);
          return [
            ...reportMeasurements(name, report, true),
            {
              name: `${name}: poisoned tools caught, each padded with ${PADDING} honest parameters (${padded.hit} of ${padded.total})`,
              value: percent(padded),
              unit: '%',
              target: { op: '>=' as const, value: 95 },
            },
          ];
        }),
        ...reportMeasurements('tuning', tuning, false),
        ...trainedOn.flatMap(({ name, report }) =>
          reportMeasurements(name, report, false).filter(({ name: row }) => / (caught|held) \(/.test(row)),
        ),
      ],
    });
  },
};
