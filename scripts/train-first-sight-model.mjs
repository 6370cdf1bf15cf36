// Trains first sight's learned model (main/core/policy/first-sight-model.ts) and the layer that weighs
// it with the signals (first-sight-decision.ts), and writes both to main/core/policy/first-sight-model.json.
// The string model is a logistic regression over each string's hashed n-grams and concepts, fitted by
// plain SGD with a fixed seed, no network, its weights averaged over the later epochs of two fits: a poisoned
// definition is a bag of strings of which at least one is poisoned (its highest-scoring string, among
// those no real or benign definition also says, is the positive); every string of a real or written
// benign definition is a negative. A long string's sentences are strings of the bag too, each scored
// apart: the layer reads the highest of them beside the strings' own highest score. So are a
// definition's strings read together as one text (an ask split across fields), which the layer reads
// as a feature of its own. The layer is a
// logistic regression over a definition's features: the string model's highest score, that string's
// field, the second-highest score and the highest of a long string's sentences (and what it adds to the
// highest score; these three rise as strings are added, so their weights are kept at zero or above), and
// each signal's finding (weight, field, reading); never how many strings there are, which
// an attacker pads. It is fitted on scores the string model gave definitions
// it was not fitted on (three inner folds by group), as it meets them.
//
// Validation is by source: for each held-back source (each retired held-out corpus, each corpus written
// for training, and the tuning corpus with its generated twins), everything else is trained on and the
// held-back source scored. The shipped thresholds are the lowest two at which the retired and written
// corpora's held-back real definitions, all together, stay within a false-hold budget (half for those a
// signal found something in, half for the rest). The budget is the largest of 1, 1.25 and 1.5 % at which
// the pooled and the median corpus's real held, each corpus at the thresholds the others' held-back scores
// pick (as it would meet an unseen corpus), stay within 1.25 % (RULE_LIMIT): the trainer applies that rule
// and prints it.
// The shipped model is fitted on every source. Each fit (a fold's, the shipped one) shuffles with a random
// stream seeded by its name and runs in a child process of its own, two at a time by default, so the same
// data gives the same weights however the fits are spread.
//
//   python3 scripts/first-sight-training/make_training.py poisoned > test/fixtures/first-sight/training/poisoned.json
//   python3 scripts/first-sight-training/make_training.py benign > test/fixtures/first-sight/training/benign.json
//   npx prettier --write test/fixtures/first-sight/training/
//   npm run build && NODE_OPTIONS=--max-old-space-size=10000 node scripts/train-first-sight-model.mjs
//   then bump first sight's stamp (main/core/policy/first-sight-stamp.ts; its pins test prints the hash)
//
// It prints the cross-validation and shipped figures (docs/measurements.md keeps them); `--why` lists the
// real definitions each held-back source holds, `--scores FILE` writes every held-back definition's score,
// `--only NAME` runs that fold alone (at the shipped model's budget) and writes nothing else, `--workers N` runs N fits at a
// time, and `--cache DIR` keeps each fit's answer in DIR, so a run that was stopped resumes where it was (an answer is
// reused only while this script and every definition's strings, features and findings are what they were). With
// `--cache DIR` the scan of every definition is kept there too, made by the first process and read back by the
// fits after it (while this script, first sight's built code and every definition are what they were);
// `--check-scan --cache DIR` compares the kept scan with one made afresh, field for field.
import { fork } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { deserialize, serialize } from 'node:v8';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { scannedDefinition } = await import(join(root, 'dist/main/core/policy/first-sight.js'));
const { eachFeature, modelFrom, risingFeature } = await import(
  join(root, 'dist/main/core/policy/first-sight-model.js')
);
/**
 * The retired held-out corpora (each measured once, trained on since), the corpora written for training
 * and the real text collected for it, by source name: each trained on and held back in turn alike.
 */
const { COLLECTED, RETIRED, WRITTEN } = await import(join(root, 'dist/bench/first-sight-sources.js'));
const CORPORA = {
  ...Object.fromEntries(Object.entries(RETIRED).map(([name, folder]) => [name, { folder, poisoned: true }])),
  ...WRITTEN,
  ...Object.fromEntries(
    Object.entries(COLLECTED).map(([name, folder]) => [name, { folder, poisoned: false }]),
  ),
};
const { figures, heldAt, shown, thresholdsWithin } = await import(
  join(root, 'scripts/first-sight-training/thresholds.mjs')
);
const { decisionFeatures, decisionScore, isShort, topScores } = await import(
  join(root, 'dist/main/core/policy/first-sight-decision.js')
);

const SLOTS = 1 << 19;
const EPOCHS = 16;
/** The string model's weights are the average of those after each epoch from this one on. */
const AVERAGE_FROM = EPOCHS / 2;
/** String models fitted apart (each in its own order) and averaged into one. */
const RUNS = 2;
const RATE = 0.2;
const L2 = 1e-6;
/** The layer's fit: epochs, AdaGrad's rate, and its L2 penalty. */
const LAYER_EPOCHS = 40;
const LAYER_RATE = 0.1;
const LAYER_L2 = 1e-3;
/**
 * The false-hold budgets the thresholds may be picked at: each the share of the retired and written corpora's
 * held-back real definitions, all together, that may be held; the thresholds are the lowest that keep to it.
 * Below the target (2 %), because an unseen corpus has its own outliers: a server that addresses the model
 * in every tool. The trainer picks the largest at which the pooled and the median corpus's real held, each
 * corpus at the thresholds the others pick, stay within RULE_LIMIT (docs/measurements.md, "The operating
 * point"; the rule was written before any scores it picks from were read).
 */
