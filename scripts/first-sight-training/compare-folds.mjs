// The ship rule's comparison of two models on folds held back (docs/decisions.md, "One score: signals, a small
// learned model, and a layer over both"): for each fold, how many of its poisoned definitions each model holds at
// equal real held, from 0 to 40 real definitions held, and at how many of those levels the new one holds more or
// fewer. A level is one threshold over the layer's score: just above the score of the first real definition that
// must pass (a hard hold is held at any threshold, so a level below a model's hard-held real definitions is
// skipped for both). Reads the trainer's `--scores` files (one JSON line per held-back definition); either side may be
// several files, parted by commas (one `--only` run a fold). The trainer's padded twins of attack tools (ids ending in
// `#padded`) are left out; with `--padded`, a side's poisoned definitions are its padded twins instead (a side
// without twins, its attack tools as written: a model that holds as many padded as written, as the padding test
// asks, is compared as it stands).
//
//   node scripts/first-sight-training/compare-folds.mjs [--padded] BASE.jsonl[.gz][,…] NEW.jsonl[.gz][,…] R S
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

const LEVELS = 40;

const PADDED = '#padded';
const argv = process.argv.slice(2);
const padded = argv.includes('--padded');

/**
 * The rows a fold is compared on: its real definitions, and its poisoned ones as written (without `--padded`) or
 * its padded twins (with it; its attack tools as written when it has no twins).
 */
function compared(rows) {
  const real = rows.filter((row) => row.label !== 1);
  const twins = rows.filter((row) => row.label === 1 && row.id.endsWith(PADDED));
  const written = rows.filter((row) => row.label === 1 && !row.id.endsWith(PADDED));
  if (!padded) return [...real, ...written];
  return [...real, ...(twins.length > 0 ? twins : written.filter((row) => row.kind === 'tool'))];
}

/** The lines of `--scores` files (comma-parted; gzipped when a name ends in .gz), read once, by fold. */
function rowsByFold(files) {
  const byFold = new Map();
  for (const file of files.split(',')) {
    const bytes = readFileSync(file);
    const text = (file.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      const row = JSON.parse(line);
      if (!byFold.has(row.fold)) byFold.set(row.fold, []);
      byFold.get(row.fold).push(row);
    }
  }
  return byFold;
}

/** Poisoned definitions held at each level of real held, 0 to LEVELS (undefined: below the hard holds). */
function curve(rows) {
  const real = rows.filter((row) => row.origin === 'real');
  const poisoned = rows.filter((row) => row.label === 1);
  const hardReal = real.filter((row) => row.hard).length;
  const soft = real
    .filter((row) => !row.hard)
    .map((row) => row.score)
    .sort((a, b) => b - a);
  const caught = [];
  for (let level = 0; level <= LEVELS; level++) {
    if (level < hardReal) caught.push(undefined);
    else {
      const passes = soft[level - hardReal] ?? -Infinity;
      caught.push(poisoned.filter((row) => row.hard || row.score > passes).length);
    }
  }
  return { caught, real: real.length, poisoned: poisoned.length };
}

const [base, next, ...folds] = argv.filter((arg) => arg !== '--padded');
if (!base || !next || folds.length === 0) {
  console.error('usage: compare-folds.mjs [--padded] BASE.jsonl[.gz][,…] NEW.jsonl[.gz][,…] FOLD [FOLD…]');
  process.exit(2);
}
const [baseRows, nextRows] = [rowsByFold(base), rowsByFold(next)];
const total = { more: 0, fewer: 0, summed: 0 };
for (const fold of folds) {
  const a = curve(compared(baseRows.get(fold) ?? []));
  const b = curve(compared(nextRows.get(fold) ?? []));
  if (a.poisoned === 0 || b.poisoned === 0) {
    console.error(`fold ${fold}: not in ${a.poisoned === 0 ? base : next}`);
    process.exit(1);
  }
  let more = 0;
  let fewer = 0;
  let summed = 0;
  const levels = [];
  for (let level = 0; level <= LEVELS; level++) {
    const [was, now] = [a.caught[level], b.caught[level]];
    if (was === undefined || now === undefined) continue;
    summed += now - was;
    if (now > was) more++;
    if (now < was) fewer++;
    levels.push(`${level}: ${was}→${now}`);
  }
  console.log(
    `${fold} (${b.poisoned} poisoned, ${b.real} real): more at ${more} levels, fewer at ${fewer}, summed ${summed >= 0 ? '+' : ''}${summed}`,
  );
  console.log(`  ${levels.join(', ')}`);
  total.more += more;
  total.fewer += fewer;
  total.summed += summed;
}
console.log(
  `together: more at ${total.more} levels, fewer at ${total.fewer}, summed ${total.summed >= 0 ? '+' : ''}${total.summed}`,
);
