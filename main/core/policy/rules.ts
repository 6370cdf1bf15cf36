// The rules engine: an ordered list of the user's rules, first match wins. A rule names who (client
// glob), where (connector glob), what (tool glob, on the upstream's own tool name) and, optionally,
// which arguments — `conditions` that must all hold, and `unless` conditions that exempt a call when
// they all hold — so "deny filesystem write_file unless $.path starts with ~/projects/" is one rule.
//
// Rules see arguments chosen by an AI client, so every test is bounded: globs match in O(n·m) without
// backtracking, regexes run on a linear-time engine (linear-regex.ts), paths are normalised before a
// prefix test (so `~/projects/../.ssh` does not pass as inside ~/projects/), and a regex subject longer
// than MAX_REGEX_SUBJECT is not tested at all but counted the strict way (see `strictOutcome`).
import path from 'node:path';
import { z } from 'zod';
import { compileLinearRegex, RegexSyntaxError, type LinearRegex } from './linear-regex.js';

const MAX_RULES = 500;
const MAX_CONDITIONS = 16;
const MAX_GLOB_LENGTH = 200;
const MAX_JSON_PATH_LENGTH = 256;
/** Longest argument value a regex condition tests (in UTF-16 units); longer values count strictly. */
export const MAX_REGEX_SUBJECT = 16_384;

type RuleEffect = 'allow' | 'ask' | 'deny';

// ---- Schema --------------------------------------------------------------------------------------

const ruleId = z
  .string({ error: 'id must be a string' })
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/,
    'id must be 1–64 letters, digits, _, . or -, starting with a letter or digit',
  );

const glob = z
  .string({ error: 'must be a glob string' })
  .min(1, 'must not be empty (leave it out to match everything)')
  .max(MAX_GLOB_LENGTH, `must be at most ${MAX_GLOB_LENGTH} characters`)
  .refine(
    (value) => !/[[\]{}\\]/.test(value),
    'globs support only * and ? as wildcards; [ ] { } and \\ are not allowed',
  )
  // eslint-disable-next-line no-control-regex
  .refine((value) => !/[\u0000-\u001f\u007f]/.test(value), 'must not contain control characters');

const jsonPath = z
  .string({ error: 'path must be a JSON path string' })
  .max(MAX_JSON_PATH_LENGTH, `path must be at most ${MAX_JSON_PATH_LENGTH} characters`)
  .superRefine((value, ctx) => {
    const parsed = parseJsonPath(value);
    if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: parsed });
  });

const condition = z
  .object({
    path: jsonPath,
    op: z.enum(['equals', 'prefix', 'not-prefix', 'regex'], {
      error: 'op must be one of equals, prefix, not-prefix, regex',
    }),
    value: z.union([z.string(), z.number(), z.boolean()], {
      error: 'value must be a string, number or boolean',
    }),
  })
  .strict()
  .superRefine((cond, ctx) => {
    if (cond.op !== 'equals' && typeof cond.value !== 'string') {
      ctx.addIssue({ code: 'custom', path: ['value'], message: `value must be a string for op ${cond.op}` });
      return;
    }
    if (cond.op === 'regex') {
      try {
        compileLinearRegex(cond.value as string);
      } catch (error) {
        if (!(error instanceof RegexSyntaxError)) throw error;
        ctx.addIssue({ code: 'custom', path: ['value'], message: `invalid regex: ${error.message}` });
      }
    }
  });

const conditions = z.array(condition).max(MAX_CONDITIONS, `at most ${MAX_CONDITIONS} conditions per rule`);

const ruleSchema = z
  .object({
    id: ruleId,
    effect: z.enum(['allow', 'ask', 'deny'], { error: 'effect must be allow, ask or deny' }),
    client: glob.optional(),
    connector: glob.optional(),
    tool: glob.optional(),
    conditions: conditions.optional(),
    unless: conditions.min(1, 'unless needs at least one condition (or leave it out)').optional(),
    description: z.string().max(300, 'description must be at most 300 characters').optional(),
  })
  .strict();