const BUDGETS = [0.01, 0.0125, 0.015];
/**
 * 1.25 % since held-out AB and then AD held more than 2 % of their real definitions (1.5 % until then;
 * docs/decisions.md, "One score: signals, a small learned model, and a layer over both").
 */
const RULE_LIMIT = 0.0125;
/** Inner folds: the layer learns from string scores of definitions the string model did not see. */
const INNER_FOLDS = 3;

/** A small deterministic generator (mulberry32), so the same data gives the same weights. */
function random(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
/**
 * A shuffle with a stream of its own for each fit, seeded by the fit's name: a fit's weights do not depend
 * on which fits ran before it or where, so fits run apart (and in parallel) and any one can be run again.
 */
function shuffler(name) {
  let seed = 20261124;
  for (const c of name) seed = Math.imul(seed ^ c.charCodeAt(0), 16777619);
  const rand = random(seed);
  return (list) => {
    for (let i = list.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [list[i], list[j]] = [list[j], list[i]];
    }
    return list;
  };
}

/** A group's inner fold (a server, a family, a poisoned definition): by hash, so the same each run. */
function innerFold(key) {
  let h = 2166136261;
  for (const c of key) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  return (h >>> 0) % INNER_FOLDS;
}

const read = (path) => JSON.parse(readFileSync(join(root, 'test/fixtures/first-sight', path), 'utf8')).items;
const kindOf = (kind) => (kind === 'template' ? 'resource-template' : kind);
const serverOf = (item) => `server:${item.server.replace(/@[^@]*$/, '')}`;
/** One half of a corpus: its items labelled, with their source, origin and group (by `groupOf`). */
const half = (path, source, label, origin, groupOf) =>
  read(path).map((item) => ({ ...item, label, source, ...(origin ? { origin } : {}), group: groupOf(item) }));
const items = [
  ...half('tuning/poisoned.json', 'tuning', 1, undefined, (item) => `tuning:${item.id}`),
  ...half('tuning/real.json', 'tuning', 0, 'real', serverOf),
  ...half('training/poisoned.json', 'training', 1, undefined, (item) => `family:${item.family}`),
  ...half('training/benign.json', 'training', 0, 'written', (item) => `family:${item.family}`),
  // The retired held-out corpora and the written ones, each a source of its own (the held-out one,
  // bench/first-sight-sources.ts's HELD_OUT, is never read here).
  ...Object.entries(CORPORA).flatMap(([source, { folder, poisoned }]) => [
    ...(poisoned
      ? half(`${folder}/poisoned.json`, source, 1, undefined, (item) => `${source}:${item.id}`)
      : []),
    ...half(`${folder}/real.json`, source, 0, 'real', serverOf),
  ]),
];

// Padded twins of every poisoned tool: the same attack with 8 or 24 honest parameters before or after its own,
// trained on like the attack and held back with it, so that nothing learns to lean on a reading padding dilutes.
// The padding is its own source's real parameters (the generated set's, the tuning corpus's: they are held back
// together), so a fold holds back its twins' padding with them and trains on no parameter it scores. Scored apart
// (their ids end in #padded) and counted apart: no figure of the poisoned counts them.
{
  const padSource = (source) => (source === 'training' ? 'tuning' : source);
  const honest = new Map();
  for (const item of items) {
    const properties = item.definition?.inputSchema?.properties;
    if (item.label !== 0 || item.kind !== 'tool' || typeof properties !== 'object' || !properties) continue;
    if (Array.isArray(properties)) continue;
    const own = honest.get(padSource(item.source)) ?? [];
    for (const entry of Object.entries(properties))
      if (typeof entry[1]?.description === 'string') own.push(entry);
    honest.set(padSource(item.source), own);
  }
  const twins = [];
  for (const [k, item] of items.entries()) {
    if (item.label !== 1 || item.kind !== 'tool' || typeof item.definition !== 'object' || !item.definition)
      continue;
    const pool = honest.get(padSource(item.source)) ?? [];
    if (pool.length < 24)
      throw new Error(`${item.source} has ${pool.length} honest parameters to pad its twins with`);
    const definition = structuredClone(item.definition);
    if (typeof definition.inputSchema !== 'object' || !definition.inputSchema)
      definition.inputSchema = { type: 'object' };
    const own = definition.inputSchema.properties;
    const pads = Array.from({ length: [8, 24][k % 2] }, (_, i) => pool[(k * 31 + i * 7) % pool.length]);
    const properties = {};
    const put = () =>
      pads.forEach(([name, schema], i) => (properties[`${name}_${i}`] = structuredClone(schema)));
    if (k % 4 < 2) put();
    Object.assign(properties, typeof own === 'object' && own && !Array.isArray(own) ? own : {});
    if (k % 4 >= 2) put();
    definition.inputSchema.properties = properties;
    twins.push({ ...item, id: `${item.id}#padded`, definition, twin: true });
  }
  items.push(...twins);
}

// Each definition's strings and findings, as the scan reads them, and each string's features. Every
// string's feature slots are kept end to end in one array (`SLOTS_OF`, an instance's at `FIRST[id]` up to
// `FIRST[id + 1]`), so the fits walk one block of memory and keep no objects alive an epoch long.
/** Scans every definition: per item what the fits read of it, every string instance, and their slots. */
function scanItems() {
  const perItem = [];
  const kept = [];
  const slotLists = [];
  for (const item of items) {
    // Server instructions are listed as `{ instructions }` (docs/first-sight-corpus.md); first sight reads the text.
    const scanned = item.kind === 'instructions' ? item.definition.instructions : item.definition;
    const { texts, evidence, strings } = scannedDefinition(kindOf(item.kind), scanned);
    // Each string's instances: its whole and, for a long one, each sentence apart (the scan scores the
    // string as the highest of them).
    const itemStrings = texts.map(({ text, concepts, name, where, field, parts = [], together = false }) => ({
      where,
      field,
      together,
      instances: [{ text, concepts, name }, ...parts.map((part) => ({ ...part, name: false }))].map(
        (instance) => {
          const slots = [];
          const count = eachFeature(instance.text, instance.concepts, instance.name, (slot) =>
            slots.push(slot),
          );
          slotLists.push(slots);
          kept.push({ text: instance.text, together, where, norm: 1 / Math.sqrt(Math.max(1, count)) });
          return kept.length - 1;
        },
      ),
    }));
    perItem.push({ evidence, short: isShort(strings), strings: itemStrings });
  }
  const first = new Int32Array(kept.length + 1);
  for (const [id, slots] of slotLists.entries()) first[id + 1] = first[id] + slots.length;
  const slotsOf = new Int32Array(first[kept.length]);
  for (const [id, slots] of slotLists.entries()) slotsOf.set(slots, first[id]);
  return { perItem, instances: kept, first, slotsOf };
}

/**
 * What the scan of every definition reads (this script, first sight's built code and the libraries it reads
 * text with, and every definition), as the name of the scan kept in `--cache`'s folder.
 */
function scanPrint() {
  const hash = createHash('sha256').update(readFileSync(fileURLToPath(import.meta.url)));
  const code = (folder) =>
    readdirSync(folder, { withFileTypes: true })
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .forEach((entry) => {
        const path = join(folder, entry.name);
        if (entry.isDirectory()) code(path);
        else if (/\.(js|json)$/.test(entry.name)) hash.update(`${path}\u0000`).update(readFileSync(path));
      });
  code(join(root, 'dist/main/core'));
  for (const name of ['opencc-js', 'unhomoglyph'])
    hash.update(readFileSync(join(root, 'node_modules', name, 'package.json')));
  for (const item of items)
    hash.update(
      JSON.stringify([item.source, item.label, item.origin, item.group, item.kind, item.definition]),
    );
  return hash.digest('hex');
}

/** Writes a large typed array to `path` a gigabyte at a time (one write takes at most 2 GB). */
function writeLarge(path, array) {
  const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
  const fd = openSync(path, 'w');
  for (let at = 0; at < bytes.length; at += 1 << 30)
    writeSync(fd, bytes, at, Math.min(1 << 30, bytes.length - at));
  closeSync(fd);
}

/** Reads back what writeLarge wrote, as 32-bit integers. */
function readLarge(path) {
  const array = new Int32Array(statSync(path).size / 4);
  const bytes = new Uint8Array(array.buffer);
  const fd = openSync(path, 'r');
  for (let at = 0; at < bytes.length;)
    at += readSync(fd, bytes, at, Math.min(1 << 30, bytes.length - at), at);
  closeSync(fd);
  return array;
}

/**
 * The scan of every definition, kept in `--cache`'s folder for the fits that follow (it is about a sixth
 * of a fit's time): read back when what it reads is unchanged, made and kept otherwise. Its slots are
 * kept in a file of their own, too large for one serialised value.
 */
function scannedItems(cacheDir) {
  if (!cacheDir) return scanItems();
  const name = join(cacheDir, `scan-${scanPrint().slice(0, 16)}`);
  if (existsSync(`${name}.v8`) && existsSync(`${name}.slots`))
    return { ...deserialize(readFileSync(`${name}.v8`)), slotsOf: readLarge(`${name}.slots`) };
  const made = scanItems();
  mkdirSync(cacheDir, { recursive: true });
  // Written aside and renamed, the slots first, so a fit starting beside this one never reads half of it.
  const { slotsOf, ...rest } = made;
  writeLarge(`${name}.slots.${process.pid}`, slotsOf);
  renameSync(`${name}.slots.${process.pid}`, `${name}.slots`);
  writeFileSync(`${name}.v8.${process.pid}`, serialize(rest));
  renameSync(`${name}.v8.${process.pid}`, `${name}.v8`);
  return made;
}

const cacheArgAt = process.argv.indexOf('--cache');
const cacheArg = cacheArgAt > 0 ? process.argv[cacheArgAt + 1] : undefined;
if (process.argv.includes('--check-scan')) {
  // `--check-scan --cache DIR`: the scan kept in DIR (made first if there is none) must be the scan made
  // now, field for field.
  if (!cacheArg) throw new Error('--check-scan takes --cache DIR.');
  scannedItems(cacheArg);
  const started = Date.now();
  const kept = scannedItems(cacheArg);
  const readBack = (Date.now() - started) / 1000;
  const made = scanItems();
  const scanned = (Date.now() - started) / 1000 - readBack;
  const same = isDeepStrictEqual(kept, made);
  console.log(
    `${same ? 'The kept scan is the scan made now' : 'The kept scan differs from the scan made now'}: read back in ${readBack.toFixed(1)} s, made in ${scanned.toFixed(1)} s.`,
  );
  process.exit(same ? 0 : 1);
}
/** Each string instance (its text, where it is, its norm and its slots), by number. */
const instances = [];
const { FIRST, SLOTS_OF } = (() => {
  const scan = scannedItems(cacheArg);
  for (const [id, instance] of scan.instances.entries())
    instances.push({ id, ...instance, slots: scan.slotsOf.subarray(scan.first[id], scan.first[id + 1]) });
  for (const [index, item] of items.entries()) {
    const { evidence, short, strings } = scan.perItem[index];
    item.index = index;
    item.inner = innerFold(item.group);
    item.evidence = evidence;
    item.short = short;
    item.hard = evidence.some((e) => e.hard);
    item.found = evidence.length > 0;
    item.strings = strings.map((string) => ({
      ...string,
      instances: string.instances.map((id) => instances[id]),
    }));
  }
  return { FIRST: scan.first, SLOTS_OF: scan.slotsOf };
})();
const NORM = Float64Array.from(instances, (instance) => instance.norm);

/**
 * Fits the string model on `train` (plain SGD, multiple-instance positives) and quantises it as
 * shipped: one byte a weight. Returns the bytes, their scale and the bias.
 */
function fitStrings(train, shuffle) {
  // Negatives: every distinct string (whole, and each sentence apart) of a real or benign training definition.
  const negatives = new Map();
  for (const item of train)
    if (item.label === 0)
      for (const string of item.strings)
        for (const instance of string.instances)
          negatives.set(`${instance.where}\u0000${instance.text}`, instance);
  const negativeStrings = [...negatives.values()];
  // A poisoned definition's candidates for its poisoned string: those no real or benign definition
  // says too (a generated definition's carrier strings are a real definition's, and are negatives).
  const honest = new Set(negativeStrings.map((string) => string.text));
  const positives = train
    .filter((item) => item.label === 1 && item.strings.length > 0)
    .map((item) => {
      const all = item.strings.flatMap((string) => string.instances);
      const own = all.filter((string) => !honest.has(string.text));
      return { strings: own.length > 0 ? own : all };
    });
  const positiveWeight = negativeStrings.length / positives.length / 3;
  // Each example by number: the negatives first, then one a positive bag (its string chosen each epoch).
  const negativeIds = Int32Array.from(negativeStrings, (string) => string.id);
  const bags = positives.map((item) => Int32Array.from(item.strings, (string) => string.id));
  const chosen = new Int32Array(bags.length);
  const order = new Int32Array(negativeIds.length + bags.length);
  const weights = new Float64Array(SLOTS);
  let bias = 0;
  const averaged = new Float64Array(SLOTS);
  let averagedBias = 0;
  let averagedEpochs = 0;
  const score = (id) => {
    let sum = 0;
    for (let at = FIRST[id], end = FIRST[id + 1]; at < end; at++) sum += weights[SLOTS_OF[at]];
    return bias + sum * NORM[id];
  };
  const step = (id, label, rate, weight) => {
    const p = 1 / (1 + Math.exp(-score(id)));
    const g = (p - label) * weight * rate;
    bias -= g * 0.1;
    const norm = NORM[id];
    for (let at = FIRST[id], end = FIRST[id + 1]; at < end; at++) {
      const slot = SLOTS_OF[at];
      weights[slot] -= g * norm + L2 * weights[slot];
    }
  };
  // Several fits, each from zero in its own shuffled order, averaged: less of one order in the weights.
  for (let run = 0; run < RUNS; run++) {
    weights.fill(0);
    bias = 0;
    for (let epoch = 0; epoch < EPOCHS; epoch++) {
      const rate = RATE / (1 + epoch * 0.5);
      for (const [bag, ids] of bags.entries()) {
        // The positive of a bag: at first its longest text (of its strings, not all of them read
        // together, which is always the longest), then its highest-scoring string (the best's score
        // kept, not scored again at each comparison).
        const first = (id) => (instances[id].together ? 0 : instances[id].text.length);
        let best = ids[0];
        let bestScore = epoch === 0 ? first(best) : score(best);
        for (let i = 1; i < ids.length; i++) {
          const value = epoch === 0 ? first(ids[i]) : score(ids[i]);
          if (value > bestScore) {
            best = ids[i];
            bestScore = value;
          }
        }
        chosen[bag] = best;
      }
      for (let i = 0; i < order.length; i++) order[i] = i;
      for (const example of shuffle(order)) {
        if (example < negativeIds.length) step(negativeIds[example], 0, rate, 1);
        else step(chosen[example - negativeIds.length], 1, rate, positiveWeight);
      }
      // The weights of the later epochs, averaged: less of one shuffle's order in the shipped model.
      if (epoch >= AVERAGE_FROM) {
        for (let i = 0; i < SLOTS; i++) averaged[i] += weights[i];
        averagedBias += bias;
        averagedEpochs++;
      }
    }
  }
  for (let i = 0; i < SLOTS; i++) weights[i] = averaged[i] / averagedEpochs;
  bias = averagedBias / averagedEpochs;
  let most = 0;
  for (const w of weights) most = Math.max(most, Math.abs(w));
  const scale = most / 127 || 1;
  const bytes = Buffer.alloc(SLOTS);
  for (let i = 0; i < SLOTS; i++) bytes[i] = Math.max(1, Math.min(255, Math.round(weights[i] / scale) + 128));
  return { bytes, scale, bias };
}

/** The string model as first sight reads it back (bytes, scale, bias), with an empty layer. */
function stringModel({ bytes, scale, bias }) {
  return modelFrom({
    format: 'gatehouse-first-sight-model/5',
    slots: SLOTS,
    scale,
    bias,
    weights: bytes.toString('base64'),
    layer: {
      bias: 0,
      holdAt: 0,
      holdAtModelAlone: 0,
      holdAtModelAloneShort: 0,
      weights: {},
    },
    trainedOn: {},
  });
}

/**
 * Each item's highest string score under a fitted string model, the field of that string and the
 * second-highest score (as the scan keeps them), into `tops`.
 */
function scoreTops(fitted, list, tops) {
  const model = stringModel(fitted);
  for (const item of list) {
    // Each string's whole scored, the highest of the long strings' sentences apart, and the strings
    // read together (not one of the strings: a feature of its own).
    let part = -Infinity;
    let together = -Infinity;
    const scored = [];
    for (const string of item.strings) {
      const [whole, ...parts] = string.instances.map((instance) => {
        let sum = 0;
        for (const slot of instance.slots) sum += model.weights[slot];
        return model.bias + model.scale * sum * instance.norm;
      });
      if (string.together) {
        together = Math.max(together, whole);
        continue;
      }
      for (const score of parts) part = Math.max(part, score);
      scored.push({ score: whole, field: string.field });
    }
    tops.set(item, { ...topScores(scored), part, together });
  }
}

/** The layer's features of each item, with its string scores from `tops`. */
const featuresOf = (item, tops) => {
  const { top, second, field, part, together } = tops.get(item);
  return decisionFeatures(item.evidence, top, kindOf(item.kind), second, field, part, together);
};

/** Fits the layer (logistic regression, AdaGrad, fixed order) on `train` with string scores `tops`. */
function fitLayer(train, tops, shuffle) {
  const rows = train.map((item) => [featuresOf(item, tops), item.label]);
  const positives = rows.filter(([, label]) => label === 1).length;
  const positiveWeight = (rows.length - positives) / Math.max(1, positives);
  const weights = new Map();
  const squares = new Map();
  let bias = 0;
  let biasSquares = 1e-8;
  for (let epoch = 0; epoch < LAYER_EPOCHS; epoch++)
    for (const [features, label] of shuffle([...rows])) {
      let z = bias;
      for (const [feature, value] of features) z += (weights.get(feature) ?? 0) * value;
      const g = (1 / (1 + Math.exp(-z)) - label) * (label === 1 ? positiveWeight : 1);
      biasSquares += g * g;
      bias -= (LAYER_RATE * g) / Math.sqrt(biasSquares);
      for (const [feature, value] of features) {
        const w = weights.get(feature) ?? 0;
        const gi = g * value + LAYER_L2 * w;
        const s = (squares.get(feature) ?? 1e-8) + gi * gi;
        squares.set(feature, s);
        const next = w - (LAYER_RATE * gi) / Math.sqrt(s);
        // Features that grow as honest strings are added keep weights at zero or above (projected after
        // each step): padding a poisoned definition must never lower its score.
        weights.set(feature, risingFeature(feature) ? Math.max(0, next) : next);
      }
    }
  // Four decimals, as written to the file: what is validated is what is shipped.
  const round = (value) => Math.round(value * 1e4) / 1e4;
  return {
    bias: round(bias),
    weights: new Map(
      [...weights]
        .filter(([, weight]) => round(weight) !== 0)
        .map(([feature, weight]) => [feature, round(weight)]),
    ),
  };
}

/**
 * The string model and layer fitted on `train`: the layer on string scores of three inner folds (each
 * scored by a string model fitted without it), the string model then fitted on all of `train`.
 */
function fitAll(train, name) {
  const shuffle = shuffler(name);
  const inner = new Map();
  for (let k = 0; k < INNER_FOLDS; k++) {
    const fitted = fitStrings(
      train.filter((item) => item.inner !== k),
      shuffle,
    );
    scoreTops(
      fitted,
      train.filter((item) => item.inner === k),
      inner,
    );
  }
  const layer = fitLayer(train, inner, shuffle);
  return { strings: fitStrings(train, shuffle), layer };
}

/** Each item's layer score (and hard hold) under a fitted model. */
function scoreItems(fitted, list) {
  const tops = new Map();
  scoreTops(fitted.strings, list, tops);
  const layer = { bias: fitted.layer.bias, holdAt: 0, holdAtModelAlone: 0, weights: fitted.layer.weights };
  for (const item of list) {
    item.top = tops.get(item).top;
    item.score = decisionScore(featuresOf(item, tops), layer);
  }
}

// Cross-validation by source: each held back in turn, everything else trained on. The tuning corpus is
// held back with the generated training set, whose carriers are its real definitions. Every definition is
// held back by exactly one fold.
const FOLDS = [
  ...Object.keys(CORPORA).map((name) => ({ name, held: (item) => item.source === name, picks: true })),
  { name: 'tuning', held: (item) => item.source === 'tuning' || item.source === 'training', picks: false },
];
/** The fit on every source, which is shipped. */
const SHIPPED = 'shipped';

/**
 * One fit by name, as a child process runs it: a fold's (fitted without its source, its held-back definitions
 * scored) or the shipped one (fitted on every source, every definition scored, the model returned).
 */
function runFit(name) {
  const fold = FOLDS.find((candidate) => candidate.name === name);
  if (!fold && name !== SHIPPED)
    throw new Error(`no fit named ${name}: ${[...FOLDS.map((f) => f.name), SHIPPED].join(', ')}`);
  const fitted = fitAll(fold ? items.filter((item) => !fold.held(item)) : items, name);
  const list = fold ? items.filter(fold.held) : items;
  scoreItems(fitted, list);
  return {
    scores: list.map((item) => [item.index, item.score, item.top]),
    ...(fold
      ? {}
      : {
          model: {
            scale: fitted.strings.scale,
            bias: fitted.strings.bias,
            weights: fitted.strings.bytes.toString('base64'),
            layer: { bias: fitted.layer.bias, weights: [...fitted.layer.weights] },
          },
        }),
  };
}

/**
 * A fit run in a child process of this script (`--fit NAME`), resolved with what it returns; given the
 * cache's folder, it reads the scan kept there.
 */
function fitApart(name, cacheDir) {
  return new Promise((resolve, reject) => {
    const args = ['--fit', name, ...(cacheDir ? ['--cache', cacheDir] : [])];
    const child = fork(fileURLToPath(import.meta.url), args, { stdio: 'inherit' });
    let answer;
    child.once('message', (message) => {
      answer = message;
    });
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      answer
        ? resolve(answer)
        : reject(new Error(`The ${name} fit stopped (${signal ?? `exit ${code}`}) before it answered.`)),
    );
  });
}

