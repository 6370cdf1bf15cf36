// The user's rules, validated and compiled: an ordered list, first match wins. A rule names who
// (client glob), where (connector glob), what (tool glob, on the upstream's own tool name) and,
// optionally, which arguments — `conditions` that must all hold, and `unless` conditions that exempt
// a call when they all hold — so "deny filesystem write_file unless $.path starts with ~/projects/"
// is one rule. Validation names the rule and the field; evaluation is rule-evaluation.ts.
//
// Rules see arguments chosen by an AI client, so every test is bounded: globs match in O(n·m) without
// backtracking (glob-matcher.ts), regexes run on a linear-time engine (linear-regex.ts), and paths are
// normalised before a prefix test (file-paths.ts), so `~/projects/../.ssh` does not pass as inside
// ~/projects/.
import path from 'node:path';
import { z } from 'zod';
import { expandHome, looksLikeWindowsPath, normalisePath, type PathStyle } from './file-paths.js';
import { GlobMatcher } from './glob-matcher.js';
import { parseJsonPath, type PathSegment } from './json-path.js';
import { compileLinearRegex, RegexSyntaxError, type LinearRegex } from './linear-regex.js';

const MAX_RULES = 500;
const MAX_CONDITIONS = 16;
const MAX_GLOB_LENGTH = 200;
const MAX_JSON_PATH_LENGTH = 256;

/** What a matching rule does to a call: let it through, ask the user first, or refuse it. */
export type RuleEffect = 'allow' | 'ask' | 'deny';

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

/** One argument condition, ready to test: its path parsed, its value expanded, its regex compiled. */
export interface CompiledCondition {
  source: RuleCondition;
  path: PathSegment[];
  /** The rule's value with ~ expanded (and normalised, when it is a path). */
  value: string | number | boolean;
  pathLike: boolean;
  regex?: LinearRegex;
}

/** A validated rule ready to evaluate: globs, paths and regexes compiled once, when rules are saved. */
export interface CompiledRule {
  rule: Rule;
  home: string;
  pathStyle: PathStyle;
  client?: GlobMatcher;
  connector?: GlobMatcher;
  tool?: GlobMatcher;
  conditions: CompiledCondition[];
  unless: CompiledCondition[];
}

/** Where `~` points and how paths compare, fixed when the rules are compiled. */
export interface RuleOptions {
  /** The user's home directory, for `~` in prefix and equals values. */
  home: string;
  /** How paths are compared; by default Windows-style when `home` looks like a Windows path. */
  pathStyle?: PathStyle;
  /** The places of rules whose id Gatehouse made up: their problems name them by place, not that id. */
  madeUpIds?: ReadonlySet<number>;
}

/** The compiled rules, or every problem found, each naming the rule and the field. */
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
    const name = options.madeUpIds?.has(index) ? `rule #${index + 1}` : ruleLabel(raw, index);
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

/**
 * The rules with an id made up for each that has none, from what it does ("deny-files-write_file",
 * then "-2", "-3" while taken), so a rule written without one can still be named, edited and moved.
 * Anything that is not a rule object is left for validation to name.
 */
export function withRuleIds(input: readonly unknown[]): { rules: unknown[]; madeUp: Set<number> } {
  const madeUp = new Set<number>();
  const taken = new Set(
    input.flatMap((raw) => {
      const id = isRecord(raw) ? raw.id : undefined;
      return typeof id === 'string' ? [id] : [];
    }),
  );
  const rules = input.map((raw, index) => {
    if (!isRecord(raw) || raw.id !== undefined) return raw;
    const words = [raw.effect, raw.connector, raw.tool]
      .map((part) => (typeof part === 'string' ? part.replace(/[^A-Za-z0-9_-]+/g, '') : ''))
      .filter(Boolean);
    const base =
      words
        .join('-')
        .replace(/^[-_]+/, '')
        .slice(0, 58) || 'rule';
    let id = base;
    for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
    taken.add(id);
    madeUp.add(index);
    return { id, ...raw };
  });
  return { rules, madeUp };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
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

function compileCondition(source: RuleCondition, home: string, style: PathStyle): CompiledCondition {
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
