// First-sight scanning: every string of a tool, prompt, resource, resource template or server
// instructions — names, titles, descriptions, every schema keyword's text at any depth, annotations,
// `_meta` — read for what a person reviewing it would not see or would not expect: hidden characters
// and look-alike names (first-sight-characters.ts), and what the text asks the model for (a secret
// handed over, the user kept in the dark, other tools, old rules dropped: first-sight-signals.ts), in
// any of ten languages, through leetspeak, spacing and encodings (first-sight-views.ts). A definition
// with findings is held before any client sees it (docs/security-model.md, "Tools held on first sight").
import { characterHits, foldedText, lookAlikeHits } from './first-sight-characters.js';
import { visibleText } from '../visible-text.js';
import {
  heldStretches,
  readText,
  sentences,
  signalsOf,
  weightOf,
  type Signal,
  type SignalHit,
} from './first-sight-signals.js';
import { HOLD_AT, mostWeight } from './first-sight-weight.js';
import { decodedViews, joinedView } from './first-sight-views.js';
import { firstSightModel, modelScore } from './first-sight-model.js';
import {
  decisionFeatures,
  decisionScore,
  fieldOf,
  hardHold,
  ownProperty,
  type Evidence,
  type EvidenceField,
  type EvidenceView,
} from './first-sight-decision.js';
import {
  BLANK_RUN,
  ESCAPES,
  gate,
  LEET,
  LONG_RUN,
  MARKS,
  mayHoldWith,
  NAME_PARTS,
  NOT_PLAIN,
  passed,
  PATHS,
  ROT13,
  SPACED,
} from './first-sight-gate.js';
import {
  conceptHits,
  markHits,
  masked,
  placeHits,
  unleetText,
  type ConceptHit,
  type MarkHit,
} from './first-sight-concepts.js';

/** The kinds of definition scanned on first sight. */
export type FirstSightKind = 'tool' | 'prompt' | 'resource' | 'resource-template' | 'instructions';

/** The rules, by the name shown beside each finding: what the characters hide, and what the text asks for. */
type FirstSightRule =
  | 'hidden-characters'
  | 'terminal-escape'
  | 'whitespace-run'
  | 'look-alike'
  | 'encoded-payload'
  | 'reads-as-instructions'
  | Signal;

/** One reason a definition is held, with the part that tripped it (made visible). */
export interface FirstSightFinding {
  rule: FirstSightRule;
  /** A sentence for the user. */
  reason: string;
  /** Where in the definition: `description`, `inputSchema.properties.path.description`, … */
  where: string;
  /** The offending part and a little context either side, every invisible character made visible. */
  excerpt: { before: string; match: string; after: string };
}

/** At most this many findings are kept per definition (the first few say enough). */
const MAX_FINDINGS = 12;
/** Strings read per definition, and how deep a schema is walked; a hostile schema may be huge. */
const MAX_STRINGS = 4000;
const MAX_DEPTH = 24;
/** Characters of context either side of a finding. */
const CONTEXT = 60;
/** A definition whose strings (those that say anything) add up to more is not judged as a whole. */
const WHOLE_MAX_CHARS = 600;
const WHOLE_MAX_STRINGS = 8;
/** The signals an ask split across a definition's fields can carry. */
const SPLIT_SIGNALS = new Set<Signal>([
  'secret-material',
  'concealment',
  'other-tools',
  'recipient-change',
  'egress',
  'addresses-model',
]);
/** A gate() answer that calls for every reading. */
const EVERY_READING = -1;
/** A string shorter than this is not read as rot13 (first-sight-views.ts reads none shorter). */
const ROT13_MIN = 40;
/** Characters of a held stretch shown as its match. */
const MAX_MATCH = 240;

/**
 * What a string gave the definition as a whole (an ask split across its fields): the same wherever the
 * string stands, so one listing's repeats of it share it (HeardStrings).
 */
interface Said {
  text: string;
  /** Its concepts, as bits: what the whole could weigh is known before any hit is placed. */
  concepts: number;
  /** Where its concepts stand; undefined until needed (a text the gate's pass read alone). */
  hits: ConceptHit[] | undefined;
  marks: MarkHit[];
  /** The gate's bits for it: whether paths are read. */
  bits: number;
  /** What its signals weigh alone; undefined until needed. */
  weight?: number;
}

/** One string read, kept for judging the definition as a whole. */
interface Read {
  /** The path to it (spelled only if the whole is held). */
  path: Array<string | number>;
  note: string | undefined;
  said: Said;
}

/** What a string held nothing for, as the definition as a whole will read it: what it names, or nothing. */
type Heard = Said | null;

