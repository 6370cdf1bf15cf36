// First-sight scanning: every string of a tool, prompt, resource, resource template or server
// instructions, read for what a person reviewing it would not see or would not expect (hidden
// characters, look-alike names, instructions aimed at the model, shadowing, exfiltration). A
// definition with findings is held before any client sees it (docs/security-model.md, "Tools held on
// first sight"); the rules are in first-sight-characters.ts and first-sight-phrases.ts.
import { characterHits, foldedText, hasLookAlikes, lookAlikeHits } from './first-sight-characters.js';
import { visibleText } from '../visible-text.js';
import {
  encodedRunStarts,
  gate,
  GATE_BLANKS,
  GATE_CHARACTERS,
  GATE_DETAIL,
  ruleStarts,
} from './first-sight-gate.js';
import { phraseHits } from './first-sight-phrases.js';
import { PHRASE_GROUP } from './first-sight-words.js';

/** The kinds of definition scanned on first sight. */
export type FirstSightKind = 'tool' | 'prompt' | 'resource' | 'resource-template' | 'instructions';

/** The rules, by the name shown beside each finding. */
type FirstSightRule =
  | 'hidden-characters'
  | 'terminal-escape'
  | 'whitespace-run'
  | 'look-alike'
  | 'model-instruction'
  | 'shadowing'
  | 'exfiltration'
  | 'encoded-payload';

/** One reason a definition is held, with the part that tripped it (made visible). */
export interface FirstSightFinding {
  rule: FirstSightRule;
  /** A sentence for the user. */
  reason: string;
  /** Where in the definition: `description`, `name`, `inputSchema.properties.path.description`, … */
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
/** A gate() answer that opens every rule. */
const EVERY_RULE = PHRASE_GROUP.all | GATE_CHARACTERS | GATE_BLANKS | GATE_DETAIL;

/** One definition's scan: the strings read so far, the findings, and the path to the string at hand. */
interface Scan {
  /** Every rule on every string, the gate skipped (what the gate must agree with: tests compare). */
  everyRule: boolean;
  strings: number;
  findings: FirstSightFinding[];
  seen: Set<string>;
  /** Keys and indexes from the definition down to the string being read; spelled only for a finding. */
  path: Array<string | number>;
}

/** The path as the user reads it: `inputSchema.properties.path.description`, `arguments[0].name`. */
function spelled(path: ReadonlyArray<string | number>, note: string | undefined): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : out === '' ? part : `.${part}`;
  return note === undefined ? out : `${out} ${note}`;
}

/** Reads one string at `scan.path` (plus `key`, if given): `note` says it is a key itself. */
function read(
  scan: Scan,
  key: string | number | undefined,
  text: unknown,
  name = false,
  note?: string,
): void {
  if (typeof text !== 'string' || text === '' || scan.strings >= MAX_STRINGS) return;
  scan.strings++;
  const gated = scan.everyRule ? EVERY_RULE : gate(text);
  // Most strings open nothing: no rule runs, no place is spelled.
  if (gated === 0) return;
  if (key !== undefined) scan.path.push(key);
  const where = spelled(scan.path, note);
  if (key !== undefined) scan.path.pop();
  scanString(scan, where, text, name, gated);
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
    if (isRecord(definition.annotations)) {
      scan.path.push('annotations');
      read(scan, 'title', definition.annotations.title);
      scan.path.pop();
    }
    walkSchema(scan, 'inputSchema', definition.inputSchema, 0, false);
    walkSchema(scan, 'outputSchema', definition.outputSchema, 0, false);
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
  }
}

