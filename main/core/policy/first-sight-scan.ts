// One definition's scan on first sight (first-sight.ts): what it carries while its strings are read
// (the findings, the path to the string at hand, the strings kept for the definition as a whole, the
// model's best string), what a listing remembers of the strings that held nothing (HeardStrings), and
// a finding's wording (the place as the user reads it, the excerpt made visible).
import { visibleText } from '../visible-text.js';
import type { Evidence, EvidenceField } from './first-sight-decision.js';
import type { ConceptHit, MarkHit } from './first-sight-concepts.js';
import type { Signal } from './first-sight-signals.js';

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
  | 'fixed-address'
  // Held unread: the scanner did not load (first-sight-loader.ts).
  | 'not-judged'
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
/** Characters of context either side of a finding. */
const CONTEXT = 60;
/** A definition whose strings (those that say anything) add up to more is not judged as a whole. */
export const WHOLE_MAX_CHARS = 600;
/** A definition of more strings (those that say anything) than this is not judged as a whole. */
export const WHOLE_MAX_STRINGS = 8;
/**
 * Strings kept, at most, for judging a larger definition's fields in small groups (first-sight-whole.ts):
 * a hostile definition may have thousands.
 */
const WHOLE_KEEP_MAX = 1024;
/**
 * Characters of a definition's strings, at most, that the model reads together as one text (its fields
 * in order, name first; first-sight-scoring.ts scoreTogether): an ask split across fields, read whole.
 * Past it a definition's strings are still scored each alone, as they always are.
 */
export const TOGETHER_MAX_CHARS = 2000;
/** Strings a definition has, at least, for the model to read them together (a name, a sentence and more). */
export const TOGETHER_MIN_STRINGS = 3;
/** Characters of a held stretch shown as its match. */
export const MAX_MATCH = 240;

/**
 * What a string gave the definition as a whole (an ask split across its fields): the same wherever the
 * string stands, so one listing's repeats of it share it (HeardStrings).
 */
export interface Said {
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
export interface Read {
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
  /** The string as the model reads it (folded, a name as its words), and its concepts: for the whole. */
  folded: string;
  concepts: number;
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
export interface Scan {
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
  /** The string at hand as the model read it, and its concepts ('' until it is scored). */
  stringFolded: string;
  stringConcepts: number;
  /** The definition's strings as the model reads them together (up to TOGETHER_MAX_CHARS), and their concepts. */
  together: string[];
  togetherChars: number;
  togetherConcepts: number;
  /**
   * Strings joined to it, and the model's highest score of a reading together: all the strings, or the
   * definition's own fields with one parameter (-Infinity: not read together).
   */
  togetherStrings: number;
  togetherScore: number;
  /** The reading together the model scores highest (all the strings: an empty path; a pair: its parameter's). */
  togetherBest: { text: string; path: Array<string | number> } | undefined;
  /**
   * The definition's own fields (name, title, description) and each parameter's (or prompt argument's)
   * strings, for reading each parameter with the definition's own fields (first-sight-scoring.ts scorePairs).
   */
  pairs: Pairs | undefined;
  /** Every string's folded text, concepts and score, for the model's trainer; undefined in a scan. */
  texts: ScannedText[] | undefined;
}

/** A definition's own fields and its parameters' strings, as the model reads them in pairs. */
interface Pairs {
  head: string;
  headConcepts: number;
  /** By parameter (or argument) name or index: its strings, their concepts, and the parameter's path. */
  fields: Map<string, { text: string; concepts: number; path: Array<string | number> }>;
}

/** The string of a definition the model scores highest, kept to say why if the definition is held. */
export interface ModelBest {
  score: number;
  text: string;
  name: boolean;
  path: Array<string | number>;
  note: string | undefined;
}

/** One string of a definition as the model reads it (folded, a name as its words), for its trainer. */
export interface ScannedText {
  text: string;
  concepts: number;
  name: boolean;
  where: string;
  /** The field it stands in, as the layer tells them apart. */
  field: EvidenceField;
  /** A long string's sentences, each scored apart too (scoreParts). */
  parts?: Array<{ text: string; concepts: number }>;
  /** It is the definition's strings read together, all or its own fields with one parameter (scoreTogether). */
  together?: true;
}

/** The path as the user reads it: `inputSchema.properties.path.description`, `arguments[0].name`. */
export function spelled(path: ReadonlyArray<string | number>, note: string | undefined): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : out === '' ? part : `.${part}`;
  return note === undefined ? out : `${out} ${note}`;
}

/** The place of the string at hand, as the user reads it (spelled once, when first needed). */
export function whereNow(scan: Scan): string {
  scan.where ??= spelled(scan.path, scan.note);
  return scan.where;
}

/** A finding's excerpt: `start`–`end` of `text` with some context either side, made visible. */
export function excerpt(text: string, start: number, end: number): FirstSightFinding['excerpt'] {
  const from = Math.max(0, start - CONTEXT);
  const to = Math.min(text.length, end + CONTEXT);
  return {
    before: (from > 0 ? '…' : '') + visibleText(text.slice(from, start)),
    match: visibleText(text.slice(start, end)),
    after: visibleText(text.slice(end, to)) + (to < text.length ? '…' : ''),
  };
}

/** Adds a finding (once per rule, place and reason; at most MAX_FINDINGS), and its evidence for the layer. */
export function push(scan: Scan, finding: FirstSightFinding, evidence?: Evidence): void {
  scan.pushed++;
  if (evidence !== undefined) scan.evidence.push(evidence);
  // One finding per rule and place and reason: a sentence matched twice says nothing new.
  const key = `${finding.rule}\u0000${finding.where}\u0000${finding.reason}`;
  if (scan.seen.has(key) || scan.findings.length >= MAX_FINDINGS) return;
  scan.seen.add(key);
  scan.findings.push(finding);
}

/** Splits a name into words: `send_email`, `sendEmail`, `send-email` read as "send email". */
export function nameWords(text: string): string {
  return text.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ');
}

/**
 * Keeps a string read for the definition as a whole; past the bound of a whole judged at once, for its
 * fields judged in small groups (first-sight-whole.ts), which no string longer than the bound can join.
 */
export function keep(scan: Scan, said: Said): void {
  scan.kept = said;
  scan.readChars += said.text.length;
  const within = scan.read.length <= WHOLE_MAX_STRINGS && scan.readChars <= WHOLE_MAX_CHARS;
  if (!within && (scan.read.length >= WHOLE_KEEP_MAX || said.text.length > WHOLE_MAX_CHARS)) return;
  scan.read.push({ path: [...scan.path], note: scan.note, said });
}

/** `text` with its first letter in upper case. */
export function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