type Rule = z.infer<typeof ruleSchema>;
type RuleCondition = z.infer<typeof condition>;

// ---- Compiled form -------------------------------------------------------------------------------

type PathSegment = string | number;

interface CompiledCondition {
  source: RuleCondition;
  path: PathSegment[];
  /** The rule's value with ~ expanded (and normalised, when it is a path). */
  value: string | number | boolean;
  pathLike: boolean;
  regex?: LinearRegex;
}

export interface CompiledRule {
  rule: Rule;
  home: string;
  pathStyle: 'posix' | 'win32';
  client?: GlobMatcher;
  connector?: GlobMatcher;
  tool?: GlobMatcher;
  conditions: CompiledCondition[];
  unless: CompiledCondition[];
}

export interface RuleOptions {
  /** The user's home directory, for `~` in prefix and equals values. */
  home: string;
  /** How paths are compared; by default Windows-style when `home` looks like a Windows path. */
  pathStyle?: 'posix' | 'win32';
}

export type ParseRulesResult = { ok: true; rules: CompiledRule[] } | { ok: false; errors: string[] };

/**
 * Validates and compiles the user's rules. Every problem is reported, each naming the rule and the
 * field: `rule "no-ssh": conditions[0].op: op must be one of equals, prefix, not-prefix, regex`.
 */
export function parseRules(input: unknown, options: RuleOptions): ParseRulesResult {
  const style = options.pathStyle ?? (looksLikeWindowsPath(options.home) ? 'win32' : 'posix');
  // An empty or relative home would turn "~/projects/" into a different, wider prefix.
  if (!path[style].isAbsolute(options.home)) {
    throw new TypeError(`parseRules: home must be an absolute path, not ${JSON.stringify(options.home)}`);
  }
  if (!Array.isArray(input)) return { ok: false, errors: ['rules must be a list'] };
  if (input.length > MAX_RULES) return { ok: false, errors: [`at most ${MAX_RULES} rules`] };
  const errors: string[] = [];
  const rules: CompiledRule[] = [];
  const ids = new Set<string>();
  input.forEach((raw: unknown, index) => {
    const name = ruleLabel(raw, index);
    const parsed = ruleSchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = issue.path.length > 0 ? `${formatIssuePath(issue.path)}: ` : '';
        errors.push(`${name}: ${field}${issueMessage(issue)}`);
      }
      return;
    }
    if (ids.has(parsed.data.id)) {
      errors.push(`${name}: id: another rule already has this id`);
      return;
    }
    ids.add(parsed.data.id);
    rules.push(compileRule(parsed.data, options));
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, rules };
}

function ruleLabel(raw: unknown, index: number): string {
  const id = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : undefined;
  return typeof id === 'string' && id.length > 0 && id.length <= 64
    ? `rule ${JSON.stringify(id)}`
    : `rule #${index + 1}`;
}

function formatIssuePath(issuePath: ReadonlyArray<PropertyKey>): string {
  return issuePath
    .map((segment, i) =>
      typeof segment === 'number' ? `[${segment}]` : `${i > 0 ? '.' : ''}${String(segment)}`,
    )
    .join('');
}

function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    return `unknown field ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`;
  }
  return issue.message;
}

function compileRule(rule: Rule, options: RuleOptions): CompiledRule {
  const style = options.pathStyle ?? (looksLikeWindowsPath(options.home) ? 'win32' : 'posix');
  return {
    rule,
    home: options.home,
    pathStyle: style,
    client: rule.client === undefined ? undefined : new GlobMatcher(rule.client, true),
    connector: rule.connector === undefined ? undefined : new GlobMatcher(rule.connector, false),
    tool: rule.tool === undefined ? undefined : new GlobMatcher(rule.tool, false),
    conditions: (rule.conditions ?? []).map((c) => compileCondition(c, options.home, style)),
    unless: (rule.unless ?? []).map((c) => compileCondition(c, options.home, style)),
  };
}