/**
 * Every key and string value of a schema: property names (as names), descriptions, titles, defaults,
 * enums, examples — and whatever else it carries, since a model reads the whole schema (CyberArk's
 * "full-schema poisoning" hides instructions in non-standard fields and in `required`). The schema is
 * walked once, and a place is spelled out only for a string with a finding.
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
      // A string is read here, an object walked: nothing else holds text (no call for each number).
      if (typeof item === 'string') read(scan, i, item);
      else if (typeof item === 'object' && item !== null) walkSchema(scan, i, item, depth + 1, false);
    }
  } else {
    const record = value as Record<string, unknown>;
    // for…in, not Object.keys: no array per object (a parsed listing's objects have no inherited keys).
    for (const key in record) {
      if (scan.strings >= MAX_STRINGS) break;
      // One lookup says what the key is to JSON Schema (KEYWORD bits); 0 for text someone wrote.
      const keyword = isMap ? 0 : (KEYWORDS.get(key) ?? 0);
      if (isMap) read(scan, key, key, true, '(name)');
      else if (keyword === 0) read(scan, key, key, false, '(key)');
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

function push(scan: Scan, finding: FirstSightFinding): void {
  // One finding per rule and place and reason: a sentence matched twice says nothing new.
  const key = `${finding.rule}\u0000${finding.where}\u0000${finding.reason}`;
  if (scan.seen.has(key) || scan.findings.length >= MAX_FINDINGS) return;
  scan.seen.add(key);
  scan.findings.push(finding);
}

/** The rules the gate opened (`gated`, a gate() answer), on one string. */
function scanString(scan: Scan, where: string, text: string, name: boolean, gated: number): void {
  let phrases = gated & PHRASE_GROUP.all;
  if ((gated & GATE_CHARACTERS) !== 0) {
    const hits = characterHits(text, gated);
    // Hidden characters or look-alike letters can disguise any word from the gate: every rule reads
    // the folded text. Plain punctuation (an em dash, an emoji) leaves the gate's answer as it is.
    if (hits.length > 0 || hasLookAlikes(text)) phrases = PHRASE_GROUP.all;
    for (const hit of hits) {
      push(scan, {
        rule: hit.rule,
        reason: `Hidden in ${where}: ${hit.reason}.`,
        where,
        excerpt: excerpt(text, hit.start, hit.end),
      });
    }
    if (name) {
      for (const hit of lookAlikeHits(text)) {
        push(scan, {
          rule: hit.rule,
          reason: `Look-alike in ${where}: ${hit.reason}.`,
          where,
          excerpt: excerpt(text, hit.start, hit.end),
        });
      }
    }
  }
  // Without GATE_CHARACTERS the text is printable ASCII, which folding would leave as it is.
  const characters = (gated & GATE_CHARACTERS) !== 0;
  if (phrases === 0 && !characters) return;
  const spaced = name ? text.replace(/[_-]+/g, ' ') : text;
  const folded = characters ? foldedText(spaced) : spaced;
  // Folded text (hidden characters dropped, look-alikes and wide forms read as ASCII: "＜important＞")
  // and a spaced name may hold words or marks the gate did not see: the gate reads it as the rules
  // will, and notes where in it they could start.
  if (!scan.everyRule && folded !== text) phrases |= gate(folded) & PHRASE_GROUP.all;
  if (phrases === 0) return;
  // The gate read this very text just now: the encoded rule tries only where it saw runs start, and
  // each phrase rule only where its first words occur. With every rule, each reads everywhere.
  const runs = scan.everyRule ? undefined : encodedRunStarts();
  const starts = scan.everyRule ? undefined : ruleStarts();
  for (const hit of phraseHits(folded, phrases, runs, starts)) {
    push(scan, {
      rule: hit.rule,
      reason: `${capitalised(where)} ${hit.reason}.`,
      where,
      excerpt: excerpt(folded, hit.start, hit.end),
    });
  }
}

/**
 * Reads every string of a definition on first sight; returns why it should be held (empty: nothing
 * found). `definition` is the item as the upstream listed it (or the instructions string). Each string
 * passes the gate (first-sight-gate.ts) first; only what it lets through meets the rules — unless
 * `everyRule`, which runs every rule on every string: the same findings, far slower (the tests hold
 * the gate to it).
 */
export function scanDefinition(
  kind: FirstSightKind,
  definition: unknown,
  everyRule = false,
): FirstSightFinding[] {
  return scanOf(kind, definition, everyRule).findings;
}

/** One definition read through: its findings, and how many strings were read. */
function scanOf(kind: FirstSightKind, definition: unknown, everyRule: boolean): Scan {
  const scan: Scan = { everyRule, strings: 0, findings: [], seen: new Set(), path: [] };
  readDefinition(scan, kind, definition);
  return scan;
}

/**
 * scanDefinition, and whether it read the whole definition. A definition with MAX_STRINGS strings or
 * more is read only up to there, in the order of its keys, so two copies whose keys come in another
 * order (the upstream's raw JSON, and the SDK's checked object) can give different findings; one
 * read whole gives the same.
 */
export function scanWholeDefinition(
  kind: FirstSightKind,
  definition: unknown,
): { findings: FirstSightFinding[]; whole: boolean } {
  const scan = scanOf(kind, definition, false);
  return { findings: scan.findings, whole: scan.strings < MAX_STRINGS };
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
