// Regular expressions for rule conditions, matched in time linear in the subject. Rules are written by
// the user but tested against arguments chosen by an AI client, and JavaScript's backtracking RegExp
// takes exponential time on patterns like `(a+)+$` — a length cap alone does not help (30 characters
// are enough). Node has no linear engine without a process-wide V8 flag, so this is a small Thompson-NFA
// simulation (Pike VM without captures; Cox, "Regular Expression Matching: the Virtual Machine
// Approach"): cost is O(subject length × program size) whatever the pattern.
//
// Syntax is JavaScript's with the `u` flag (every pattern must also compile as `new RegExp(p, 'u')`),
// minus what needs backtracking or captures: backreferences, lookahead/lookbehind, Unicode property
// escapes and modifiers are refused with a reason. Matching is case-sensitive, searches anywhere in
// the subject unless anchored with ^ / $, and works on code points.

export const MAX_PATTERN_LENGTH = 256;
/** Cap on compiled instructions: bounds the work per subject character (`{m,n}` expands). */
export const MAX_PROGRAM_SIZE = 2_000;

export class RegexSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RegexSyntaxError';
  }
}

export interface LinearRegex {
  readonly source: string;
  test(subject: string): boolean;
}

// ---- Character sets ------------------------------------------------------------------------------

type Range = readonly [number, number];
interface CharSet {
  negate: boolean;
  ranges: Range[];
  sets: CharSet[];
}

function charSet(ranges: Range[], negate = false, sets: CharSet[] = []): CharSet {
  return { negate, ranges, sets };
}

function inSet(set: CharSet, cp: number): boolean {
  let hit = false;
  for (const [lo, hi] of set.ranges) {
    if (cp >= lo && cp <= hi) {
      hit = true;
      break;
    }
  }
  if (!hit) hit = set.sets.some((inner) => inSet(inner, cp));
  return hit !== set.negate;
}

const DIGIT: Range[] = [[0x30, 0x39]];
const WORD: Range[] = [
  [0x30, 0x39],
  [0x41, 0x5a],
  [0x5f, 0x5f],
  [0x61, 0x7a],
];
// ECMAScript WhiteSpace + LineTerminator (ECMA-262 §22.2.2.9, CharacterClassEscape `s`).
const SPACE: Range[] = [
  [0x09, 0x0d],
  [0x20, 0x20],
  [0xa0, 0xa0],
  [0x1680, 0x1680],
  [0x2000, 0x200a],
  [0x2028, 0x2029],
  [0x202f, 0x202f],
  [0x205f, 0x205f],
  [0x3000, 0x3000],
  [0xfeff, 0xfeff],
];
const LINE_TERMINATORS: Range[] = [
  [0x0a, 0x0a],
  [0x0d, 0x0d],
  [0x2028, 0x2029],
];
const ANY_BUT_NEWLINE = charSet(LINE_TERMINATORS, true);

function isWordChar(cp: number | undefined): boolean {
  return cp !== undefined && WORD.some(([lo, hi]) => cp >= lo && cp <= hi);
}

// ---- Parser: pattern → syntax tree ---------------------------------------------------------------

type Node =
  | { type: 'char'; set: CharSet }
  | { type: 'assert'; kind: 'start' | 'end' | 'word' | 'not-word' }
  | { type: 'concat'; items: Node[] }
  | { type: 'alt'; options: Node[] }
  | { type: 'repeat'; node: Node; min: number; max: number };

const SYNTAX_CHARS = new Set('^$\\.*+?()[]{}|/');
const CONTROL_ESCAPES: Record<string, number> = { f: 0x0c, n: 0x0a, r: 0x0d, t: 0x09, v: 0x0b };

class Parser {
  private pos = 0;
  private readonly chars: string[];

  constructor(pattern: string) {
    this.chars = Array.from(pattern);
  }

  parse(): Node {
    const node = this.disjunction();
    if (this.pos < this.chars.length) throw this.error(`unexpected "${this.chars[this.pos]}"`);
    return node;
  }

  private peek(offset = 0): string | undefined {
    return this.chars[this.pos + offset];
  }

  private error(message: string, at = this.pos): RegexSyntaxError {
    return new RegexSyntaxError(`${message} at position ${at + 1}`);
  }

  private disjunction(): Node {
    const options = [this.alternative()];
    while (this.peek() === '|') {
      this.pos++;
      options.push(this.alternative());
    }
    return options.length === 1 ? options[0]! : { type: 'alt', options };
  }