/** What a listing's string that held nothing gave: to the definition as a whole, and the model's score. */
interface HeardEntry {
  heard: Heard;
  score: number;
  /** Its sentences' highest score (scoreParts; -Infinity: scored whole only). */
  part: number;
}

/**
 * The strings of one listing that held nothing, with what each gave the definition as a whole (what it
 * names, for an ask split across fields), so that a repeat (a parameter's description shared by many
 * tools, a property name) is not read again. What a string says depends on the string alone (and on
 * whether it is a name), so a repeat says the same. Made per listing and dropped with it: nothing is
 * kept between listings, and a listing whose strings are all new gains nothing from it.
 */
export class HeardStrings {
  readonly #texts = new Map<string, HeardEntry>();
  readonly #names = new Map<string, HeardEntry>();

  /** What `text` (a name, if `name`) gave when it held nothing; undefined if it was not heard. */
  get(text: string, name: boolean): HeardEntry | undefined {
    return (name ? this.#names : this.#texts).get(text);
  }

  /** Notes what `text` gave (up to HEARD_MAX strings of each kind: a hostile listing may be huge). */
  set(text: string, name: boolean, heard: HeardEntry): void {
    const map = name ? this.#names : this.#texts;
    if (map.size < HEARD_MAX) map.set(text, heard);
  }
}

/** Strings remembered per listing, at most, of each kind (texts and names). */
const HEARD_MAX = 100_000;

/** One definition's scan: the strings read so far, the findings, and the path to the string at hand. */
interface Scan {
  /** Every reading of every string, the gate skipped (what the gate must agree with: tests compare). */
  everyReading: boolean;
  /** The listing's strings that held nothing, if the caller keeps them (never with everyReading). */
  heard: HeardStrings | undefined;
  /** Findings pushed so far, repeats among them. */
  pushed: number;
  /** What the string at hand gave the whole (keep), if anything. */
  kept: Heard;
  strings: number;
  findings: FirstSightFinding[];
  seen: Set<string>;
  /** Keys and indexes from the definition down to the string being read. */
  path: Array<string | number>;
  /** Strings with any concept or mark in them, for the definition as a whole (until there are too many). */
  read: Read[];
  readChars: number;
  /** The string at hand: its key's note, and its place once spelled. */
  note: string | undefined;
  where: string | undefined;
  /** The model's score of the string at hand (as written, folded). */
  score: number;
  /** The string the model scored highest, if any (first-sight-model.ts). */
  top: ModelBest | undefined;
  /** The second-highest string score (-Infinity: fewer than two strings). */
  second: number;
  /** The highest score of a long string's sentences, each scored apart (-Infinity: none). */
  part: number;
  /** That of the string at hand. */
  stringPart: number;
  /** Every finding pushed, as the definition's layer reads it (first-sight-decision.ts). */
  evidence: Evidence[];
  /** Every string's folded text, concepts and score, for the model's trainer; undefined in a scan. */
  texts: ScannedText[] | undefined;
}

/** The string of a definition the model scores highest, kept to say why if the definition is held. */
interface ModelBest {
  score: number;
  text: string;
  name: boolean;
  path: Array<string | number>;
  note: string | undefined;
}

/** One string of a definition as the model reads it (folded, a name as its words), for its trainer. */
interface ScannedText {
  text: string;
  concepts: number;
  name: boolean;
  where: string;
  /** The field it stands in, as the layer tells them apart. */
  field: EvidenceField;
  /** A long string's sentences, each scored apart too (scoreParts). */
  parts?: Array<{ text: string; concepts: number }>;
}

/** The path as the user reads it: `inputSchema.properties.path.description`, `arguments[0].name`. */
function spelled(path: ReadonlyArray<string | number>, note: string | undefined): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : out === '' ? part : `.${part}`;
  return note === undefined ? out : `${out} ${note}`;
}

/** Reads one string at `scan.path` (plus `key`, if given): `name`, it is a name; `note` says it is a key itself. */
function read(
  scan: Scan,
  key: string | number | undefined,
  text: unknown,
  name = false,
  note?: string,
): void {
  if (typeof text !== 'string' || text === '' || scan.strings >= MAX_STRINGS) return;
  scan.strings++;
  if (key !== undefined) scan.path.push(key);
  // The place is spelled out only for a string with something to say (most have nothing).
  scan.note = note;
  scan.where = undefined;
  const heard = scan.heard;
  if (heard === undefined) scanString(scan, text, name);
  else {
    const before = heard.get(text, name);
    if (before !== undefined) {
      // Heard before: what it named (if anything) joins the whole, and its score counts again here.
      if (before.heard !== null) keep(scan, before.heard);
      noteScore(scan, before.score, text, name);
      if (before.part > scan.part) scan.part = before.part;
    } else {
      const pushed = scan.pushed;
      scan.kept = null;
      scanString(scan, text, name);
      if (scan.pushed === pushed)
        heard.set(text, name, { heard: scan.kept, score: scan.score, part: scan.stringPart });
    }
  }
  if (key !== undefined) scan.path.pop();
}

