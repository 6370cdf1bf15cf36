// Secret material known by its shape, found in text: private keys (PEM, OpenSSH, PuTTY, bare DER),
// cloud credentials (an AWS access key with its secret, a Google service-account key, Azure keys),
// tokens of well-known shapes (GitHub, GitLab, Slack, Stripe, npm, OpenAI, Anthropic, Hugging Face,
// signed JWTs) and `.env` or credentials-file dumps — and, in the same list, the looser shapes only the
// audit's redaction hides (a lone AWS key id, Bearer credentials, passwords in URLs and in text).
//
// One pass: every rule names a trigger, all triggers are one regex, and a rule looks closer only where
// its trigger matched (a sticky match from there), so text with none of them costs one scan. A trigger
// starts at the rarest character of its shape (the `_` of `ghp_`, the `J` of `eyJ`) and looks behind
// for the rest, so the scan stops at few places in prose and code. Strings joined with "\0" are
// scanned as one text: no rule matches across a "\0".
//
// The shapes are in families: keys (key-shapes.ts), tokens and the looser shapes (token-shapes.ts),
// and dumps (dump-shapes.ts), each made of shape-basics.ts; here, the pass that reads them all.
import { dumpLine, type DumpLine, dumpSpans } from './dump-shapes.js';
import { KEY_RULES } from './key-shapes.js';
import { triggerRegex } from './shape-triggers.js';
import { matchAt, type SecretSpan, type ShapeRule } from './shape-basics.js';
import { looser, TOKEN_RULES } from './token-shapes.js';

export { isSecretSetting } from './dump-shapes.js';
export { looksLikeExample, type SecretSpan } from './shape-basics.js';

// ---- The pass ------------------------------------------------------------------------------------

/** The rules that find what a call is held for (and masked in results). */
const HOLDING_RULES: ShapeRule[] = [...KEY_RULES, ...TOKEN_RULES];

/** Rules read in one pass: their triggers as one regex, and each alone. */
interface Pass {
  rules: ShapeRule[];
  triggers: RegExp;
  /** Group number of `triggers` → the index of the rule it stands for. */
  ruleOf: number[];
  /** Each rule's trigger, sticky: tried at a position where an earlier rule's trigger matched but it found nothing. */
  each: RegExp[];
}

/**
 * A pass over `rules`. Case-sensitive triggers are grouped by their first character (shape-triggers.ts:
 * a text of base64 or JSON is read about a fifth faster, and matched exactly alike); triggers read in
 * any case are joined as they are, each in a group of its own.
 */
function passOf(rules: ShapeRule[], flags = ''): Pass {
  // Named groups (a redaction-only rule's value) do not number the rules: only the rules' groups do.
  const sources = rules.map((rule) => rule.trigger.replace(/\(\?<[a-z]+>/g, '(?:'));
  const each = sources.map((source) => new RegExp(source, `y${flags}`));
  if (flags === '') return { rules, each, ...grouped(sources) };
  return {
    rules,
    triggers: new RegExp(sources.map((source) => `(${source})`).join('|'), `g${flags}`),
    ruleOf: [0, ...rules.keys()],
    each,
  };
}

function grouped(sources: string[]): { triggers: RegExp; ruleOf: number[] } {
  const { regex, ruleOf } = triggerRegex(sources);
  return { triggers: regex, ruleOf };
}

const HOLDING = passOf(HOLDING_RULES);
/** The looser shapes, in any case, as the audit's redaction always read them. */
const LOOSER = passOf(looser, 'i');

function readPass(text: string, pass: Pass, found: SecretSpan[]): void {
  const { rules, triggers, ruleOf, each } = pass;
  triggers.lastIndex = 0;
  for (let match = triggers.exec(text); match; match = triggers.exec(text)) {
    const at = match.index;
    let group = 1;
    while (match[group] === undefined) group++;
    const rule = ruleOf[group]!;
    let end = rules[rule]!.confirm(text, at, at + match[0].length, found);
    // Nothing there for that rule: a later rule whose trigger also matches here may find something.
    for (let next = rule + 1; end === undefined && next < rules.length; next++) {
      const trigger = matchAt(each[next]!, text, at);
      if (trigger) end = rules[next]!.confirm(text, at, at + trigger[0].length, found);
    }
    // A confirmed shape is not read again for others (a hostile run of them stays linear).
    if (end !== undefined && end > triggers.lastIndex) triggers.lastIndex = end;
  }
}

/**
 * A line that starts like an assignment — after a line break, a "\0" (another string's start) or a line
 * break escaped in JSON text — where a dump's line is tried. A pass of its own: alone, the regex engine
 * finds line breaks far faster than as one more alternative. (JSON without line breaks is read as the
 * object it is: secret-scan.ts.)
 */
const LINE_STARTS =
  /(?:[\n\r\0]|\\[nr])[ \t]*(?:export[ \t]+)?\\?["']?[A-Za-z_][A-Za-z0-9_.-]{0,63}\\?["']?[ \t]*[=:]/g;

/**
 * Whether a string in `text` may have two lines: a dump is two lines of one string, and without a line
 * break or a backslash (of "\\n") each string is one line, however many "\0" join them. Found by
 * `indexOf`, which skips text far faster than the regex engine: compact JSON and many short strings
 * joined are not read by LINE_STARTS at all.
 */
function mayHaveLines(text: string): boolean {
  return text.includes('\n') || text.includes('\\') || text.includes('\r');
}

/**
 * The secret shapes in `text` (see SecretSpan), in the order each rule found them: spans of different
 * rules may overlap. `scope` "holding": only what a call is held for (a tool call's arguments and
 * results are read so); "all": the looser shapes as well, for the audit's redaction. A text of
 * several strings joined with "\0" is read as those strings.
 */
export function findSecretShapes(text: string, scope: 'holding' | 'all' = 'holding'): SecretSpan[] {
  const found: SecretSpan[] = [];
  readPass(text, HOLDING, found);
  if (scope === 'all') readPass(text, LOOSER, found);
  if (!mayHaveLines(text)) return found;
  const lines: DumpLine[] = [];
  dumpLine(text, 0, lines);
  LINE_STARTS.lastIndex = 0;
  for (let match = LINE_STARTS.exec(text); match; match = LINE_STARTS.exec(text)) {
    // After a line break, or after the two characters of one escaped in JSON text ("\\n").
    dumpLine(text, match.index + (text.charCodeAt(match.index) === 92 ? 2 : 1), lines);
  }
  if (lines.length >= 2) dumpSpans(text, lines, found);
  return found;
}
