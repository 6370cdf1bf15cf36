// First-sight scanning: every string of a tool, prompt, resource, resource template or server
// instructions, read for what a person reviewing it would not see or would not expect (hidden
// characters, look-alike names, instructions aimed at the model, shadowing, exfiltration). A
// definition with findings is held before any client sees it (docs/security-model.md, "Tools held on
// first sight"); the rules are in first-sight-characters.ts and first-sight-phrases.ts.
import {
  characterHits,
  foldedText,
  hasLookAlikes,
  lookAlikeHits,
  visibleText,
} from './first-sight-characters.js';
import { gate, PHRASE_GROUP } from './first-sight-gate.js';
import { phraseHits } from './first-sight-phrases.js';

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

/**
 * Where a schema string is, spelled out only when it has a finding (most have none): the place it is
 * in, its key or index there, and a note (`(name)`, `(key)`) when the string is the key itself.
 */
interface Place {
  parent: Place | string;
  key: string | number;
  note?: string;
}

function spelled(place: Place | string): string {
  if (typeof place === 'string') return place;
  const at = typeof place.key === 'number' ? `[${place.key}]` : `.${place.key}`;
  return spelled(place.parent) + at + (place.note === undefined ? '' : ` ${place.note}`);
}

interface DefinitionString {
  where: Place | string;
  text: string;
  /** A name (tool, property, argument): look-alike characters count there. */
  name: boolean;
}

/** Every string a model reads of a definition, with where it is. */
function definitionStrings(kind: FirstSightKind, definition: unknown): DefinitionString[] {
  const out: DefinitionString[] = [];
  const add = (where: Place | string, text: unknown, name = false) => {
    if (typeof text === 'string' && text !== '' && out.length < MAX_STRINGS) out.push({ where, text, name });
  };
  if (kind === 'instructions') {
    add('instructions', definition);
    return out;
  }
  if (!isRecord(definition)) return out;
  add('name', definition.name, true);
  add('title', definition.title);
  add('description', definition.description);
  if (kind === 'tool') {
    if (isRecord(definition.annotations)) add('annotations.title', definition.annotations.title);
    walkSchema(definition.inputSchema, 'inputSchema', 0, false, add);
    walkSchema(definition.outputSchema, 'outputSchema', 0, false, add);
  } else if (kind === 'prompt' && Array.isArray(definition.arguments)) {
    definition.arguments.forEach((argument: unknown, i) => {
      if (!isRecord(argument)) return;
      add(`arguments[${i}].name`, argument.name, true);
      add(`arguments[${i}].title`, argument.title);
      add(`arguments[${i}].description`, argument.description);
    });
  } else if (kind === 'resource') {
    add('uri', definition.uri);
    add('mimeType', definition.mimeType);
  } else if (kind === 'resource-template') {
    add('uriTemplate', definition.uriTemplate);
  }
  return out;
}

/**
 * Every key and string value of a schema: property names (as names), descriptions, titles, defaults,
 * enums, examples — and whatever else it carries, since a model reads the whole schema (CyberArk's
 * "full-schema poisoning" hides instructions in non-standard fields and in `required`).
 */
function walkSchema(
  value: unknown,
  where: Place | string,
  depth: number,
  isMap: boolean,
  add: (where: Place | string, text: unknown, name?: boolean) => void,
): void {
  if (depth > MAX_DEPTH) return;
  if (typeof value === 'string') {
    add(where, value);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++)
      walkSchema(value[i], { parent: where, key: i }, depth + 1, false, add);
    return;
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (isMap) add({ parent: where, key, note: '(name)' }, key, true);
    else if (!SCHEMA_KEYWORDS.has(key)) add({ parent: where, key, note: '(key)' }, key);
    // `type` and `format` values are JSON Schema's own words; everything else is text someone wrote.
    if (!isMap && (key === 'type' || key === 'format' || key === '$ref' || key === '$schema')) continue;
    const child = record[key];
    // Only strings, arrays and objects hold text: numbers, booleans and null need no place.
    if (typeof child === 'string' || (typeof child === 'object' && child !== null))
      walkSchema(child, { parent: where, key }, depth + 1, !isMap && MAP_KEYWORDS.has(key), add);
  }
}

/** Keywords whose value maps names to schemas: their keys are property (or definition) names. */
const MAP_KEYWORDS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);

/** JSON Schema's own keywords: their names are not text anyone wrote for the model. */
const SCHEMA_KEYWORDS = new Set(
  (
    '$schema $id $ref $defs $comment $anchor $dynamicRef $dynamicAnchor $vocabulary definitions type properties ' +
    'patternProperties additionalProperties required items prefixItems additionalItems contains minContains ' +
    'maxContains unevaluatedItems unevaluatedProperties propertyNames dependentRequired dependentSchemas ' +
    'dependencies enum const default examples example title description format pattern minLength maxLength ' +
    'minimum maximum exclusiveMinimum exclusiveMaximum multipleOf minItems maxItems uniqueItems minProperties ' +
    'maxProperties allOf anyOf oneOf not if then else readOnly writeOnly deprecated nullable contentEncoding ' +
    'contentMediaType contentSchema discriminator x-nullable'
  ).split(' '),
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

/**
 * Reads every string of a definition on first sight; returns why it should be held (empty: nothing
 * found). `definition` is the item as the upstream listed it (or the instructions string). Each string
 * passes the gate (first-sight-gate.ts) first; only what it lets through meets the rules.
 */
export function scanDefinition(kind: FirstSightKind, definition: unknown): FirstSightFinding[] {
  const findings: FirstSightFinding[] = [];
  const seen = new Set<string>();
  const push = (finding: FirstSightFinding) => {
    // One finding per rule and place and reason: a sentence matched twice says nothing new.
    const key = `${finding.rule}\u0000${finding.where}\u0000${finding.reason}`;
    if (seen.has(key) || findings.length >= MAX_FINDINGS) return;
    seen.add(key);
    findings.push(finding);
  };
  for (const { where: place, text, name } of definitionStrings(kind, definition)) {
    const gated = gate(text);
    if (!gated.characters && gated.phrases === 0) continue;
    const where = spelled(place);
    let phrases = gated.phrases;
    if (gated.characters) {
      const hits = characterHits(text, gated.blanks);
      // Hidden characters or look-alike letters can disguise any word from the gate: every rule reads
      // the folded text. Plain punctuation (an em dash, an emoji) leaves the gate's answer as it is.
      if (hits.length > 0 || hasLookAlikes(text)) phrases = PHRASE_GROUP.all;
      for (const hit of hits) {
        push({
          rule: hit.rule,
          reason: `Hidden in ${where}: ${hit.reason}.`,
          where,
          excerpt: excerpt(text, hit.start, hit.end),
        });
      }
      if (name) {
        for (const hit of lookAlikeHits(text)) {
          push({
            rule: hit.rule,
            reason: `Look-alike in ${where}: ${hit.reason}.`,
            where,
            excerpt: excerpt(text, hit.start, hit.end),
          });
        }
      }
    }
    // Folded text (hidden characters dropped, look-alikes read as ASCII) may hold words the gate missed.
    if (phrases === 0) continue;
    const folded = foldedText(name ? text.replace(/[_-]+/g, ' ') : text);
    for (const hit of phraseHits(folded, phrases)) {
      push({
        rule: hit.rule,
        reason: `${capitalised(where)} ${hit.reason}.`,
        where,
        excerpt: excerpt(folded, hit.start, hit.end),
      });
    }
  }
  return findings;
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