/** The place of the string at hand, as the user reads it (spelled once, when first needed). */
function whereNow(scan: Scan): string {
  scan.where ??= spelled(scan.path, scan.note);
  return scan.where;
}

/** Every string a model reads of a definition, each read where it is. */
function readDefinition(scan: Scan, kind: FirstSightKind, definition: unknown): void {
  if (kind === 'instructions') {
    read(scan, 'instructions', definition);
    return;
  }
  if (!isRecord(definition)) return;
  read(scan, 'name', definition.name, true);
  read(scan, 'title', definition.title);
  read(scan, 'description', definition.description);
  if (kind === 'tool') {
    walkSchema(scan, 'inputSchema', definition.inputSchema, 0, false);
    walkSchema(scan, 'outputSchema', definition.outputSchema, 0, false);
    walkText(scan, 'annotations', definition.annotations, 0, ANNOTATION_KEYS);
  } else if (kind === 'prompt' && Array.isArray(definition.arguments)) {
    definition.arguments.forEach((argument: unknown, i) => {
      if (!isRecord(argument)) return;
      scan.path.push('arguments', i);
      read(scan, 'name', argument.name, true);
      read(scan, 'title', argument.title);
      read(scan, 'description', argument.description);
      scan.path.length -= 2;
    });
  } else if (kind === 'resource') {
    read(scan, 'uri', definition.uri);
    read(scan, 'mimeType', definition.mimeType);
  } else if (kind === 'resource-template') {
    read(scan, 'uriTemplate', definition.uriTemplate);
    read(scan, 'mimeType', definition.mimeType);
  }
  // Clients pass `_meta` on to the model as often as not: every key and string in it is read.
  walkText(scan, '_meta', definition._meta, 0);
}

/** The MCP tool annotations' own keys: not text anyone wrote for the model. */
const ANNOTATION_KEYS = new Set([
  'title',
  'readOnlyHint',
  'destructiveHint',
  'idempotentHint',
  'openWorldHint',
]);
const NO_KEYS: ReadonlySet<string> = new Set();

/**
 * Every key and string of a value no schema describes (`_meta`, annotations), keys read as names
 * (but `known` ones, the format's own).
 */
function walkText(
  scan: Scan,
  at: string | number,
  value: unknown,
  depth: number,
  known: ReadonlySet<string> = NO_KEYS,
): void {
  if (typeof value === 'string') {
    read(scan, at, value);
    return;
  }
  if (typeof value !== 'object' || value === null || depth > MAX_DEPTH || scan.strings >= MAX_STRINGS) return;
  scan.path.push(at);
  if (Array.isArray(value)) value.forEach((item: unknown, i) => walkText(scan, i, item, depth + 1));
  else
    for (const key in value as Record<string, unknown>) {
      if (!known.has(key)) read(scan, key, key, true, '(key)');
      walkText(scan, key, (value as Record<string, unknown>)[key], depth + 1);
    }
  scan.path.pop();
}

/**
 * Every key and string value of a schema: property names (as names), descriptions, titles, defaults,
 * enums, examples — and whatever else it carries, since a model reads the whole schema (CyberArk's
 * "full-schema poisoning" hides instructions in non-standard fields and in `required`).
 */
function walkSchema(scan: Scan, at: string | number, value: unknown, depth: number, isMap: boolean): void {
  if (typeof value === 'string') {
    read(scan, at, value);
    return;
  }
  // Numbers, booleans and null hold no text.
  if (typeof value !== 'object' || value === null || depth > MAX_DEPTH || scan.strings >= MAX_STRINGS) return;
  scan.path.push(at);
  // What the object holds is one level deeper: past MAX_DEPTH only its keys are read.
  const deeper = depth < MAX_DEPTH;
  if (Array.isArray(value)) {
    for (let i = 0; deeper && i < value.length && scan.strings < MAX_STRINGS; i++) {
      const item: unknown = value[i];
      if (typeof item === 'string') read(scan, i, item);
      else if (typeof item === 'object' && item !== null) walkSchema(scan, i, item, depth + 1, false);
    }
  } else {
    const record = value as Record<string, unknown>;
    for (const key in record) {
      if (scan.strings >= MAX_STRINGS) break;
      // One lookup says what the key is to JSON Schema (KEYWORD bits); 0 for text someone wrote.
      const keyword = isMap ? 0 : (KEYWORDS.get(key) ?? 0);
      if (isMap) read(scan, key, key, true, '(name)');
      else if (keyword === 0) read(scan, key, key, true, '(key)');
      // `type` and `format` values are JSON Schema's own words; everything else is text someone wrote.
      if ((keyword & KEYWORD_VALUE) !== 0 || !deeper) continue;
      const item = record[key];
      if (typeof item === 'string') read(scan, key, item);
      else if (typeof item === 'object' && item !== null)
        walkSchema(scan, key, item, depth + 1, (keyword & KEYWORD_MAP) !== 0);
    }
  }
  scan.path.pop();
}

