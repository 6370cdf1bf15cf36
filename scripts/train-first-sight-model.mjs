// Trains first sight's learned model (main/core/policy/first-sight-model.ts) and writes its weights,
// main/core/policy/first-sight-model.json: a logistic regression over each string's hashed n-grams
// and concepts, fitted by plain SGD with a fixed seed, no network. A poisoned definition is a bag of
// strings of which at least one is poisoned (its highest-scoring string is the positive); every string
// of a real or written benign definition is a negative. A fifth of the template families and of the
// real servers (FOLD, 0 to 4) is kept aside as the validation split, on which the threshold is picked
// and the figures reported; the shipped weights are then fitted on everything at that threshold.
//
//   python3 scripts/first-sight-training/make_training.py poisoned > test/fixtures/first-sight/training/poisoned.json
//   python3 scripts/first-sight-training/make_training.py benign > test/fixtures/first-sight/training/benign.json
//   npx prettier --write test/fixtures/first-sight/training/
//   npm run build && node scripts/train-first-sight-model.mjs && npx prettier --write main/core/policy/first-sight-model.json
//
// It prints the validation and training figures (docs/first-sight-corpus.md keeps them).
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { scannedTexts, scanDefinition } = await import(join(root, 'dist/main/core/policy/first-sight.js'));
const { eachFeature, modelFrom } = await import(join(root, 'dist/main/core/policy/first-sight-model.js'));

const SLOTS = 1 << 17;
const EPOCHS = 20;
const RATE = 0.2;
const L2 = 1e-6;
/** Real definitions held on the validation split, at most (the threshold is the lowest that keeps to it). */
const REAL_HELD_TARGET = 0.015;
/** Written benign definitions held on the validation split, at most. */
const WRITTEN_HELD_TARGET = 0.05;

/** A small deterministic generator (mulberry32), so the same data gives the same weights. */
function random(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = random(20261124);

/** Whether a key (a family, a server) falls in the validation split: a fifth of them, by hash. */
function validation(key) {
  let h = 2166136261;
  for (const c of key) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  return (h >>> 0) % 5 === Number(process.env.FOLD ?? 0);
}

const read = (path) => JSON.parse(readFileSync(join(root, path), 'utf8')).items;
const kindOf = (kind) => (kind === 'template' ? 'resource-template' : kind);
const items = [
  ...read('test/fixtures/first-sight/tuning/poisoned.json').map((item) => ({
    ...item,
    label: 1,
    source: 'tuning',
    group: `tuning:${item.id}`,
  })),
  ...read('test/fixtures/first-sight/training/poisoned.json').map((item) => ({
    ...item,
    label: 1,
    source: 'generated',
    group: `family:${item.family}`,
  })),
  ...read('test/fixtures/first-sight/training/benign.json').map((item) => ({
    ...item,
    label: 0,
    source: 'written',
    group: `family:${item.family}`,
  })),
  ...read('test/fixtures/first-sight/tuning/real.json').map((item) => ({
    ...item,
    label: 0,
    source: 'real',
    group: `server:${item.server.replace(/@[^@]*$/, '')}`,
  })),
];

// Each definition's strings, as the scan reads them, and each string's features.
for (const item of items) {
  item.validation = validation(item.group);
  // Server instructions are listed as `{ instructions }` (docs/first-sight-corpus.md); first sight reads the text.
  item.scanned = item.kind === 'instructions' ? item.definition.instructions : item.definition;
  const texts = scannedTexts(kindOf(item.kind), item.scanned);
  item.strings = texts.map(({ text, concepts, name, where }) => {
    const slots = [];
    const count = eachFeature(text, concepts, name, (slot) => slots.push(slot));
    return { text, where, slots: Int32Array.from(slots), norm: 1 / Math.sqrt(Math.max(1, count)) };
  });
  // What the signals hold alone (the lexicon): the model only adds to it.
  item.signalsHeld = scanDefinition(kindOf(item.kind), item.scanned).some(
    (finding) => finding.rule !== 'reads-as-instructions',
  );
}
/**
 * Fits the model on `train` (plain SGD, multiple-instance positives) and quantises it as shipped: one
 * byte a weight. Returns the bytes, their scale and the bias.
 */
function fit(train) {
  // Negatives: every distinct string of a real or benign training definition.
  const negatives = new Map();
  for (const item of train)
    if (item.label === 0)
      for (const string of item.strings) negatives.set(`${string.where}\u0000${string.text}`, string);
  const negativeStrings = [...negatives.values()];
  const positives = train.filter((item) => item.label === 1 && item.strings.length > 0);
  const positiveWeight = negativeStrings.length / positives.length / 3;
  const weights = new Float64Array(SLOTS);
  let bias = 0;
  const score = (string) => {
    let sum = 0;
    for (const slot of string.slots) sum += weights[slot];
    return bias + sum * string.norm;
  };
  const step = (string, label, rate, weight) => {
    const p = 1 / (1 + Math.exp(-score(string)));
    const g = (p - label) * weight * rate;
    bias -= g * 0.1;
    for (const slot of string.slots) weights[slot] -= g * string.norm + L2 * weights[slot];
  };
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    const rate = RATE / (1 + epoch * 0.5);
    const examples = [];
    for (const string of negativeStrings) examples.push([string, 0, 1]);
    for (const item of positives) {
      // The positive of a bag: at first its longest text, then its highest-scoring string.
      let best = item.strings[0];
      for (const string of item.strings)
        if (epoch === 0 ? string.text.length > best.text.length : score(string) > score(best)) best = string;
      examples.push([best, 1, positiveWeight]);
    }
    for (let i = examples.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [examples[i], examples[j]] = [examples[j], examples[i]];
    }
    for (const [string, label, weight] of examples) step(string, label, rate, weight);
  }
  let most = 0;
  for (const w of weights) most = Math.max(most, Math.abs(w));
  const scale = most / 127 || 1;
  const bytes = Buffer.alloc(SLOTS);
  for (let i = 0; i < SLOTS; i++) bytes[i] = Math.max(1, Math.min(255, Math.round(weights[i] / scale) + 128));
  return { bytes, scale, bias };
}