function compileCondition(source: RuleCondition, home: string, style: 'posix' | 'win32'): CompiledCondition {
  const segments = parseJsonPath(source.path) as PathSegment[];
  if (source.op === 'regex') {
    return {
      source,
      path: segments,
      value: source.value,
      pathLike: false,
      regex: compileLinearRegex(source.value as string),
    };
  }
  if (typeof source.value !== 'string')
    return { source, path: segments, value: source.value, pathLike: false };
  const expanded = expandHome(source.value, home, style);
  const pathLike = path[style].isAbsolute(expanded);
  return { source, path: segments, value: pathLike ? normalisePath(expanded, style) : expanded, pathLike };
}

// ---- Evaluation ----------------------------------------------------------------------------------

export interface RuleSubject {
  client: { id: string; name: string };
  connector: string;
  /** The upstream's own tool name. */
  tool: string;
  arguments: unknown;
}

export interface RuleMatch {
  effect: RuleEffect;
  ruleId: string;
  description?: string;
  /** Why it matched, as a clause: `$.path does not start with "/home/me/projects/"`; undefined when the rule has no conditions. */
  because?: string;
  /** The whole decision as a sentence for the activity log. */
  explanation: string;
}

/** The first rule that applies to this call, or undefined when none does. */
export function evaluateRules(rules: readonly CompiledRule[], subject: RuleSubject): RuleMatch | undefined {
  for (const compiled of rules) {
    if (!matchesIdentity(compiled, subject)) continue;
    const effect = compiled.rule.effect;
    const reasons: string[] = [];

    let applies = true;
    for (const cond of compiled.conditions) {
      const outcome = testCondition(cond, subject.arguments, compiled.home, compiled.pathStyle);
      const holds = outcome === 'unknown' ? strictOutcome(effect, 'conditions') : outcome;
      if (!holds) {
        applies = false;
        break;
      }
      reasons.push(describeCondition(cond, true, outcome === 'unknown'));
    }
    if (!applies) continue;

    if (compiled.unless.length > 0) {
      const failing: string[] = [];
      for (const cond of compiled.unless) {
        const outcome = testCondition(cond, subject.arguments, compiled.home, compiled.pathStyle);
        const holds = outcome === 'unknown' ? strictOutcome(effect, 'unless') : outcome;
        if (!holds) failing.push(describeCondition(cond, false, outcome === 'unknown'));
      }
      if (failing.length === 0) continue; // exempted
      reasons.push(...failing);
    }
    return ruleMatch(compiled, subject, reasons);
  }
  return undefined;
}

/**
 * What the first applicable rule means for a tool before any arguments are known (tools/list): the
 * first rule whose client/connector/tool globs match decides, unless it has conditions — then the
 * answer depends on the call's arguments.
 */
export function evaluateRulesForListing(
  rules: readonly CompiledRule[],
  subject: Omit<RuleSubject, 'arguments'>,
): { kind: 'decided'; match: RuleMatch } | { kind: 'depends-on-arguments'; ruleId: string } | undefined {
  for (const compiled of rules) {
    if (!matchesIdentity(compiled, subject)) continue;
    if (compiled.conditions.length > 0 || compiled.unless.length > 0) {
      return { kind: 'depends-on-arguments', ruleId: compiled.rule.id };
    }
    return { kind: 'decided', match: ruleMatch(compiled, subject, []) };
  }
  return undefined;
}

function matchesIdentity(compiled: CompiledRule, subject: Omit<RuleSubject, 'arguments'>): boolean {
  if (
    compiled.client &&
    !compiled.client.test(subject.client.id) &&
    !compiled.client.test(subject.client.name)
  ) {
    return false;
  }
  if (compiled.connector && !compiled.connector.test(subject.connector)) return false;
  if (compiled.tool && !compiled.tool.test(subject.tool)) return false;
  return true;
}

const verbs: Record<RuleEffect, string> = { allow: 'allows', ask: 'asks before', deny: 'denies' };