/** JSON Schema's own keywords: their names are not text anyone wrote for the model. */
const KEYWORD = 1;
/** Keywords whose value maps names to schemas: their keys are property (or definition) names. */
const KEYWORD_MAP = 2;
/** Keywords whose value is JSON Schema's own word (`type`, `format`, a `$ref`), not read. */
const KEYWORD_VALUE = 4;

const KEYWORDS = new Map<string, number>(
  (
    '$schema $id $ref $defs $comment $anchor $dynamicRef $dynamicAnchor $vocabulary definitions type properties ' +
    'patternProperties additionalProperties required items prefixItems additionalItems contains minContains ' +
    'maxContains unevaluatedItems unevaluatedProperties propertyNames dependentRequired dependentSchemas ' +
    'dependencies enum const default examples example title description format pattern minLength maxLength ' +
    'minimum maximum exclusiveMinimum exclusiveMaximum multipleOf minItems maxItems uniqueItems minProperties ' +
    'maxProperties allOf anyOf oneOf not if then else readOnly writeOnly deprecated nullable contentEncoding ' +
    'contentMediaType contentSchema discriminator x-nullable'
  )
    .split(' ')
    .map((key) => [
      key,
      KEYWORD |
        (['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'].includes(key)
          ? KEYWORD_MAP
          : 0) |
        (['type', 'format', '$ref', '$schema'].includes(key) ? KEYWORD_VALUE : 0),
    ]),
);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function excerpt(text: string, start: number, end: number): FirstSightFinding['excerpt'] {
  const from = Math.max(0, start - CONTEXT);
  const to = Math.min(text.length, end + CONTEXT);
  return {
    before: (from > 0 ? '…' : '') + visibleText(text.slice(from, start)),
    match: visibleText(text.slice(start, end)),
    after: visibleText(text.slice(end, to)) + (to < text.length ? '…' : ''),
  };
}

function push(scan: Scan, finding: FirstSightFinding, evidence?: Evidence): void {
  scan.pushed++;
  if (evidence !== undefined) scan.evidence.push(evidence);
  // One finding per rule and place and reason: a sentence matched twice says nothing new.
  const key = `${finding.rule}\u0000${finding.where}\u0000${finding.reason}`;
  if (scan.seen.has(key) || scan.findings.length >= MAX_FINDINGS) return;
  scan.seen.add(key);
  scan.findings.push(finding);
}

/** What each signal asks of the model, in words (a verb each: "asks the AI to …"). */
const SIGNAL_WORDS: Record<Signal, string> = {
  'secret-material': 'asks the AI to hand over secrets or the conversation',
  concealment: 'asks the AI to keep something from you',
  'skip-consent': 'asks the AI to act without asking you',
  override: 'tells the AI to drop the instructions it was given',
  'role-marker': 'addresses the AI with a tag, comment or role marker',
  'other-tools': 'tells the AI what to do with other tools',
  'recipient-change': 'asks the AI to change where things are sent',
  egress: 'sends data to an outside address',
  authority: 'invokes an authority to make the AI comply',
  'tool-preference': 'tells the AI to avoid or distrust other tools',
  manipulation: 'asks the AI to mislead you',
  obfuscation: 'disguises its words (leetspeak, spaced-out letters) so they pass unread',
  'addresses-model': 'speaks to the AI rather than describing the tool',
};

/** A signal's reason: what it asks for, and the words that carry it. */
function signalReason(hit: SignalHit): string {
  const said = hit.said.map((word) => `"${visibleText(word.length > 80 ? `${word.slice(0, 80)}…` : word)}"`);
  return `${SIGNAL_WORDS[hit.signal]}${said.length > 0 ? ` (${said.join(', ')})` : ''}`;
}