/**
 * What a fit's answer depends on, for `--cache`: this script and each definition as the fits read it (its
 * source, label, group, findings, and each string's text and feature slots).
 */
function inputsPrint() {
  const hash = createHash('sha256').update(readFileSync(fileURLToPath(import.meta.url)));
  for (const item of items) {
    hash.update(JSON.stringify([item.source, item.label, item.origin, item.group, item.evidence]));
    for (const string of item.strings)
      for (const instance of string.instances)
        hash.update(
          `${string.field}\u0000${instance.where}\u0000${instance.text}\u0000${instance.slots.join(',')}`,
        );
  }
  return hash.digest('hex');
}

/** A fit's answer kept in `cacheDir` for these inputs, or a fit run apart and kept there. */
async function cachedFit(name, cacheDir, print) {
  if (!cacheDir) return fitApart(name);
  const file = join(cacheDir, `${name}.json`);
  if (existsSync(file)) {
    const kept = JSON.parse(readFileSync(file, 'utf8'));
    if (kept.inputs === print) return kept.answer;
  }
  const answer = await fitApart(name, cacheDir);
  writeFileSync(file, JSON.stringify({ inputs: print, answer }));
  return answer;
}

/** The fits of `names`, `workers` at a time, each in its own process: by name, what each returned. */
async function fitEach(names, workers, cacheDir) {
  const results = new Map();
  const queue = [...names];
  const started = Date.now();
  const print = cacheDir ? inputsPrint() : '';
  if (cacheDir) mkdirSync(cacheDir, { recursive: true });
  await Promise.all(
    Array.from({ length: Math.min(workers, queue.length) }, async () => {
      for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
        results.set(name, await cachedFit(name, cacheDir, print));
        console.error(
          `${name} fitted (${results.size}/${names.length}, ${((Date.now() - started) / 60000).toFixed(1)} min)`,
        );
      }
    }),
  );
  return results;
}