  private alternative(): Node {
    const items: Node[] = [];
    while (this.pos < this.chars.length && this.peek() !== '|' && this.peek() !== ')') {
      items.push(this.term());
    }
    return { type: 'concat', items };
  }

  private term(): Node {
    const c = this.peek()!;
    if (c === '^' || c === '$') {
      this.pos++;
      return { type: 'assert', kind: c === '^' ? 'start' : 'end' };
    }
    if (c === '\\' && (this.peek(1) === 'b' || this.peek(1) === 'B')) {
      this.pos += 2;
      return { type: 'assert', kind: this.chars[this.pos - 1] === 'b' ? 'word' : 'not-word' };
    }
    return this.quantified(this.atom());
  }

  private quantified(node: Node): Node {
    const c = this.peek();
    let min: number;
    let max: number;
    if (c === '*') [min, max] = [0, Infinity];
    else if (c === '+') [min, max] = [1, Infinity];
    else if (c === '?') [min, max] = [0, 1];
    else if (c === '{') {
      const match = /^\{(\d+)(,(\d*))?\}/.exec(this.chars.slice(this.pos, this.pos + 24).join(''));
      if (!match) throw this.error('a { must start a quantifier like {2} or {1,3}');
      min = Number(match[1]);
      max = match[2] === undefined ? min : match[3] === '' ? Infinity : Number(match[3]);
      if (max < min) throw this.error('numbers out of order in {} quantifier');
      if (min > 1_000 || (max !== Infinity && max > 1_000))
        throw this.error('a {} quantifier may count to 1000 at most');
      this.pos += match[0].length - 1;
    } else return node;
    this.pos++;
    if (this.peek() === '?') this.pos++; // lazy or greedy: the same for "does it match"
    return { type: 'repeat', node, min, max };
  }

  private atom(): Node {
    const c = this.peek()!;
    this.pos++;
    switch (c) {
      case '.':
        return { type: 'char', set: ANY_BUT_NEWLINE };
      case '(':
        return this.group();
      case '[':
        return { type: 'char', set: this.characterClass() };
      case '\\':
        return { type: 'char', set: this.atomEscape() };
      case ')':
      case ']':
      case '{':
      case '}':
      case '*':
      case '+':
      case '?':
        this.pos--;
        throw this.error(`unexpected "${c}"`);
      default:
        return { type: 'char', set: single(c.codePointAt(0)!) };
    }
  }

  private group(): Node {
    if (this.peek() === '?') {
      const next = this.peek(1);
      if (next === ':') this.pos += 2;
      else if (next === '<' && this.peek(2) !== '=' && this.peek(2) !== '!') {
        // Named group: the name only labels a capture, which is not used here.
        const close = this.chars.indexOf('>', this.pos);
        if (close < 0) throw this.error('unterminated group name');
        this.pos = close + 1;
      } else if (next === '=' || next === '!' || next === '<') {
        throw this.error('lookahead and lookbehind are not supported in rule patterns');
      } else throw this.error('inline modifiers are not supported in rule patterns');
    }
    const inner = this.disjunction();
    if (this.peek() !== ')') throw this.error('missing )');
    this.pos++;
    return inner;
  }

  private characterClass(): CharSet {
    const negate = this.peek() === '^';
    if (negate) this.pos++;
    const ranges: Range[] = [];
    const sets: CharSet[] = [];
    while (this.peek() !== ']') {
      if (this.peek() === undefined) throw this.error('missing ]');
      const from = this.classAtom();
      if (this.peek() === '-' && this.peek(1) !== ']' && this.peek(1) !== undefined) {
        this.pos++;
        const to = this.classAtom();
        if (typeof from !== 'number' || typeof to !== 'number')
          throw this.error('a range needs single characters');
        if (to < from) throw this.error('range out of order in character class');
        ranges.push([from, to]);
      } else if (typeof from === 'number') ranges.push([from, from]);
      else sets.push(from);
    }
    this.pos++;
    return charSet(ranges, negate, sets);
  }

  private classAtom(): number | CharSet {
    const c = this.peek()!;
    this.pos++;
    if (c !== '\\') return c.codePointAt(0)!;
    if (this.peek() === 'b') {
      this.pos++;
      return 0x08;
    }
    if (this.peek() === '-') {
      this.pos++;
      return 0x2d;
    }
    const set = this.atomEscape();
    return set.ranges.length === 1 &&
      set.sets.length === 0 &&
      !set.negate &&
      set.ranges[0]![0] === set.ranges[0]![1]
      ? set.ranges[0]![0]
      : set;
  }

