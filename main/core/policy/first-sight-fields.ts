// The fields of a definition on first sight (first-sight.ts): every string a model reads of a tool,
// prompt, resource, template or instructions — the name, title and description, every key and string
// of its schemas at any depth, annotations and `_meta` — each read where it stands
// (first-sight-judging.ts), and a listing's repeats not read again (HeardStrings).
import { keep, type FirstSightKind, type Scan } from './first-sight-scan.js';
import { scanString } from './first-sight-judging.js';
import { joinTogether, noteScore } from './first-sight-scoring.js';
import { readFixedValues } from './first-sight-fixed.js';

/** Strings read per definition, and how deep a schema is walked; a hostile schema may be huge. */
const MAX_STRINGS = 4000;
const MAX_DEPTH = 24;

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
      joinTogether(scan, before.folded, before.concepts);
      noteScore(scan, before.score, text, name);
      if (before.part > scan.part) scan.part = before.part;
    } else {
      const pushed = scan.pushed;
      scan.kept = null;
      scanString(scan, text, name);
      if (scan.pushed === pushed)
        heard.set(text, name, {
          heard: scan.kept,
          score: scan.score,
          part: scan.stringPart,
          folded: scan.stringFolded,
          concepts: scan.stringConcepts,
        });
    }
  }
  if (key !== undefined) scan.path.pop();
}

/** Every string a model reads of a definition, each read where it is. */
export function readDefinition(scan: Scan, kind: FirstSightKind, definition: unknown): void {
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
    // What a call does when the AI passes nothing: an address fixed there is a recipient the server chose.
    if (!isMap) readFixedValues(scan, record);
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