function ruleMatch(
  compiled: CompiledRule,
  subject: Omit<RuleSubject, 'arguments'>,
  reasons: string[],
): RuleMatch {
  const { id, effect, description } = compiled.rule;
  const because = reasons.length > 0 ? reasons.join(' and ') : undefined;
  const explanation =
    `Rule ${id} ${verbs[effect]} ${subject.tool} on ${subject.connector}` +
    (because !== undefined ? ` because ${because}.` : '.');
  return {
    effect,
    ruleId: id,
    ...(description !== undefined ? { description } : {}),
    ...(because !== undefined ? { because } : {}),
    explanation,
  };
}

/**
 * A regex condition whose subject is too long to test counts in whichever way makes the rule
 * stricter: for deny and ask rules the rule applies (its conditions hold, its `unless` does not
 * exempt); for allow rules it does not.
 */
function strictOutcome(effect: RuleEffect, part: 'conditions' | 'unless'): boolean {
  const ruleShouldApply = effect !== 'allow';
  return part === 'conditions' ? ruleShouldApply : !ruleShouldApply;
}

function testCondition(
  cond: CompiledCondition,
  args: unknown,
  home: string,
  style: 'posix' | 'win32',
): boolean | 'unknown' {
  const found = valueAt(args, cond.path);
  const { op } = cond.source;
  switch (op) {
    case 'equals': {
      if (cond.pathLike && typeof found === 'string') {
        return samePath(normaliseArgumentPath(found, home, style), cond.value as string, style);
      }
      return found === cond.value;
    }
    case 'prefix':
    case 'not-prefix': {
      const starts = typeof found === 'string' && startsWith(found, cond, home, style);
      return op === 'prefix' ? starts : !starts;
    }
    case 'regex': {
      const subject =
        typeof found === 'string'
          ? found
          : typeof found === 'number' || typeof found === 'boolean'
            ? String(found)
            : undefined;
      if (subject === undefined) return false;
      if (subject.length > MAX_REGEX_SUBJECT) return 'unknown';
      return cond.regex!.test(subject);
    }
  }
}

function startsWith(found: string, cond: CompiledCondition, home: string, style: 'posix' | 'win32'): boolean {
  const prefix = cond.value as string;
  if (!cond.pathLike) return found.startsWith(prefix);
  const candidate = normaliseArgumentPath(found, home, style);
  const fold = (s: string): string => (style === 'win32' ? s.toLowerCase() : s);
  const a = fold(candidate);
  const p = fold(prefix);
  if (a.startsWith(p)) return true;
  // "~/projects/" also covers the directory itself, written without the trailing separator.
  const separators = style === 'win32' ? ['\\', '/'] : ['/'];
  return separators.some((sep) => p.endsWith(sep) && a === p.slice(0, -1));
}

function samePath(a: string, b: string, style: 'posix' | 'win32'): boolean {
  return style === 'win32' ? a.toLowerCase() === b.toLowerCase() : a === b;
}

function describeCondition(cond: CompiledCondition, holds: boolean, untested: boolean): string {
  const { op } = cond.source;
  const where = cond.source.path;
  const value = JSON.stringify(cond.value);
  const phrase = {
    equals: holds ? `is ${value}` : `is not ${value}`,
    prefix: holds ? `starts with ${value}` : `does not start with ${value}`,
    'not-prefix': holds ? `does not start with ${value}` : `starts with ${value}`,
    regex: holds ? `matches /${String(cond.value)}/` : `does not match /${String(cond.value)}/`,
  }[op];
  return `${where} ${phrase}${untested ? ' (too long to test, counted strictly)' : ''}`;
}

// ---- Paths ---------------------------------------------------------------------------------------

function looksLikeWindowsPath(home: string): boolean {
  return /^[A-Za-z]:[\\/]/.test(home) || home.startsWith('\\\\');
}

function expandHome(value: string, home: string, style: 'posix' | 'win32'): string {
  if (value === '~') return home;
  const separators = style === 'win32' ? ['/', '\\'] : ['/'];
  for (const sep of separators) {
    if (value.startsWith(`~${sep}`)) return `${home.replace(/[\\/]+$/, '')}${sep}${value.slice(2)}`;
  }
  return value;
}