  private atomEscape(): CharSet {
    const start = this.pos - 1; // errors point at the backslash
    const c = this.peek();
    if (c === undefined) throw this.error('\\ at end of pattern', start);
    this.pos++;
    switch (c) {
      case 'd':
        return charSet(DIGIT);
      case 'D':
        return charSet(DIGIT, true);
      case 'w':
        return charSet(WORD);
      case 'W':
        return charSet(WORD, true);
      case 's':
        return charSet(SPACE);
      case 'S':
        return charSet(SPACE, true);
      case 'x': {
        const hex = this.chars.slice(this.pos, this.pos + 2).join('');
        if (!/^[0-9A-Fa-f]{2}$/.test(hex)) throw this.error('\\x needs two hex digits', start);
        this.pos += 2;
        return single(parseInt(hex, 16));
      }
      case 'u':
        return single(this.unicodeEscape());
      case 'c': {
        const letter = this.peek();
        if (letter === undefined || !/^[A-Za-z]$/.test(letter)) throw this.error('\\c needs a letter', start);
        this.pos++;
        return single(letter.codePointAt(0)! % 32);
      }
      case '0':
        if (this.peek() !== undefined && /\d/.test(this.peek()!))
          throw this.error('octal escapes are not supported', start);
        return single(0);
      case 'k':
        throw this.error('backreferences are not supported in rule patterns', start);
      case 'p':
      case 'P':
        throw this.error('Unicode property escapes are not supported in rule patterns', start);
      default:
        if (CONTROL_ESCAPES[c] !== undefined) return single(CONTROL_ESCAPES[c]);
        if (/[1-9]/.test(c)) throw this.error('backreferences are not supported in rule patterns', start);
        if (SYNTAX_CHARS.has(c) || c === '-') return single(c.codePointAt(0)!);
        throw this.error(`unknown escape \\${c}`, start);
    }
  }

  private unicodeEscape(): number {
    if (this.peek() === '{') {
      const close = this.chars.indexOf('}', this.pos);
      const hex = close < 0 ? '' : this.chars.slice(this.pos + 1, close).join('');
      if (!/^[0-9A-Fa-f]{1,6}$/.test(hex) || parseInt(hex, 16) > 0x10ffff)
        throw this.error('bad \\u{…} escape');
      this.pos = close + 1;
      return parseInt(hex, 16);
    }
    const hex = this.chars.slice(this.pos, this.pos + 4).join('');
    if (!/^[0-9A-Fa-f]{4}$/.test(hex)) throw this.error('\\u needs four hex digits');
    this.pos += 4;
    const unit = parseInt(hex, 16);
    // A surrogate pair written as two escapes is one code point in `u` mode.
    const low = this.chars.slice(this.pos, this.pos + 6).join('');
    if (unit >= 0xd800 && unit <= 0xdbff && /^\\u[dD][c-fC-F][0-9A-Fa-f]{2}$/.test(low)) {
      this.pos += 6;
      return 0x10000 + ((unit - 0xd800) << 10) + (parseInt(low.slice(2), 16) - 0xdc00);
    }
    return unit;
  }
}

function single(cp: number): CharSet {
  return charSet([[cp, cp]]);
}

// ---- Compiler: syntax tree → NFA program ---------------------------------------------------------

type Instruction =
  | { op: 'char'; set: CharSet }
  | { op: 'split'; x: number; y: number }
  | { op: 'jmp'; x: number }
  | { op: 'assert'; kind: 'start' | 'end' | 'word' | 'not-word' }
  | { op: 'match' };

class Compiler {
  readonly program: Instruction[] = [];

  private emit(instruction: Instruction): number {
    if (this.program.length >= MAX_PROGRAM_SIZE) {
      throw new RegexSyntaxError(
        'the pattern is too complex (it expands to too many states; use smaller {} counts)',
      );
    }
    this.program.push(instruction);
    return this.program.length - 1;
  }

