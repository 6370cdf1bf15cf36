// Rule evaluation: the first rule whose client, connector and tool globs match and whose argument
// conditions hold decides a call (first match wins), with the reason as a sentence for the activity
// log. A regex subject longer than MAX_REGEX_SUBJECT is not tested at all but counted the strict way
// (see `strictOutcome`), so a huge argument can neither stall the gateway nor slip past a deny rule.
import { normaliseArgumentPath, samePath, type PathStyle } from './file-paths.js';
import { valueAt } from './json-path.js';
import type { CompiledCondition, CompiledRule, RuleEffect } from './rules.js';

/** Longest argument value a regex condition tests (in UTF-16 units); longer values count strictly. */
const MAX_REGEX_SUBJECT = 16_384;

/** A tool call as rules see it: who calls, which connector and tool, with what arguments. */
export interface RuleSubject {
  client: { id: string; name: string };
  connector: string;
  /** The upstream's own tool name. */
  tool: string;
  arguments: unknown;
}

/** The rule that decided a call: its effect, its id, and why, as a clause and as a sentence. */
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
  style: PathStyle,
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

function startsWith(found: string, cond: CompiledCondition, home: string, style: PathStyle): boolean {
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
