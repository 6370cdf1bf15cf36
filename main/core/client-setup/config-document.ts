// One client config file as text, edited in place: parsed as JSON with comments (VS Code's mcp.json
// is JSONC; the others are plain JSON, a subset), changed one property at a time so that everything
// else — other servers, comments, indentation, line endings — stays byte for byte as it was.
import {
  applyEdits,
  findNodeAtLocation,
  modify,
  parse,
  parseTree,
  printParseErrorCode,
  type Edit,
  type Node as JsonNode,
  type ParseError,
} from 'jsonc-parser';
import { GatehouseError } from '../errors.js';

/** Where a value sits in a config file: the keys from the top, e.g. `["mcpServers", "gatehouse"]`. */
export type JsonPath = readonly string[];

const PARSE_OPTIONS = { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true };
const BOM = '\ufeff';

/** jsonc-parser's error names (printParseErrorCode), in words. */
const problemWords: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'malformed number',
  PropertyNameExpected: 'expected a property name in double quotes',
  ValueExpected: 'expected a value',
  ColonExpected: 'expected a colon',
  CommaExpected: 'expected a comma',
  CloseBraceExpected: 'expected a closing }',
  CloseBracketExpected: 'expected a closing ]',
  EndOfFileExpected: 'unexpected text after the end',
  InvalidCommentToken: 'malformed comment',
  UnexpectedEndOfComment: 'a comment is not closed',
  UnexpectedEndOfString: 'a string is not closed',
  UnexpectedEndOfNumber: 'a number ends early',
  InvalidUnicode: 'malformed \\u escape',
  InvalidEscapeCharacter: 'malformed escape in a string',
  InvalidCharacter: 'a control character inside a string',
};

/** "line 3, column 7" for an offset into text (both counted from 1, as editors show them). */
function positionOf(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - (before.lastIndexOf('\n') + 1) + 1 };
}