  compile(node: Node): void {
    switch (node.type) {
      case 'char':
        this.emit({ op: 'char', set: node.set });
        return;
      case 'assert':
        this.emit({ op: 'assert', kind: node.kind });
        return;
      case 'concat':
        for (const item of node.items) this.compile(item);
        return;
      case 'alt': {
        const jumps: Array<{ op: 'jmp'; x: number }> = [];
        node.options.forEach((option, i) => {
          if (i === node.options.length - 1) {
            this.compile(option);
            return;
          }
          const split = { op: 'split' as const, x: 0, y: 0 };
          this.emit(split);
          split.x = this.program.length;
          this.compile(option);
          const jump = { op: 'jmp' as const, x: 0 };
          this.emit(jump);
          jumps.push(jump);
          split.y = this.program.length;
        });
        for (const jump of jumps) jump.x = this.program.length;
        return;
      }
      case 'repeat': {
        for (let i = 0; i < node.min; i++) this.compile(node.node);
        if (node.max === Infinity) {
          const split = { op: 'split' as const, x: 0, y: 0 };
          const loop = this.emit(split);
          split.x = this.program.length;
          this.compile(node.node);
          this.emit({ op: 'jmp', x: loop });
          split.y = this.program.length;
          return;
        }
        const splits: Array<{ op: 'split'; x: number; y: number }> = [];
        for (let i = node.min; i < node.max; i++) {
          const split = { op: 'split' as const, x: 0, y: 0 };
          this.emit(split);
          split.x = this.program.length;
          splits.push(split);
          this.compile(node.node);
        }
        for (const split of splits) split.y = this.program.length;
        return;
      }
    }
  }
}

// ---- Matcher: Pike VM ------------------------------------------------------------------------------

class Program implements LinearRegex {
  private readonly marks: Uint32Array;
  private generation = 0;

  constructor(
    readonly source: string,
    private readonly program: Instruction[],
  ) {
    this.marks = new Uint32Array(program.length);
  }

  test(subject: string): boolean {
    let current: number[] = [];
    let prev: number | undefined;
    let index = 0;
    const stack: number[] = [];
    this.nextGeneration();
    for (;;) {
      const cp = index < subject.length ? subject.codePointAt(index) : undefined;
      // Unanchored search: a new thread starts at every position.
      if (this.addThread(current, 0, prev, cp, index === 0, cp === undefined, stack)) return true;
      if (cp === undefined) return false;
      const nextIndex = index + (cp > 0xffff ? 2 : 1);
      const next: number[] = [];
      this.nextGeneration();
      const after = nextIndex < subject.length ? subject.codePointAt(nextIndex) : undefined;
      for (const pc of current) {
        const instruction = this.program[pc]!;
        if (instruction.op === 'char' && inSet(instruction.set, cp)) {
          if (this.addThread(next, pc + 1, cp, after, false, after === undefined, stack)) return true;
        }
      }
      current = next;
      prev = cp;
      index = nextIndex;
    }
  }

  private nextGeneration(): void {
    this.generation++;
    if (this.generation === 0xffffffff) {
      this.marks.fill(0);
      this.generation = 1;
    }
  }

  /** Follows empty transitions from `start`; collects `char` states; true when `match` is reached. */
  private addThread(
    list: number[],
    start: number,
    prev: number | undefined,
    cp: number | undefined,
    atStart: boolean,
    atEnd: boolean,
    stack: number[],
  ): boolean {
    stack.length = 0;
    stack.push(start);
    while (stack.length > 0) {
      const pc = stack.pop()!;
      if (this.marks[pc] === this.generation) continue;
      this.marks[pc] = this.generation;
      const instruction = this.program[pc]!;
      switch (instruction.op) {
        case 'match':
          return true;
        case 'char':
          list.push(pc);
          break;
        case 'jmp':
          stack.push(instruction.x);
          break;
        case 'split':
          stack.push(instruction.y, instruction.x);
          break;
        case 'assert': {
          const holds =
            instruction.kind === 'start'
              ? atStart
              : instruction.kind === 'end'
                ? atEnd
                : (isWordChar(prev) !== isWordChar(cp)) === (instruction.kind === 'word');
          if (holds) stack.push(pc + 1);
          break;
        }
      }
    }
    return false;
  }
}

/** Compiles a rule pattern, or throws RegexSyntaxError with a reason a person can act on. */
export function compileLinearRegex(pattern: string): LinearRegex {
  if (pattern.length > MAX_PATTERN_LENGTH) {
    throw new RegexSyntaxError(`the pattern is longer than ${MAX_PATTERN_LENGTH} characters`);
  }
  try {
    new RegExp(pattern, 'u');
  } catch (error) {
    throw new RegexSyntaxError((error as Error).message.replace(/^Invalid regular expression: /, ''));
  }
  const tree = new Parser(pattern).parse();
  const compiler = new Compiler();
  compiler.compile(tree);
  compiler.program.push({ op: 'match' });
  return new Program(pattern, compiler.program);
}