/** The findings of a stretch of text held for its signals, one per signal (the heaviest first). */
function pushSignals(
  scan: Scan,
  where: string,
  text: string,
  start: number,
  end: number,
  signals: SignalHit[],
  { field, view }: { field: EvidenceField; view: EvidenceView },
): void {
  const stretch = weightOf(signals);
  const seen = new Set<Signal>();
  for (const hit of [...signals].sort((a, b) => b.weight - a.weight)) {
    if (seen.has(hit.signal)) continue;
    seen.add(hit.signal);
    // The sentence that asked it — or, for a mark (a tag, a link), the mark itself.
    const mark = MARK_SIGNALS.has(hit.signal) && hit.said[0] ? text.indexOf(hit.said[0], start) : -1;
    const [from, to] =
      mark >= 0 && mark < end
        ? [mark, mark + hit.said[0]!.length]
        : [start, Math.min(end, start + MAX_MATCH)];
    push(
      scan,
      {
        rule: hit.signal,
        reason: `${capitalised(where)} ${signalReason(hit)}.`,
        where,
        excerpt: excerpt(text, from, to),
      },
      {
        rule: hit.signal,
        weight: hit.weight,
        stretch,
        field,
        view,
        own: ownProperty(scan.path, hit.said),
        hard: hardHold(hit.signal, view, hit.mark),
      },
    );
  }
}

/** The signals a mark carries: their finding shows the mark, not the whole sentence. */
const MARK_SIGNALS = new Set<Signal>(['role-marker', 'egress']);

/** Splits a name into words: `send_email`, `sendEmail`, `send-email` read as "send email". */
function nameWords(text: string): string {
  return text.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ');
}

/** Reads one string: the character rules, then what it (and every other reading of it) asks for. */
function scanString(scan: Scan, text: string, name: boolean): void {
  const gated = scan.everyReading ? EVERY_READING : gate(text, name);
  if ((gated & (NOT_PLAIN | BLANK_RUN)) !== 0)
    for (const hit of characterHits(text, (gated & BLANK_RUN) !== 0))
      push(
        scan,
        {
          rule: hit.rule,
          reason: `Hidden in ${whereNow(scan)}: ${hit.reason}.`,
          where: whereNow(scan),
          excerpt: excerpt(text, hit.start, hit.end),
        },
        characterEvidence(scan, hit.rule),
      );
  if (name && (gated & NOT_PLAIN) !== 0)
    for (const hit of lookAlikeHits(text))
      push(
        scan,
        {
          rule: hit.rule,
          reason: `Look-alike in ${whereNow(scan)}: ${hit.reason}.`,
          where: whereNow(scan),
          excerpt: excerpt(text, hit.start, hit.end),
        },
        characterEvidence(scan, hit.rule),
      );
  // A name is read as its words ("sendEmail" as "send Email"), and judged as the field the model
  // fills: what it names goes there (a property called "content_from_reading_ssh_id_rsa" asks for that
  // file); names do not join the definition's whole.
  const words = name && (gated & NAME_PARTS) !== 0 ? nameWords(text) : text;
  const folded = (gated & NOT_PLAIN) !== 0 ? foldedText(words) : words;
  if (scan.everyReading) {
    judge(scan, folded, { kept: !name, bits: gated, field: name });
    readViews(scan, folded, gated);
    // The model reads the concepts the gate's pass finds (code and links left out), as a scan does.
    if ((gate(folded, name) & MARKS) !== 0) gate(masked(folded), name);
    scoreString(scan, text, folded, passed.concepts, name);
    scoreParts(scan, text, folded, name);
    return;
  }
  // Folding can bring in what the gate did not see (a full-width "＜"): the gate reads the folded text.
  const bits = folded === text ? gated : gate(folded, name);
  // The gate's pass read every word and phrase of it (unless another script's: OTHER_SCRIPT). Unless a
  // sentence (or two) could be held with its marks, or it names a place secrets live, nothing more
  // need be read of it.
  let marks: MarkHit[] | undefined;
  if ((bits & MARKS) !== 0) {
    // Code and links are not read as words: the concepts are those of the text without them.
    const unmasked = masked(folded);
    if (unmasked !== folded) gate(unmasked, name);
    marks = markHits(folded);
  }
  scoreString(scan, text, folded, passed.concepts, name);
  const mayHold = marks === undefined ? passed.mayHold : mayHoldWith(marks);
  if (mayHold || ((bits & PATHS) !== 0 && placeHits(folded).length > 0))
    judge(scan, folded, { kept: !name, bits, field: name, marks });
  else if (!name && (passed.concepts !== 0 || (marks !== undefined && marks.length > 0)))
    keep(scan, { text: folded, concepts: passed.concepts, hits: undefined, marks: marks ?? [], bits });
  readViews(scan, folded, bits);
  scoreParts(scan, text, folded, name);
}