function malformed(path: string, detail: string): GatehouseError {
  return new GatehouseError(
    'conflict',
    `${path} is not valid JSON: ${detail}. Fix the file (or move it away), then try again; Gatehouse changed nothing.`,
  );
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** A JSON object (not null, not an array): what a server list and a server entry must be. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

interface Style {
  /** One level of indentation: a tab or some spaces. */
  unit: string;
  eol: string;
}

/** The indentation and line ending the file already uses, so inserted lines look like their neighbours. */
function styleOf(text: string): Style {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const indent = /^([ \t]+)["}\]/]/m.exec(text)?.[1];
  if (indent?.startsWith('\t')) return { unit: '\t', eol };
  return { unit: indent ?? '  ', eol };
}

/** The spaces and tabs that start the line `offset` is on. */
function lineIndent(text: string, offset: number): string {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(start))![0];
}

/** Spaces and at most one comment up to the end of a line: what may follow an entry on its own line. */
const REST_OF_LINE = /^[ \t]*(\/\/[^\n]*|\/\*((?!\*\/)[^\n])*\*\/[ \t]*)?\r?$/;

/**
 * Adds `"key": value` as the last property of `object`. On a file laid out one property per line the
 * new property gets a line of its own after the last one (past any comment ending that line), with a
 * comma added after the value before it; in a one-line object it goes inline.
 */
/**
 * Where a new property goes among its siblings: after the one named `after`, first (null), or last
 * (undefined, or when the named sibling is gone or is the last one).
 */
export type Placement = { after: string | null } | undefined;

function insertionEdits(
  text: string,
  object: JsonNode,
  key: string,
  render: (indent: string, inline: boolean) => string,
  style: Style,
  placement?: Placement,
): Edit[] {
  const keyText = JSON.stringify(key);
  const objectIndent = lineIndent(text, object.offset);
  const children = object.children ?? [];
  const onOwnLine = (node: JsonNode) =>
    /^[ \t]*$/.test(text.slice(text.lastIndexOf('\n', node.offset - 1) + 1, node.offset));
  if (placement && children.length > 0) {
    if (placement.after === null) {
      // Before the first property, in its place: the first one moves down a line (or along).
      const first = children[0]!;
      if (onOwnLine(first)) {
        const indent = lineIndent(text, first.offset);
        return [
          {
            offset: first.offset,
            length: 0,
            content: `${keyText}: ${render(indent, false)},${style.eol}${indent}`,
          },
        ];
      }
      return [{ offset: first.offset, length: 0, content: `${keyText}: ${render('', true)}, ` }];
    }
    const index = children.findIndex((child) => child.children?.[0]?.value === placement.after);
    const previous = children[index];
    if (previous && index < children.length - 1) {
      // Between two properties: after the previous one's comma (and whatever ends its line).
      const comma = commaAfter(text, previous.offset + previous.length);
      const newline = text.indexOf('\n', comma + 1);
      if (
        comma >= 0 &&
        onOwnLine(previous) &&
        newline >= 0 &&
        REST_OF_LINE.test(text.slice(comma + 1, newline))
      ) {
        const indent = lineIndent(text, previous.offset);
        const lineEnd = text[newline - 1] === '\r' ? newline - 1 : newline;
        return [
          {
            offset: lineEnd,
            length: 0,
            content: `${style.eol}${indent}${keyText}: ${render(indent, false)},`,
          },
        ];
      }
      if (comma >= 0) return [{ offset: comma + 1, length: 0, content: ` ${keyText}: ${render('', true)},` }];
    }
  }
  const last = children.at(-1);
  if (!last) {
    const inner = text.slice(object.offset + 1, object.offset + object.length - 1);
    const indent = objectIndent + style.unit;
    const property = `${style.eol}${indent}${keyText}: ${render(indent, false)}`;
    return /^\s*$/.test(inner)
      ? [
          {
            offset: object.offset + 1,
            length: inner.length,
            content: `${property}${style.eol}${objectIndent}`,
          },
        ]
      : [{ offset: object.offset + 1, length: 0, content: property }];
  }
  const end = last.offset + last.length;
  const comma = commaAfter(text, end);
  const after = comma >= 0 ? comma + 1 : end;
  const newline = text.indexOf('\n', after);
  const ownLine =
    /^[ \t]*$/.test(text.slice(text.lastIndexOf('\n', last.offset - 1) + 1, last.offset)) &&
    newline >= 0 &&
    REST_OF_LINE.test(text.slice(after, newline));
  if (!ownLine) {
    const content = `${comma >= 0 ? ' ' : ', '}${keyText}: ${render('', true)}${comma >= 0 ? ',' : ''}`;
    return [{ offset: after, length: 0, content }];
  }
  const indent = lineIndent(text, last.offset);
  const lineEnd = text[newline - 1] === '\r' ? newline - 1 : newline;
  const property = `${style.eol}${indent}${keyText}: ${render(indent, false)}${comma >= 0 ? ',' : ''}`;
  if (comma >= 0) return [{ offset: lineEnd, length: 0, content: property }];
  // Two inserts at one offset would be applied in an unspecified order: make them one.
  if (end === lineEnd) return [{ offset: end, length: 0, content: `,${property}` }];
  return [
    { offset: end, length: 0, content: ',' },
    { offset: lineEnd, length: 0, content: property },
  ];
}

/**
 * A config file's text with edits that touch only the property they name. Parsing fails with an error
 * that names the file and the line and column of the first problem.
 */
export class ConfigDocument {
  readonly path: string;
  readonly #bom: boolean;
  #text: string;
  #value: Record<string, unknown>;

  /** `text` null: the file does not exist yet (it is created as an empty object). */
  constructor(path: string, text: string | null) {
    this.path = path;
    this.#bom = text?.startsWith(BOM) ?? false;
    this.#text = this.#bom ? text!.slice(1) : (text ?? '');
    this.#value = this.#parse();
  }

  /** The whole file as it would be written. */
  get text(): string {
    return this.#bom ? `${BOM}${this.#text}` : this.#text;
  }

  get value(): Record<string, unknown> {
    return this.#value;
  }

  /** The value at `path`, or undefined when some part of it is missing. */
  get(path: JsonPath): unknown {
    return valueIn(this.#value, path);
  }

  /** The object at `path` (a server list); absent is empty, anything but an object is an error. */
  objectAt(path: JsonPath): Record<string, unknown> {
    const found = this.get(path);
    if (found === undefined) return {};
    if (!isJsonObject(found)) {
      throw malformed(
        this.path,
        `"${path.join('.')}" is ${describeType(found)} where a server list (an object) belongs`,
      );
    }
    return found;
  }

  /** The name of the property before the one at `path` in its object; null when it is the first. */
  previousKey(path: JsonPath): string | null | undefined {
    const parent = this.#tree() && findNodeAtLocation(this.#tree()!, path.slice(0, -1) as string[]);
    const names = (parent?.children ?? []).map((child) => child.children?.[0]?.value as string);
    const index = names.indexOf(String(path.at(-1)));
    return index < 0 ? undefined : index === 0 ? null : names[index - 1];
  }

  /** The source text of the value at `path`, comments and layout included. */
  sourceOf(path: JsonPath): string | undefined {
    const node = this.#tree() && findNodeAtLocation(this.#tree()!, [...path]);
    return node ? this.#text.slice(node.offset, node.offset + node.length) : undefined;
  }

  /**
   * Sets one property (creating the objects above it), leaving every other byte alone: the new lines
   * take the indentation and line ending the file already uses. With `source` (the value's text as
   * it once was, comments and layout included) the value is put back verbatim.
   */
  set(path: JsonPath, value: unknown, source?: string, placement?: Placement): void {
    if (this.#text.trim() === '') this.#text = '{}\n';
    const root = this.#tree()!;
    const style = styleOf(this.#text);
    const render = (nested: unknown, verbatim: string | undefined) => (indent: string, inline: boolean) =>
      verbatim ??
      (inline
        ? JSON.stringify(nested, null, 1).replace(/\n\s*/g, ' ')
        : JSON.stringify(nested, null, style.unit).split('\n').join(`${style.eol}${indent}`));
    const existing = findNodeAtLocation(root, [...path]);
    if (existing?.parent) {
      const indent = lineIndent(this.#text, existing.parent.offset);
      const content = render(value, source)(indent, false);
      this.#apply([{ offset: existing.offset, length: existing.length, content }]);
      return;
    }
    // The deepest object that exists on the way; what is missing below it is created in one piece.
    let depth = path.length - 1;
    let parent = findNodeAtLocation(root, path.slice(0, depth) as string[]);
    while (!parent && depth > 0) parent = findNodeAtLocation(root, path.slice(0, --depth) as string[]);
    if (!parent || parent.type !== 'object') {
      throw malformed(this.path, `"${path.slice(0, depth).join('.')}" is not an object`);
    }
    let nested = value;
    for (let index = path.length - 1; index > depth; index--) nested = { [path[index]!]: nested };
    const verbatim = depth === path.length - 1 ? source : undefined;
    this.#apply(
      insertionEdits(
        this.#text,
        parent,
        path[depth]!,
        render(nested, verbatim),
        style,
        depth === path.length - 1 ? placement : undefined,
      ),
    );
  }

  /**
   * Removes one property. When it stands on lines of its own, those lines go (with a comment that
   * ends its last line) and the comma before it if it was last; otherwise only its own characters.
   * An object left with nothing inside becomes `{}`.
   */
  remove(path: JsonPath): void {
    if (this.get(path) === undefined) return;
    this.#apply(this.#removalEdits(path));
  }

  #removalEdits(path: JsonPath): Edit[] {
    const text = this.#text;
    const node = findNodeAtLocation(this.#tree()!, [...path]);
    const property = node?.parent;
    const siblings = property?.parent?.children ?? [];
    if (!property || property.type !== 'property') return modify(text, [...path], undefined, {});
    const object = property.parent!;
    const inner = { start: object.offset + 1, end: object.offset + object.length - 1 };
    const around =
      text.slice(inner.start, property.offset) + text.slice(property.offset + property.length, inner.end);
    if (siblings.length === 1 && /^[\s,]*$/.test(around)) {
      // The last property goes and nothing else is inside: the object closes up to {}.
      return [{ offset: inner.start, length: inner.end - inner.start, content: '' }];
    }
    const index = siblings.indexOf(property);
    const previous = siblings[index - 1];
    const end = property.offset + property.length;
    const comma = commaAfter(text, end);
    const lineStart = text.lastIndexOf('\n', property.offset - 1) + 1;
    const afterEnd = comma >= 0 ? comma + 1 : end;
    const newline = text.indexOf('\n', afterEnd);
    const lineEnd = newline < 0 ? text.length : newline + 1;
    const ownLines =
      /^[ \t]*$/.test(text.slice(lineStart, property.offset)) &&
      /^[ \t]*(\/\/[^\n]*|\/\*((?!\*\/)[^\n])*\*\/[ \t]*)?\r?\n?$/.test(text.slice(afterEnd, lineEnd));
    if (!ownLines) return modify(text, [...path], undefined, {});
    const edits: Edit[] = [{ offset: lineStart, length: lineEnd - lineStart, content: '' }];
    if (comma < 0 && previous) {
      const previousComma = commaAfter(text, previous.offset + previous.length);
      if (previousComma >= 0) edits.push({ offset: previousComma, length: 1, content: '' });
    }
    return edits;
  }

  #apply(edits: Edit[]): void {
    if (edits.length === 0) return;
    this.#text = applyEdits(this.#text, edits);
    this.#value = this.#parse();
  }

  #tree() {
    return parseTree(this.#text, [], PARSE_OPTIONS);
  }

  #parse(): Record<string, unknown> {
    if (this.#text.trim() === '') return {};
    const errors: ParseError[] = [];
    const value: unknown = parse(this.#text, errors, PARSE_OPTIONS);
    const first = errors[0];
    if (first) {
      const { line, column } = positionOf(this.#text, first.offset);
      const what = problemWords[printParseErrorCode(first.error)] ?? 'syntax error';
      throw malformed(this.path, `${what} at line ${line}, column ${column}`);
    }
    if (!isJsonObject(value))
      throw malformed(this.path, `the file holds ${describeType(value)}, not an object`);
    return value;
  }
}

function valueIn(root: unknown, path: JsonPath): unknown {
  let current = root;
  for (const key of path) {
    if (!isJsonObject(current) || !Object.hasOwn(current, key)) return undefined;
    current = current[key];
  }
  return current;
}

/** The offset of the comma that follows `offset` (past spaces, line breaks and comments), or -1. */
function commaAfter(text: string, offset: number): number {
  let at = offset;
  while (at < text.length) {
    if (/\s/.test(text[at]!)) at++;
    else if (text.startsWith('//', at))
      at = text.indexOf('\n', at) < 0 ? text.length : text.indexOf('\n', at);
    else if (text.startsWith('/*', at))
      at = text.indexOf('*/', at + 2) < 0 ? text.length : text.indexOf('*/', at + 2) + 2;
    else return text[at] === ',' ? at : -1;
  }
  return -1;
}

/** Structural equality of JSON values (object key order does not matter). */
export function isDeepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) &&
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((item, index) => isDeepEqual(item, b[index]))
    );
  }
  if (isJsonObject(a) && isJsonObject(b)) {
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length &&
      keys.every((key) => Object.hasOwn(b, key) && isDeepEqual(a[key], b[key]))
    );
  }
  return false;
}
