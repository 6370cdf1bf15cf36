// An ask split across a definition's fields ("see the notes field" in the description, "read the
// user's SSH key" in one parameter, "put it here" in another), judged as a whole. A small definition's
// strings are judged all together; a larger one's in groups — one parameter's strings (its
// description, examples, default), or the definition's own (its title, description) — each group
// alone, so that honest parameters added to an ask split within one group (copied from any real
// server: they cost an attacker nothing) cannot push it past the bound. An ask split across groups is
// judged only within the bound (docs/security-model.md).
import { signalsOf, weightOf, type Signal } from './first-sight-signals.js';
import { HOLD_AT, mostWeight } from './first-sight-weight.js';
import { PATHS } from './first-sight-gate-table.js';
import { conceptHits, type ConceptHit, type MarkHit } from './first-sight-concepts.js';
import { CONCEPT as K } from './first-sight-concept-bits.js';
import { spelled, WHOLE_MAX_CHARS, WHOLE_MAX_STRINGS, type Read, type Scan } from './first-sight-scan.js';
import { pushSignals } from './first-sight-judging.js';

/** The signals an ask split across a definition's fields can carry. */
const SPLIT_SIGNALS = new Set<Signal>([
  'secret-material',
  'concealment',
  'other-tools',
  'recipient-change',
  'egress',
  'addresses-model',
]);

/**
 * Groups of a larger definition judged, at most (each as much text as a small definition, at most): a
 * hostile definition may have thousands. Past it the rest are not judged as groups (each string still is,
 * alone); so are strings past the first WHOLE_KEEP_MAX kept (first-sight-scan.ts).
 */
const JUDGED_MAX = 256;
/** The concepts without which no split signal but egress or addressing the AI arises. */
const SPLIT_CORE = K.secret | K.place | K.hide | K.tell | K.tool | K.recipient | K.replace;

/**
 * When nothing held the definition piece by piece, its strings are judged together and held when they
 * weigh more than one sentence must; a definition past the bound of a whole judged at once
 * (WHOLE_MAX_STRINGS, WHOLE_MAX_CHARS), group by group instead.
 */
export function judgeWhole(scan: Scan): void {
  if (scan.findings.length > 0 || scan.read.length < 2) return;
  if (scan.read.length <= WHOLE_MAX_STRINGS && scan.readChars <= WHOLE_MAX_CHARS) {
    judgeTogether(scan, scan.read);
    return;
  }
  judgeGroups(scan);
}

/**
 * The group a string belongs to: the innermost property whose strings it is (its description, examples,
 * default, enum), a prompt's argument, another field's key (`_meta.recipient`), or the definition's own.
 */
function groupOf(path: ReadonlyArray<string | number>): string {
  let cut = -1;
  for (let i = 0; i + 1 < path.length; i++)
    if (path[i] === 'properties' && (i === 0 || path[i - 1] !== 'properties')) cut = i + 1;
  if (cut >= 0) return path.slice(0, cut + 1).join('\u0000');
  return path.length <= 1 ? '' : `${String(path[0])}\u0000${String(path[1])}`;
}

/** One group of a larger definition's strings, by their index in the scan's. */
interface Group {
  reads: number[];
  chars: number;
  concepts: number;
  marked: boolean;
}

/**
 * A larger definition's groups judged each alone (as many strings and characters as a small definition,
 * at most), until one holds: at most JUDGED_MAX groups, those whose concepts could carry a split ask
 * first. Groups are not judged with one another: on the real definitions measured, any two or three
 * of a large honest definition's groups held dozens of them (a "set" here, a "token" there).
 */
function judgeGroups(scan: Scan): void {
  const byKey = new Map<string, Group>();
  scan.read.forEach(({ path, said }, index) => {
    const key = groupOf(path);
    let group = byKey.get(key);
    if (group === undefined) byKey.set(key, (group = { reads: [], chars: 0, concepts: 0, marked: false }));
    group.reads.push(index);
    group.chars += said.text.length;
    group.concepts |= said.concepts;
    if (said.marks.length > 0) group.marked = true;
  });
  let judged = 0;
  for (const group of byKey.values()) {
    if (group.reads.length < 2 || group.reads.length > WHOLE_MAX_STRINGS || group.chars > WHOLE_MAX_CHARS)
      continue;
    // The judgement's own first test (judgeTogether), and a split signal's concepts, read from bits.
    if ((group.concepts & SPLIT_CORE) === 0 || (!group.marked && mostWeight(group.concepts) < HOLD_AT))
      continue;
    if (++judged > JUDGED_MAX) return;
    if (
      judgeTogether(
        scan,
        group.reads.map((index) => scan.read[index]!),
      )
    )
      return;
  }
}

/** Judges strings together; pushes their findings and returns true when they hold. */
function judgeTogether(scan: Scan, read: Read[]): boolean {
  // What the strings together could weigh, from their concepts alone, before any is placed.
  let concepts = 0;
  let marked = false;
  for (const { said } of read) {
    concepts |= said.concepts;
    if (said.marks.length > 0) marked = true;
  }
  if (!marked && mostWeight(concepts) < HOLD_AT) return false;
  const hits: ConceptHit[] = [];
  const marks: MarkHit[] = [];
  let text = '';
  for (const { said } of read) {
    const offset = text.length;
    text += `${said.text}\n`;
    said.hits ??= conceptHits(said.text, (said.bits & PATHS) !== 0);
    for (const hit of said.hits) hits.push({ ...hit, start: hit.start + offset, end: hit.end + offset });
    for (const mark of said.marks)
      marks.push({ ...mark, start: mark.start + offset, end: mark.end + offset });
  }
  // An ask split across fields: a secret to hand over, the user to keep in the dark, other tools, a
  // recipient; never an old rule dropped or a marker, which a single sentence says.
  const signals = signalsOf(text, hits, marks).filter((hit) => SPLIT_SIGNALS.has(hit.signal));
  if (!signals.some((hit) => hit.signal !== 'addresses-model' && hit.signal !== 'egress')) return false;
  const weight = weightOf(signals);
  // Held only when the strings together weigh more than any of them alone, by two: an ask split
  // apart, not a long definition that says many things.
  const alone = Math.max(
    ...read.map(({ said }) => (said.weight ??= weightOf(signalsOf(said.text, said.hits!, said.marks)))),
  );
  if (weight < HOLD_AT || weight < alone + 2) return false;
  const places = read.map((part) => spelled(part.path, part.note)).join(', ');
  pushSignals(scan, `together, ${places}`, text, 0, text.length, signals, {
    field: 'together',
    view: 'written',
  });
  return true;
}