/** A character rule's finding as the layer reads it: as heavy as a held stretch. */
function characterEvidence(scan: Scan, rule: string): Evidence {
  return {
    rule,
    weight: HOLD_AT,
    stretch: HOLD_AT,
    field: fieldOf(scan.path, scan.note),
    view: 'written',
    own: false,
    hard: hardHold(rule, 'written', undefined),
  };
}

/** The model's score of a string (folded, with the gate's concepts), noted for the definition. */
function scoreString(scan: Scan, text: string, folded: string, concepts: number, name: boolean): void {
  // The trainer's reading: what the model would score, not scored by the model it is replacing.
  if (scan.texts !== undefined) {
    scan.texts.push({
      text: folded,
      concepts,
      name,
      where: whereNow(scan),
      field: fieldOf(scan.path, scan.note),
    });
    return;
  }
  scan.score = modelScore(folded, concepts, name);
}

/** A string this long or longer, of two sentences or more, is scored sentence by sentence too. */
const PARTS_FROM = 80;
/** A sentence shorter than this is scored with the one after it. */
const PART_CHARS = 24;
/** Sentences scored apart, at most, in one string: past them a long string costs no more. */
const MAX_PARTS = 32;

/**
 * A long string's sentences, each scored apart as well (a sentence buried among honest ones is
 * diluted in the whole): the highest is the definition's part score, which the layer weighs beside
 * the strings' own (first-sight-decision.ts). Then the string's score is noted. Names are scored whole.
 */
function scoreParts(scan: Scan, text: string, folded: string, name: boolean): void {
  const parts = name || folded.length < PARTS_FROM ? [] : partsOf(folded);
  const entry = scan.texts === undefined ? undefined : scan.texts[scan.texts.length - 1];
  scan.stringPart = -Infinity;
  for (const part of parts) {
    // The concepts of the sentence alone, code and links left out, as the whole's are found.
    if ((gate(part, false) & MARKS) !== 0) gate(masked(part), false);
    if (entry !== undefined) (entry.parts ??= []).push({ text: part, concepts: passed.concepts });
    else scan.stringPart = Math.max(scan.stringPart, modelScore(part, passed.concepts, false));
  }
  if (entry !== undefined) return;
  if (scan.stringPart > scan.part) scan.part = scan.stringPart;
  noteScore(scan, scan.score, text, name);
}

/** A text's sentences as the model scores them apart (none when it is one sentence). */
function partsOf(folded: string): string[] {
  const parts: string[] = [];
  let from = -1;
  for (const [start, end] of sentences(folded)) {
    if (from < 0) from = start;
    if (end - from < PART_CHARS) continue;
    parts.push(folded.slice(from, end).trim());
    from = -1;
    if (parts.length >= MAX_PARTS) break;
  }
  if (from >= 0 && parts.length > 0) parts[parts.length - 1] += folded.slice(from);
  return parts.length > 1 ? parts : [];
}

/** Keeps the string (as written) the model scores highest. */
function noteScore(scan: Scan, score: number, text: string, name: boolean): void {
  if (scan.top !== undefined && score <= scan.top.score) {
    if (score > scan.second) scan.second = score;
    return;
  }
  if (scan.top !== undefined) scan.second = scan.top.score;
  scan.top = { score, text, name, path: [...scan.path], note: scan.note };
}

/**
 * When the layer holds a definition no finding of the signals explains: the sentence of its
 * highest-scoring string that contributed most, shown with the heaviest signal that sentence carries
 * in words (or, with none, that it reads like instructions to the AI). Never a bare score.
 */
function pushModel(scan: Scan, best: ModelBest): void {
  const where = spelled(best.path, best.note);
  const words = best.name ? nameWords(best.text) : best.text;
  const folded = foldedText(words);
  // The sentence that contributed most: the one whose absence lowers the string's score the most.
  const spans = sentences(folded);
  let top: [number, number] = [0, folded.length];
  let lowest = Infinity;
  for (const [start, end] of spans.length > 1 ? spans : []) {
    const rest = folded.slice(0, start) + folded.slice(end);
    gate(rest, best.name);
    const score = modelScore(rest, passed.concepts, best.name);
    if (score < lowest) [top, lowest] = [[start, end], score];
  }
  // A sentence's span opens with the blanks after the one before it.
  while (top[0] < top[1] && /\s/.test(folded[top[0]]!)) top[0]++;
  const sentence = folded.slice(top[0], top[1]);
  const readOf = readText(sentence);
  const signals = signalsOf(sentence, readOf.hits, readOf.marks).sort((a, b) => b.weight - a.weight);
  const said = signals[0] ? ` — it ${signalReason(signals[0])}` : '';
  push(scan, {
    rule: 'reads-as-instructions',
    // A field deeper than the definition's own (`outputSchema.properties.result.description`) is named
    // as a place, not as the sentence's subject.
    reason: `${/[.[]/.test(where) ? `The text at ${where}` : capitalised(where)} reads like instructions to the AI, not a description of the tool${said}.`,
    where,
    excerpt: excerpt(folded, top[0], Math.min(top[1], top[0] + MAX_MATCH)),
  });
}

