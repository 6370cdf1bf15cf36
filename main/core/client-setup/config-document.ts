// One client config file as text, edited in place: parsed as JSON with comments (VS Code's mcp.json
// is JSONC; the others are plain JSON, a subset), changed one property at a time so that everything
// else — other servers, comments, indentation, line endings — stays byte for byte as it was.
import {
  applyEdits,
  createScanner,
  findNodeAtLocation,
  modify,
  parse,
  parseTree,
  ParseErrorCode,
  SyntaxKind,
  type Edit,
  type FormattingOptions,
  type ParseError,
} from 'jsonc-parser';
import { GatehouseError } from '../errors.js';

export type JsonPath = readonly string[];

const PARSE_OPTIONS = { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true };
const BOM = '\ufeff';
const PLACEHOLDER = 'gatehouse-restore-placeholder';

const problemWords: Partial<Record<ParseErrorCode, string>> = {
  [ParseErrorCode.InvalidSymbol]: 'unexpected character',
  [ParseErrorCode.InvalidNumberFormat]: 'malformed number',
  [ParseErrorCode.PropertyNameExpected]: 'expected a property name in double quotes',
  [ParseErrorCode.ValueExpected]: 'expected a value',
  [ParseErrorCode.ColonExpected]: 'expected a colon',
  [ParseErrorCode.CommaExpected]: 'expected a comma',
  [ParseErrorCode.CloseBraceExpected]: 'expected a closing }',
  [ParseErrorCode.CloseBracketExpected]: 'expected a closing ]',
  [ParseErrorCode.EndOfFileExpected]: 'unexpected text after the end',
  [ParseErrorCode.InvalidCommentToken]: 'malformed comment',
  [ParseErrorCode.UnexpectedEndOfComment]: 'a comment is not closed',
  [ParseErrorCode.UnexpectedEndOfString]: 'a string is not closed',
  [ParseErrorCode.UnexpectedEndOfNumber]: 'a number ends early',
  [ParseErrorCode.InvalidUnicode]: 'malformed \\u escape',
  [ParseErrorCode.InvalidEscapeCharacter]: 'malformed escape in a string',
  [ParseErrorCode.InvalidCharacter]: 'a control character inside a string',
};

/** "line 3, column 7" for an offset into text (both counted from 1, as editors show them). */
export function positionOf(text: string, offset: number): { line: number; column: number } {
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

export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The indentation and line ending the file already uses, so inserted lines look like their neighbours. */
function formattingOf(text: string): FormattingOptions {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const indent = /^([ \t]+)["}\]/]/m.exec(text)?.[1];
  if (indent?.startsWith('\t')) return { insertSpaces: false, tabSize: 1, eol };
  return { insertSpaces: true, tabSize: indent ? indent.length : 2, eol };
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
    const text = this.#text.trim() === '' ? '' : this.#text;
    return this.#bom ? `${BOM}${text}` : text;
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

  /** The source text of the value at `path`, comments and layout included. */
  sourceOf(path: JsonPath): string | undefined {
    const node = this.#tree() && findNodeAtLocation(this.#tree()!, [...path]);
    return node ? this.#text.slice(node.offset, node.offset + node.length) : undefined;
  }

  /**
   * Sets one property (creating the objects above it), leaving every other byte alone. With `source`
   * (the value's text as it once was, comments and layout included) the value is put back verbatim.
   */
  set(path: JsonPath, value: unknown, source?: string): void {
    if (this.#text.trim() === '') this.#text = '{}\n';
    const formattingOptions = formattingOf(this.#text);
    if (source !== undefined && !this.#text.includes(PLACEHOLDER)) {
      const placed = applyEdits(
        this.#text,
        modify(this.#text, [...path], PLACEHOLDER, { formattingOptions }),
      );
      const restored = placed.replace(JSON.stringify(PLACEHOLDER), () => source);
      const errors: ParseError[] = [];
      const parsed: unknown = parse(restored, errors, PARSE_OPTIONS);
      if (errors.length === 0 && isDeepEqual(valueIn(parsed, path), value)) {
        this.#text = restored;
        this.#value = this.#parse();
        return;
      }
    }
    this.#apply(modify(this.#text, [...path], value, { formattingOptions }));
  }

  /**
   * Removes one property. When it stands on lines of its own, those lines go (with a comment that
   * ends its last line) and the comma before it if it was last; otherwise only its own characters.
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
      const what = problemWords[first.error] ?? 'syntax error';
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
  const scanner = createScanner(text, false);
  scanner.setPosition(offset);
  for (;;) {
    const token = scanner.scan();
    if (
      token === SyntaxKind.Trivia ||
      token === SyntaxKind.LineBreakTrivia ||
      token === SyntaxKind.LineCommentTrivia ||
      token === SyntaxKind.BlockCommentTrivia
    ) {
      continue;
    }
    return token === SyntaxKind.CommaToken ? scanner.getTokenOffset() : -1;
  }
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
