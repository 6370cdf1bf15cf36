// First-sight scanning: every string of a tool, prompt, resource, resource template or server
// instructions, read for what a person reviewing it would not see or would not expect (hidden
// characters, look-alike names, instructions aimed at the model, shadowing, exfiltration). A
// definition with findings is held before any client sees it (docs/security-model.md, "Tools held on
// first sight"); the rules are in first-sight-characters.ts and first-sight-phrases.ts.
import { characterHits, foldedText, lookAlikeHits, visibleText } from './first-sight-characters.js';
import { phraseHits } from './first-sight-phrases.js';

/** The kinds of definition scanned on first sight. */
export type FirstSightKind = 'tool' | 'prompt' | 'resource' | 'resource-template' | 'instructions';

/** The rules, by the name shown beside each finding. */
export type FirstSightRule =
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

interface DefinitionString {
  where: string;
  text: string;
  /** A name (tool, property, argument): look-alike characters count there. */
  name: boolean;
}

/** Every string a model reads of a definition, with where it is. */
function definitionStrings(kind: FirstSightKind, definition: unknown): DefinitionString[] {
  const out: DefinitionString[] = [];
  const add = (where: string, text: unknown, name = false) => {
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
    walkSchema(definition.inputSchema, 'inputSchema', 0, add);
    walkSchema(definition.outputSchema, 'outputSchema', 0, add);
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
  where: string,
  depth: number,
  add: (where: string, text: unknown, name?: boolean) => void,
): void {
  if (depth > MAX_DEPTH) return;
  if (typeof value === 'string') {
    add(where, value);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => walkSchema(item, `${where}[${i}]`, depth + 1, add));
    return;
  }
  if (!isRecord(value)) return;
  const parentIsMap = /\.(?:properties|patternProperties|\$defs|definitions)$/.test(where);
  for (const [key, child] of Object.entries(value)) {
    const path = `${where}.${key}`;
    if (parentIsMap) add(`${path} (name)`, key, true);
    else if (!SCHEMA_KEYWORDS.has(key)) add(`${path} (key)`, key);
    walkSchema(child, path, depth + 1, add);
  }
}

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
 * Words and marks at least one phrase rule needs (first-sight-phrases.ts): a string without any of them
 * cannot match, so the rules run only on strings that have one. One pass over a definition's text
 * instead of one per rule keeps 5,000 tools well under the listing's budget (docs/benchmarks.md).
 */
const PHRASE_GATE =
  /<\/?\s*(?:important|system|sys\b|instruction|hidden|secret|admin|critical|override|assistant_|system_)|<\||\[\/?inst\]|<<\/?sys|(?:system|assistant|human)\s*:|#\s*(?:system|instruction)|(?:not|n't|never)\s+(?:\w+\s+){0,2}(?:tell|mention|inform|notify|alert|reveal|disclose|show|explain|say)|without\s+(?:telling|informing|notifying|alerting|asking|showing|mentioning)|(?:hide|conceal|keep)\s+(?:this|it|that|them)|(?:upset|scare|alarm|worry)\s+the\s+user|gentle|visible\s+to|user\s+(?:can|will|won|must|should|need|does|do)\w*\s+(?:not\s+|n't\s+)?(?:need\s+to\s+)?(?:know|see|be\s+told|find|notice)|(?:ignore|disregard|forget|overrid|bypass|skip)\w*\s+(?:all\s+|any\s+)?(?:of\s+)?(?:the\s+|your\s+)?(?:previous|prior|above|earlier|other|existing|original|system|safety|user)|instructions?\s*:|you\s+are\s+now|precedence|\.ssh|id_(?:rsa|dsa|ecdsa|ed25519)|id rsa|ssh[ _-]?(?:private[ _-]?)?key|private[ _-]?key|\.env\b|\.aws|\.npmrc|\.netrc|\.pgpass|credential|\.docker\/|\.kube|mcp\.json|claude_desktop|\/etc\/(?:passwd|shadow)|seed[ _-]?phrase|mnemonic|wallet|cookie|session[ _-]?token|api[ _-]?keys?|password|secret|(?:conversation|chat)[ _-]?history|system[ _-]?prompt|env(?:ironment)?[ _-]?var|content[ _]from|otherwise the tool|side[ -]?effect|when(?:ever)?\s+(?:you\s+|the\s+(?:model|assistant|agent)\s+)?(?:use|call|invok|run)|is\s+(?:invoked|called|used|run)\b|(?:all|any|every|other)\s+(?:other\s+)?(?:tools?|mcp\s+servers?|servers?|functions?)\s+(?:must|should|are|have)|appl(?:y|ies)\s+to|tool\s+(?:must|should)|instead\s+of\s+(?:the\s+)?(?:requested|intended|actual|user)|(?:\bto|:|bcc|cc)\s*[<`'"(]?(?:[\w.+-]+@[\w-]+\.[a-z]|https?:\/\/|\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}|\+?\d[\d -]{8,}\d)|!\[|[?&][\w-]+=\s*(?:\{|\$\{|<)/gi;

/** A long run of base64 or hex characters (the encoded-payload rule's candidates), found in one pass. */
const ENCODED_GATE = /(?<![A-Za-z0-9+/=_-])[A-Za-z0-9+/=_-]{32,}/g;

/** Anything a character rule looks for: a character outside printable ASCII, or a long blank run. */
const CHARACTER_GATE = /[^\t\n\r\x20-\x7e]| {40}|\n(?:[ \t]*\r?\n){11}/;

/**
 * Reads every string of a definition on first sight; returns why it should be held (empty: nothing
 * found). `definition` is the item as the upstream listed it (or the instructions string).
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
  const strings = definitionStrings(kind, definition);
  // The whole definition as one text, each string at a known offset, so each gate is one pass.
  const starts: number[] = [];
  let offset = 0;
  for (const { text } of strings) {
    starts.push(offset);
    offset += text.length + 1;
  }
  const joined = strings.map((s) => s.text).join('\u0000');
  const candidates = new Set<number>();
  const mark = (pattern: RegExp) => {
    pattern.lastIndex = 0;
    for (const match of joined.matchAll(pattern)) candidates.add(stringAt(starts, match.index));
  };
  const special = CHARACTER_GATE.test(joined);
  mark(PHRASE_GATE);
  if (joined.length >= 32) mark(ENCODED_GATE);
  strings.forEach(({ where, text, name }, index) => {
    const plain = !special || !CHARACTER_GATE.test(text);
    if (!plain) {
      for (const hit of characterHits(text)) {
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
    if (plain && !candidates.has(index)) return;
    const folded = foldedText(name ? text.replace(/[_-]+/g, ' ') : text);
    for (const hit of phraseHits(folded)) {
      push({
        rule: hit.rule,
        reason: `${capitalised(where)} ${hit.reason}.`,
        where,
        excerpt: excerpt(folded, hit.start, hit.end),
      });
    }
  });
  return findings;
}

/** The index of the string a joined-text offset falls in. */
function stringAt(starts: readonly number[], at: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (starts[mid]! <= at) low = mid;
    else high = mid - 1;
  }
  return low;
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