/** Resolves `.` and `..` (purely, no file system) and keeps a trailing separator. */
function normalisePath(value: string, style: 'posix' | 'win32'): string {
  return path[style].normalize(value);
}

/**
 * An argument compared with a path-like rule value: `~` expanded (servers often expand it
 * themselves) and `..` resolved. Relative paths stay relative and so never match an absolute
 * prefix — a `deny … unless prefix` rule denies them. Symbolic links cannot be seen from here.
 */
function normaliseArgumentPath(value: string, home: string, style: 'posix' | 'win32'): string {
  const expanded = expandHome(value, home, style);
  return path[style].isAbsolute(expanded) ? normalisePath(expanded, style) : expanded;
}

// ---- JSON paths ----------------------------------------------------------------------------------

/**
 * Parses `$.path`, `$.options.mode`, `$.items[0].name`, `$["odd key"]`. Returns the segments, or
 * a sentence saying what is wrong.
 */
export function parseJsonPath(text: string): PathSegment[] | string {
  const example = 'use a JSON path like $.path, $.options.mode or $.items[0].name';
  if (!text.startsWith('$')) return `path "${text}" must start with $; ${example}`;
  const segments: PathSegment[] = [];
  let i = 1;
  while (i < text.length) {
    const rest = text.slice(i);
    const name = /^\.([A-Za-z_$][A-Za-z0-9_$-]*)/.exec(rest);
    const index = /^\[(0|[1-9]\d{0,8})\]/.exec(rest);
    const quoted = /^\[("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')\]/.exec(rest);
    if (name) {
      segments.push(name[1]!);
      i += name[0].length;
    } else if (index) {
      segments.push(Number(index[1]));
      i += index[0].length;
    } else if (quoted) {
      const body = quoted[1]!.slice(1, -1).replace(/\\(.)/g, '$1');
      segments.push(body);
      i += quoted[0].length;
    } else {
      return `path "${text}" is not valid at character ${i + 1}; ${example}`;
    }
    if (segments.length > 32) return `path "${text}" is deeper than 32 levels`;
  }
  if (segments.length === 0) return `path "${text}" must name an argument; ${example}`;
  return segments;
}

/** Own properties only: `$.constructor` or `$.__proto__` never reach the prototype chain. */
function valueAt(root: unknown, segments: readonly PathSegment[]): unknown {
  let current = root;
  for (const segment of segments) {
    if (typeof segment === 'number') {
      if (!Array.isArray(current) || segment >= current.length) return undefined;
      current = current[segment];
    } else {
      if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
      if (!Object.hasOwn(current, segment)) return undefined;
      current = (current as Record<string, unknown>)[segment];
    }
  }
  return current;
}

// ---- Globs ---------------------------------------------------------------------------------------

/** `*` (any run, possibly empty) and `?` (one code point), anchored at both ends. */
export class GlobMatcher {
  readonly #pattern: string[];
  readonly #ignoreCase: boolean;

  constructor(
    readonly source: string,
    ignoreCase: boolean,
  ) {
    this.#ignoreCase = ignoreCase;
    this.#pattern = Array.from(ignoreCase ? source.toLowerCase() : source);
  }

  /**
   * The classic two-pointer wildcard match: on a mismatch it retries only from the last `*`, so it
   * is O(pattern × subject) at worst, never exponential.
   */
  test(value: string): boolean {
    const text = Array.from(this.#ignoreCase ? value.toLowerCase() : value);
    const pattern = this.#pattern;
    let t = 0;
    let p = 0;
    let star = -1;
    let mark = 0;
    while (t < text.length) {
      if (p < pattern.length && (pattern[p] === '?' || pattern[p] === text[t])) {
        t++;
        p++;
      } else if (p < pattern.length && pattern[p] === '*') {
        star = p++;
        mark = t;
      } else if (star >= 0) {
        p = star + 1;
        t = ++mark;
      } else {
        return false;
      }
    }
    while (p < pattern.length && pattern[p] === '*') p++;
    return p === pattern.length;
  }
}