/** Judges the other readings of a (folded) string that its gate bits call for: joined letters, leetspeak, encodings. */
function readViews(scan: Scan, folded: string, bits: number): void {
  if ((bits & SPACED) !== 0) {
    const joined = joinedView(folded);
    if (joined) judge(scan, joined.text, { how: joined.how, disguised: true, changed: joined.changed });
  }
  if ((bits & LEET) !== 0) {
    const unleeted = unleetText(folded);
    if (unleeted)
      judge(scan, unleeted.text, { how: 'leetspeak read back', disguised: true, changed: unleeted.changed });
  }
  if ((bits & (LONG_RUN | ESCAPES)) === 0 && ((bits & ROT13) === 0 || folded.length < ROT13_MIN)) return;
  for (const view of decodedViews(folded, (bits & LONG_RUN) !== 0)) {
    if (view.how === 'decoded base64' || view.how === 'decoded hex')
      push(
        scan,
        {
          rule: 'encoded-payload',
          reason: `${capitalised(whereNow(scan))} hides text in an encoding (${view.how}: "${visibleText(view.text.slice(0, 120).replace(/\s+/g, ' '))}").`,
          where: whereNow(scan),
          excerpt: excerpt(folded, view.start, view.end),
        },
        {
          rule: 'encoded-payload',
          weight: 1,
          stretch: 1,
          field: fieldOf(scan.path, scan.note),
          view: 'decoded',
          own: false,
          hard: false,
        },
      );
    judge(scan, foldedText(view.text), { how: view.how, disguised: true });
  }
}

/** Keeps a string read for the definition as a whole, while the whole is small enough to be judged. */
function keep(scan: Scan, said: Said): void {
  scan.kept = said;
  // Past these limits the whole is not judged: nothing more need be kept.
  scan.readChars += said.text.length;
  if (scan.read.length > WHOLE_MAX_STRINGS || scan.readChars > WHOLE_MAX_CHARS) return;
  scan.read.push({ path: [...scan.path], note: scan.note, said });
}

/** How a text is judged (judge). */
interface Judging {
  /** How the string at hand was read to give this text (undefined: as written). */
  how?: string;
  /** Kept for the definition as a whole (a string as written, not a name). */
  kept?: boolean;
  /** Read through a disguise (leetspeak, joined letters, an encoding). */
  disguised?: boolean;
  /** Where a reading differs from the text as written: only stretches there are judged. */
  changed?: Array<[number, number]>;
  /** The gate's bits for the text (-1: every reading). */
  bits?: number;
  /** A name: judged as the field the model fills. */
  field?: boolean;
  /** The marks of the text, when already found. */
  marks?: MarkHit[];
}

/** Judges a (folded) text's stretches, and keeps what it names for the definition as a whole. */
function judge(
  scan: Scan,
  text: string,
  { how, kept = false, disguised = false, changed, bits = -1, field = false, marks }: Judging,
): void {
  const readOf = readText(text, bits, marks);
  if (field)
    readOf.marks = [
      ...readOf.marks,
      { mark: 'destination', weight: 0, start: 0, end: text.length, said: '' },
    ];
  for (const stretch of heldStretches(readOf, disguised, changed)) {
    const where = how === undefined ? whereNow(scan) : `${whereNow(scan)} (${how})`;
    pushSignals(scan, where, text, stretch.start, stretch.end, stretch.signals, {
      field: fieldOf(scan.path, scan.note),
      view: how === undefined ? 'written' : how.includes('decoded') ? 'decoded' : 'disguised',
    });
  }
  if (!kept || (readOf.hits.length === 0 && readOf.marks.length === 0)) return;
  let concepts = 0;
  for (const hit of readOf.hits) concepts |= hit.concepts;
  keep(scan, { ...readOf, concepts, bits });
}

/**
 * An ask split across a definition's fields ("see the notes field" in the description, "read the
 * user's SSH key" in one parameter, "put it here" in another): when nothing held it piece by piece,
 * the definition's strings are judged together, and held when they weigh more than one sentence must.
 */
