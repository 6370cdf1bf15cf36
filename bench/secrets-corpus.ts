// The call inspection measured on a corpus of secrets and benign values (the format is the held-out
// corpus's: secrets.json with each secret's kind, direction and field path; benign.json with values
// that must pass): the real scanner (main/core/secrets/secret-scan.ts) reads each payload as a
// tools/call's arguments or a CallToolResult, as the gateway does. A secret is caught when a finding
// lies at its field path (or within it); named right when that finding has its kind. A benign value is
// held when anything is found in it.
//
//   node dist/bench/run.js secrets-corpus /work/heldout/secrets/
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SecretFinding } from '../main/core/api/secret-findings.js';
import { NO_SEALED_VALUES } from '../main/core/secrets/sealed-values.js';
import { scanResult, scanValue } from '../main/core/secrets/secret-scan.js';

type Direction = 'arguments' | 'result';

interface SecretItem {
  id: string;
  kind: string;
  direction: Direction;
  payload: unknown;
  where: string;
}

interface BenignItem {
  id: string;
  shape: string;
  direction: Direction;
  payload: unknown;
}

/** Caught, named right and in all, per kind and direction. */
interface Tally {
  caught: number;
  named: number;
  total: number;
}

/** What the inspection did with one corpus. */
export interface CorpusFigures {
  folder: string;
  /** `${kind} ${direction}` → the tally. */
  secrets: Map<string, Tally>;
  missed: Array<{ id: string; kind: string; direction: Direction; where: string; found: SecretFinding[] }>;
  benign: { held: number; total: number };
  holds: Array<{ id: string; shape: string; direction: Direction; findings: SecretFinding[] }>;
}

const inspect = (direction: Direction, payload: unknown): SecretFinding[] =>
  (direction === 'arguments' ? scanValue(payload, NO_SEALED_VALUES) : scanResult(payload, NO_SEALED_VALUES))
    .findings;

/** A field path with quoted keys written as dotted ones (`headers["x-api-key"]` is `headers.x-api-key`, as findings name it). */
function dotted(path: string): string {
  return path.replace(/\[("(?:[^"\\]|\\.)*")\]/g, (_, quoted: string) => `.${JSON.parse(quoted) as string}`);
}

/** Whether a finding's path is the secret's field path, inside it, or around it. */
function covers(found: string, at: string): boolean {
  const [path, where] = [dotted(found), dotted(at)];
  const within = (inner: string, outer: string) =>
    inner === outer || inner.startsWith(`${outer}.`) || inner.startsWith(`${outer}[`);
  return within(path, where) || within(where, path);
}

/** The corpus in `folder`, read by the real scanner; undefined when the folder holds no corpus. */
export function evaluateCorpus(folder: string): CorpusFigures | undefined {
  const secretsFile = join(folder, 'secrets.json');
  const benignFile = join(folder, 'benign.json');
  if (!existsSync(secretsFile) || !existsSync(benignFile)) return undefined;
  const secretItems = (JSON.parse(readFileSync(secretsFile, 'utf8')) as { items: SecretItem[] }).items;
  const benignItems = (JSON.parse(readFileSync(benignFile, 'utf8')) as { items: BenignItem[] }).items;
  const figures: CorpusFigures = {
    folder,
    secrets: new Map(),
    missed: [],
    benign: { held: 0, total: benignItems.length },
    holds: [],
  };
  for (const item of secretItems) {
    const found = inspect(item.direction, item.payload);
    const there = found.filter((finding) => covers(finding.path, item.where));
    const key = `${item.kind} ${item.direction}`;
    const tally = figures.secrets.get(key) ?? { caught: 0, named: 0, total: 0 };
    tally.total += 1;
    if (there.length > 0) tally.caught += 1;
    if (there.some((finding) => finding.kind === item.kind)) tally.named += 1;
    figures.secrets.set(key, tally);
    if (there.length === 0)
      figures.missed.push({
        id: item.id,
        kind: item.kind,
        direction: item.direction,
        where: item.where,
        found,
      });
  }
  for (const item of benignItems) {
    const findings = inspect(item.direction, item.payload);
    if (findings.length === 0) continue;
    figures.benign.held += 1;
    figures.holds.push({ id: item.id, shape: item.shape, direction: item.direction, findings });
  }
  return figures;
}

/** Caught, named right and in all over the whole corpus. */
export function totals(figures: CorpusFigures): Tally {
  const sum: Tally = { caught: 0, named: 0, total: 0 };
  for (const tally of figures.secrets.values()) {
    sum.caught += tally.caught;
    sum.named += tally.named;
    sum.total += tally.total;
  }
  return sum;
}

/** The figures as lines: caught / total by kind and direction, benign held / total with each hold. */
export function figureLines(figures: CorpusFigures): string[] {
  const lines = [
    `Corpus ${figures.folder}`,
    '',
    'kind                       direction   caught   named right',
  ];
  for (const [key, tally] of [...figures.secrets].sort(([a], [b]) => a.localeCompare(b))) {
    const [kind, direction] = key.split(' ');
    lines.push(
      `${kind!.padEnd(26)} ${direction!.padEnd(11)} ${`${tally.caught}/${tally.total}`.padEnd(8)} ${tally.named}/${tally.total}`,
    );
  }
  const all = totals(figures);
  lines.push(
    '',
    `secrets caught: ${all.caught}/${all.total}; named right: ${all.named}/${all.total}`,
    `benign values held: ${figures.benign.held}/${figures.benign.total}`,
  );
  for (const miss of figures.missed)
    lines.push(
      `  missed ${miss.id} (${miss.kind} in ${miss.direction} at ${miss.where}); found ${JSON.stringify(miss.found)}`,
    );
  for (const hold of figures.holds)
    lines.push(`  held ${hold.id} (${hold.shape}, ${hold.direction}): ${JSON.stringify(hold.findings)}`);
  return lines;
}

/** `secrets-corpus <folder>`: prints the figures of the corpus in `folder`. */
export function main(args: string[]): void {
  const folder = args[0];
  if (!folder) {
    console.error('usage: node dist/bench/run.js secrets-corpus <folder with secrets.json and benign.json>');
    process.exitCode = 2;
    return;
  }
  const figures = evaluateCorpus(folder);
  if (!figures) {
    console.error(`${folder} holds no corpus: secrets.json and benign.json are both needed there.`);
    process.exitCode = 2;
    return;
  }
  console.log(figureLines(figures).join('\n'));
}