/** The scores of every item's strings under a fitted model, read back as first sight reads it. */
function scoreAll({ bytes, scale, bias }) {
  const model = modelFrom({
    format: 'gatehouse-first-sight-model/1',
    slots: SLOTS,
    scale,
    bias,
    holdAt: 0,
    weights: bytes.toString('base64'),
    trainedOn: {},
  });
  const score = (string) => {
    let sum = 0;
    for (const slot of string.slots) sum += model.weights[slot];
    return model.bias + model.scale * sum * string.norm;
  };
  for (const item of items) item.modelScore = Math.max(-Infinity, ...item.strings.map(score));
}

// The split: fitted without the validation items, which pick the threshold and give the figures.
scoreAll(fit(items.filter((item) => !item.validation)));
// The threshold: the lowest at which the validation split's real definitions held (signals or model)
// stay within REAL_HELD_TARGET, and its written benign ones (usage guidance, other languages: what
// the real half has too little of) within WRITTEN_HELD_TARGET.
function lowestWithin(negatives, target) {
  const modelOnly = negatives
    .filter((item) => !item.signalsHeld)
    .map((item) => item.modelScore)
    .sort((a, b) => b - a);
  const room = Math.max(0, Math.floor(negatives.length * target) - (negatives.length - modelOnly.length));
  return (modelOnly[room] ?? -10) + 1e-6;
}
const holdAt = Math.max(
  lowestWithin(
    items.filter((item) => item.validation && item.source === 'real'),
    REAL_HELD_TARGET,
  ),
  lowestWithin(
    items.filter((item) => item.validation && item.source === 'written'),
    WRITTEN_HELD_TARGET,
  ),
);
const validReal = items.filter((item) => item.validation && item.label === 0);

const held = (item) => item.signalsHeld || item.modelScore >= holdAt;
function report(name, subset) {
  const poisoned = subset.filter((item) => item.label === 1);
  const real = subset.filter((item) => item.source === 'real');
  const written = subset.filter((item) => item.source === 'written');
  const caught = poisoned.filter(held).length;
  const line = (what, list) => `${what} ${list.filter(held).length}/${list.length}`;
  const by = (key) => {
    const groups = new Map();
    for (const item of poisoned) groups.set(item[key], [...(groups.get(item[key]) ?? []), item]);
    return [...groups]
      .sort()
      .map(([group, list]) => line(group, list))
      .join(', ');
  };
  const out = {
    caught: `${caught}/${poisoned.length} (${((100 * caught) / Math.max(1, poisoned.length)).toFixed(1)} %)`,
    signalsAlone: `${poisoned.filter((item) => item.signalsHeld).length}/${poisoned.length}`,
    realHeld: `${real.filter(held).length}/${real.length} (${((100 * real.filter(held).length) / Math.max(1, real.length)).toFixed(1)} %)`,
    realHeldBySignals: `${real.filter((item) => item.signalsHeld).length}/${real.length}`,
    servers: new Set(real.map((item) => item.group)).size,
    writtenBenignHeld: `${written.filter(held).length}/${written.length}`,
  };
  console.log(`\n## ${name}\n${JSON.stringify(out, null, 1)}`);
  console.log(`by class: ${by('class')}\nby kind: ${by('kind')}\nby language: ${by('language')}`);
  return out;
}
const validationFigures = report(
  'validation (servers and families never trained on)',
  items.filter((item) => item.validation),
);
const generatedValidation = report(
  'validation, generated families only',
  items.filter((item) => item.validation && item.source !== 'tuning'),
);
const trainingFigures = report(
  'training',
  items.filter((item) => !item.validation),
);
if (process.argv.includes('--why'))
  for (const item of validReal.filter((item) => item.source === 'real' && held(item)))
    console.log(
      'held real:',
      item.server,
      item.definition.name,
      item.modelScore.toFixed(2),
      item.signalsHeld,
    );
if (process.argv.includes('--why'))
  for (const item of items.filter((item) => item.validation && item.source === 'written' && held(item)))
    console.log('held written:', item.family, JSON.stringify(item.definition).slice(0, 160));

// Shipped: fitted on everything, validation items included, at the threshold the split picked (a
// family or server kept aside then is one more the model learns from now).
const shipped = fit(items);
const { bytes, scale, bias } = shipped;
scoreAll(shipped);
const shippedFigures = report('shipped model, every item (trained on all of them)', items);
writeFileSync(
  join(root, 'main/core/policy/first-sight-model.json'),
  `${JSON.stringify({
    format: 'gatehouse-first-sight-model/1',
    slots: SLOTS,
    scale,
    bias,
    holdAt,
    weights: bytes.toString('base64'),
    trainedOn: {
      script: 'scripts/train-first-sight-model.mjs',
      poisoned: items.filter((item) => item.label === 1).length,
      real: items.filter((item) => item.source === 'real').length,
      writtenBenign: items.filter((item) => item.source === 'written').length,
      validation: validationFigures,
      validationGenerated: generatedValidation,
      training: trainingFigures,
      shipped: shippedFigures,
    },
  })}\n`,
);
console.log(`\nholdAt ${holdAt.toFixed(3)}, scale ${scale.toExponential(3)}, bias ${bias.toFixed(3)}`);