function judgeWhole(scan: Scan): void {
  // A large definition says many things in many places; an ask split across fields is short.
  if (scan.findings.length > 0 || scan.read.length < 2) return;
  if (scan.read.length > WHOLE_MAX_STRINGS || scan.readChars > WHOLE_MAX_CHARS) return;
  // What the strings together could weigh, from their concepts alone, before any is placed.
  let concepts = 0;
  let marked = false;
  for (const { said } of scan.read) {
    concepts |= said.concepts;
    if (said.marks.length > 0) marked = true;
  }
  if (!marked && mostWeight(concepts) < HOLD_AT) return;
  const hits: ConceptHit[] = [];
  const marks: MarkHit[] = [];
  let text = '';
  for (const { said } of scan.read) {
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
  if (!signals.some((hit) => hit.signal !== 'addresses-model' && hit.signal !== 'egress')) return;
  const weight = weightOf(signals);
  // Held only when the strings together weigh more than any of them alone, by two: an ask split
  // apart, not a long definition that says many things.
  const alone = Math.max(
    ...scan.read.map(({ said }) => (said.weight ??= weightOf(signalsOf(said.text, said.hits!, said.marks)))),
  );
  if (weight < HOLD_AT || weight < alone + 2) return;
  const places = scan.read.map((part) => spelled(part.path, part.note)).join(', ');
  pushSignals(scan, `together, ${places}`, text, 0, text.length, signals, {
    field: 'together',
    view: 'written',
  });
}

/**
 * Reads every string of a definition on first sight; returns why it should be held (empty: nothing
 * found). `definition` is the item as the upstream listed it (or the instructions string). Each string
 * passes the gate (first-sight-gate.ts) first, and only the readings it calls for are made — unless
 * `everyReading`, which makes every reading of every string: the same findings, far slower (the tests
 * hold the gate to it).
 */
export function scanDefinition(
  kind: FirstSightKind,
  definition: unknown,
  everyReading = false,
): FirstSightFinding[] {
  return scanOf(kind, definition, everyReading).findings;
}

/** One definition read through: its findings, and how many strings were read. */
function scanOf(
  kind: FirstSightKind,
  definition: unknown,
  everyReading = false,
  heard?: HeardStrings,
  texts?: ScannedText[],
): Scan {
  const scan: Scan = {
    everyReading,
    heard: everyReading ? undefined : heard,
    pushed: 0,
    kept: null,
    strings: 0,
    findings: [],
    seen: new Set(),
    path: [],
    read: [],
    readChars: 0,
    note: undefined,
    where: undefined,
    score: 0,
    top: undefined,
    second: -Infinity,
    part: -Infinity,
    stringPart: -Infinity,
    evidence: [],
    texts,
  };
  readDefinition(scan, kind, definition);
  judgeWhole(scan);
  if (texts === undefined) decide(scan, kind);
  return scan;
}

/**
 * The definition's one decision: held whatever the score on hard evidence (first-sight-decision.ts
 * hardHold); otherwise held when the layer's score of its findings and the model's highest string
 * score reaches the threshold — the findings then say why, or, with none, the model's strongest
 * sentence does — and let pass, its findings dropped, when it does not.
 */
function decide(scan: Scan, kind: FirstSightKind): void {
  if (scan.evidence.some((evidence) => evidence.hard)) return;
  const { layer } = firstSightModel();
  const top = scan.top;
  const features = decisionFeatures(
    scan.evidence,
    top?.score ?? -Infinity,
    kind,
    scan.second,
    top === undefined ? undefined : fieldOf(top.path, top.note),
    scan.strings,
    scan.part,
  );
  const holdAt = scan.evidence.length > 0 ? layer.holdAt : layer.holdAtModelAlone;
  if (decisionScore(features, layer) < holdAt) scan.findings.length = 0;
  else if (scan.findings.length === 0 && scan.top !== undefined) pushModel(scan, scan.top);
}

/**
 * A definition as the model and its layer read it (scripts/train-first-sight-model.mjs trains on it):
 * every string folded, names as their words, with the gate's concepts and where each stands; and the
 * evidence of every finding the signals pushed, before the layer's decision.
 * @internal Exported for its tests only: the scan's intermediate text, which a finding does not show.
 */
export function scannedDefinition(
  kind: FirstSightKind,
  definition: unknown,
): { texts: ScannedText[]; evidence: Evidence[] } {
  const texts: ScannedText[] = [];
  const scan = scanOf(kind, definition, false, undefined, texts);
  return { texts, evidence: scan.evidence };
}

/**
 * scanDefinition for one definition of a listing: `listing` holds the strings this listing's earlier
 * definitions held nothing with, which are not read again (and it is added to). Same findings as
 * scanDefinition; made per listing by the tool store's sync.
 */
export function scanListedDefinition(
  kind: FirstSightKind,
  definition: unknown,
  listing: HeardStrings,
): FirstSightFinding[] {
  return scanOf(kind, definition, false, listing).findings;
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