const fitAt = process.argv.indexOf('--fit');
if (fitAt > 0) {
  const name = process.argv[fitAt + 1];
  const answer = runFit(name);
  // Run alone (`--fit NAME --cache DIR`, no parent): the answer is kept in DIR as the parent keeps it, so that
  // fits can run a few at a time without a parent holding every definition beside them.
  if (process.send === undefined) {
    const dir = process.argv[process.argv.indexOf('--cache') + 1];
    if (!process.argv.includes('--cache') || !dir) throw new Error('--fit run alone takes --cache DIR.');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${name}.json`), JSON.stringify({ inputs: inputsPrint(), answer }));
    process.exit(0);
  }
  await new Promise((resolve, reject) =>
    process.send(answer, (error) => (error ? reject(error) : resolve())),
  );
  process.exit(0);
}

// `--only NAME`: that fold alone, for a quick look (nothing written but `--scores`).
const onlyAt = process.argv.indexOf('--only');
if (onlyAt > 0)
  FOLDS.splice(
    0,
    FOLDS.length,
    ...FOLDS.filter((fold) => process.argv[onlyAt + 1].split(',').includes(fold.name)),
  );
const workersAt = process.argv.indexOf('--workers');
const workers = workersAt > 0 ? Number(process.argv[workersAt + 1]) : Math.min(2, availableParallelism());
if (!Number.isInteger(workers) || workers < 1)
  throw new Error(
    `--workers takes a whole number of processes, at least 1 (got ${process.argv[workersAt + 1]}).`,
  );
const cacheAt = process.argv.indexOf('--cache');
if (cacheAt > 0 && !process.argv[cacheAt + 1]) throw new Error('--cache takes a folder to keep fits in.');
// The shipped fit first: it is the longest.
const fits = await fitEach(
  [...(onlyAt > 0 ? [] : [SHIPPED]), ...FOLDS.map((fold) => fold.name)],
  workers,
  cacheAt > 0 ? process.argv[cacheAt + 1] : undefined,
);
for (const fold of FOLDS) {
  fold.heldBack = fits.get(fold.name).scores.map(([index, score, top]) => [items[index], score, top]);
  for (const [item, score, top] of fold.heldBack) Object.assign(item, { score, top });
  // The definitions as written, which every figure counts; the padded twins are counted apart.
  fold.written = fold.heldBack.map(([item]) => item).filter((item) => !item.twin);
  fold.twins = fold.heldBack.map(([item]) => item).filter((item) => item.twin);
}

/** The thresholds the held-back scores of `folds` pick together at `budget` (the retired and written corpora's: `picks`). */
const pickedBy = (folds, budget) =>
  thresholdsWithin(
    folds.filter((fold) => fold.picks).flatMap((fold) => fold.written),
    budget,
  );
/**
 * The rule at `budget`: each retired and written corpus at the thresholds the others pick, pooled (caught,
 * real held) and the median corpus's real held.
 */
function ruleAt(budget) {
  const picking = FOLDS.filter((fold) => fold.picks);
  const out = { budget, caught: 0, poisoned: 0, held: 0, real: 0, shares: [] };
  for (const fold of picking) {
    const at = pickedBy(
      picking.filter((other) => other !== fold),
      budget,
    );
    const list = fold.written;
    const real = list.filter((item) => item.origin === 'real');
    const poisoned = list.filter((item) => item.label === 1);
    const held = real.filter((item) => heldAt(item, at)).length;
    out.caught += poisoned.filter((item) => heldAt(item, at)).length;
    out.poisoned += poisoned.length;
    out.held += held;
    out.real += real.length;
    out.shares.push(held / Math.max(1, real.length));
  }
  const shares = out.shares.sort((a, b) => a - b);
  const middle = Math.floor(shares.length / 2);
  out.median = shares.length % 2 === 1 ? shares[middle] : (shares[middle - 1] + shares[middle]) / 2;
  out.pooled = out.held / Math.max(1, out.real);
  out.keeps = out.pooled <= RULE_LIMIT && out.median <= RULE_LIMIT;
  return out;
}
const rules = onlyAt > 0 ? [] : BUDGETS.map(ruleAt);
/** The budget the shipped weights file was picked at (`--only`), or the smallest when it names none. */
function shippedBudget() {
  const file = JSON.parse(readFileSync(join(root, 'main/core/policy/first-sight-model.json'), 'utf8'));
  const picked = file.trainedOn?.budget;
  return BUDGETS.includes(picked) ? picked : BUDGETS[0];
}
const pct = (share) => `${(100 * share).toFixed(2)} %`;
for (const rule of rules)
  console.log(
    `budget ${pct(rule.budget)}: each corpus at the others' thresholds ${rule.caught}/${rule.poisoned} caught (${pct(rule.caught / Math.max(1, rule.poisoned))}), ${rule.held}/${rule.real} real held (${pct(rule.pooled)}), median corpus ${pct(rule.median)}, thresholds ${shown(pickedBy(FOLDS, rule.budget))}${rule.keeps ? '' : ` — over ${pct(RULE_LIMIT)}`}`,
  );
// The largest budget that keeps to the rule (the smallest if none does, said so); one fold alone cannot
// apply the rule, so it is read at the budget the shipped model was picked at.
const kept = rules.filter((rule) => rule.keeps);
const budget = onlyAt > 0 ? shippedBudget() : kept.length > 0 ? kept[kept.length - 1].budget : BUDGETS[0];
console.log(
  onlyAt > 0
    ? `at ${pct(budget)}, the budget the shipped model was picked at`
    : kept.length > 0
      ? `picked: ${pct(budget)}, the largest budget within the rule`
      : `picked: ${pct(budget)} — no budget keeps within the rule; the smallest is used`,
);
for (const fold of FOLDS) fold.at = thresholdsWithin(fold.written, budget);
const shippedAt = pickedBy(FOLDS, budget);
// What each threshold would cost on each held-back source: caught, and real held.
for (const fold of FOLDS) {
  const line = [0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4].map((at) => {
    const held = (item) => heldAt(item, { holdAt: at, holdAtModelAlone: at, holdAtModelAloneShort: at });
    const list = fold.written;
    const real = list.filter((item) => item.origin === 'real');
    const poisoned = list.filter((item) => item.label === 1);
    return `${at}: ${poisoned.filter(held).length}/${poisoned.length} caught, ${real.filter(held).length}/${real.length} real`;
  });
  console.log(`\n${fold.name} held back, by threshold: ${line.join('; ')}`);
}
const cross = {};
const fromOthers = {};
const why = process.argv.includes('--why');
for (const fold of FOLDS) {
  const list = fold.written;
  cross[fold.name] = {
    atItsOwnThreshold: figures(`${fold.name} held back, at its own thresholds`, list, fold.at, why),
    atTheShippedThreshold: figures(`${fold.name} held back, at the shipped thresholds`, list, shippedAt, why),
  };
  // The rule checked source by source: each retired or written corpus at the thresholds the others pick.
  if (fold.picks && onlyAt < 0) {
    const others = pickedBy(
      FOLDS.filter((other) => other !== fold),
      budget,
    );
    fromOthers[fold.name] = figures(
      `${fold.name} held back, at the thresholds the other sources pick`,
      list,
      others,
      why,
    );
  }
}

// What padding takes: each fold's poisoned tools as written and their padded twins, held at the fold's own
// thresholds and at the shipped ones.
const padded = {};
for (const fold of FOLDS) {
  const twinned = new Set(fold.twins.map((twin) => twin.id.replace(/#padded$/, '')));
  const originals = fold.written.filter((item) => twinned.has(item.id));
  const count = (list, at) => list.filter((item) => heldAt(item, at)).length;
  padded[fold.name] = {
    tools: fold.twins.length,
    asWritten: count(originals, shippedAt),
    padded: count(fold.twins, shippedAt),
  };
  console.log(
    `${fold.name} poisoned tools held back, as written / padded: ${count(originals, fold.at)} / ${count(fold.twins, fold.at)} of ${fold.twins.length} at its own thresholds, ${padded[fold.name].asWritten} / ${padded[fold.name].padded} at the shipped ones`,
  );
}

// `--scores FILE`: every held-back definition's score, model score and strongest string, one JSON line each.
const scoresAt = process.argv.indexOf('--scores');
if (scoresAt > 0)
  writeFileSync(
    process.argv[scoresAt + 1],
    FOLDS.flatMap((fold) =>
      fold.heldBack.map(([item, score, top]) =>
        JSON.stringify({
          fold: fold.name,
          id: item.id,
          label: item.label,
          origin: item.origin,
          class: item.class,
          kind: item.kind,
          score,
          top,
          hard: item.hard,
          found: item.found,
          rules: item.evidence.map((e) => `${e.rule}@${e.own ? 'own-property' : e.field}`),
        }),
      ),
    ).join('\n'),
  );

if (onlyAt > 0) process.exit(0);

// Shipped: fitted on every source, at the thresholds the cross-validation picked.
const shipped = fits.get(SHIPPED);
for (const [index, score, top] of shipped.scores) Object.assign(items[index], { score, top });
const trained = {};
for (const source of ['tuning', 'training', ...Object.keys(CORPORA)])
  trained[source] = figures(
    `shipped model on ${source} (trained on it)`,
    items.filter((item) => item.source === source && !item.twin),
    shippedAt,
    why,
  );
const layerWeights = Object.fromEntries(
  [...shipped.model.layer.weights].sort(([a], [b]) => a.localeCompare(b)),
);
const brief = (out) => ({ caught: out.caught, realHeld: out.realHeld });
const modelFile = join(root, 'main/core/policy/first-sight-model.json');
const modelText = `${JSON.stringify({
  format: 'gatehouse-first-sight-model/5',
  slots: SLOTS,
  scale: shipped.model.scale,
  bias: shipped.model.bias,
  weights: shipped.model.weights,
  layer: { bias: shipped.model.layer.bias, ...shippedAt, weights: layerWeights },
  trainedOn: {
    script: 'scripts/train-first-sight-model.mjs',
    budget,
    poisoned: items.filter((item) => item.label === 1 && !item.twin).length,
    paddedTwins: items.filter((item) => item.twin).length,
    real: items.filter((item) => item.origin === 'real').length,
    writtenBenign: items.filter((item) => item.origin === 'written').length,
    heldBack: Object.fromEntries(
      Object.entries(cross).map(([name, out]) => [name, brief(out.atTheShippedThreshold)]),
    ),
    heldBackPadded: padded,
    heldBackAtTheOthersThresholds: Object.fromEntries(
      Object.entries(fromOthers).map(([name, out]) => [name, brief(out)]),
    ),
    shipped: Object.fromEntries(Object.entries(trained).map(([name, out]) => [name, brief(out)])),
  },
})}\n`;
// Written as the repository's formatter writes it, so that the file the stamp hashes is the file lint accepts.
const prettier = await import('prettier');
writeFileSync(
  modelFile,
  await prettier.format(modelText, { ...(await prettier.resolveConfig(modelFile)), filepath: modelFile }),
);
console.log(
  `\nheld at ${shown(shippedAt)} (${FOLDS.map((fold) => `${fold.name} ${shown(fold.at)}`).join(', ')})`,
);
