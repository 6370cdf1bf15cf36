// The shape rules' triggers as one regex the engine searches fast: their alternatives grouped by the
// character each starts with (`_(?:…|…)|-(?:…|…)|J…`), so at a place in the text it tries one test
// per first character, not one per alternative, and matches exactly what the plain alternation does.

/** The triggers as one global regex, and which rule each of its groups stands for. */
export interface TriggerRegex {
  regex: RegExp;
  /** Group number → the index of the rule whose alternative matched (the group is defined, empty). */
  ruleOf: number[];
}

/** Characters with a meaning in a regex outside a class: a first character must be escaped or plain. */
const SPECIAL = new Set([...'()[]{}|?*+.^$\\']);
const QUANTIFIERS = new Set([...'?*+{']);

/** The top-level alternatives of a regex source (split at each `|` outside groups and classes). */
function alternatives(source: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let inClass = false;
  let from = 0;
  for (let i = 0; i < source.length; i++) {
    const char = source[i];
    if (char === '\\') i++;
    else if (inClass) inClass = char !== ']';
    else if (char === '[') inClass = true;
    else if (char === '(') depth++;
    else if (char === ')') depth--;
    else if (char === '|' && depth === 0) {
      out.push(source.slice(from, i));
      from = i + 1;
    }
  }
  out.push(source.slice(from));
  return out;
}

/**
 * An alternative's first characters and the rest: a plain character, an escaped one (`\.`), or a class
 * of letters and digits (`[Kk]`), not quantified. Anything else is refused: the grouping would not be
 * exact.
 */
function firstOf(alternative: string, trigger: string): { chars: string[]; rest: string } {
  let chars: string[];
  let length: number;
  const head = alternative[0] ?? '';
  if (head === '\\' && /^\\[^A-Za-z0-9]/.test(alternative)) [chars, length] = [[alternative[1]!], 2];
  else if (head === '[') {
    const end = alternative.indexOf(']');
    const members = alternative.slice(1, end);
    if (!/^[A-Za-z0-9]+$/.test(members))
      throw new Error(`a trigger starts with a class not of letters: ${trigger}`);
    [chars, length] = [[...members], end + 1];
  } else if (head !== '' && !SPECIAL.has(head)) [chars, length] = [[head], 1];
  else throw new Error(`a trigger's alternative must start with a character: ${trigger}`);
  const rest = alternative.slice(length);
  if (QUANTIFIERS.has(rest[0] ?? ''))
    throw new Error(`a trigger's first character is quantified: ${trigger}`);
  return { chars, rest };
}

/**
 * The triggers (regex sources without capturing groups, case-sensitive), in the rules' order, as one
 * regex. At any place, the alternatives that can match there all start with its character and keep
 * their order, so the first to match (and so the rule, and the match's length) is the plain
 * alternation's.
 */
export function triggerRegex(triggers: string[]): TriggerRegex {
  const byFirst = new Map<string, Array<{ rest: string; rule: number }>>();
  triggers.forEach((trigger, rule) => {
    for (const alternative of alternatives(trigger)) {
      const { chars, rest } = firstOf(alternative, trigger);
      for (const char of chars) {
        const list = byFirst.get(char) ?? [];
        list.push({ rest, rule });
        byFirst.set(char, list);
      }
    }
  });
  const ruleOf: number[] = [0];
  const groups = [...byFirst].map(([char, list]) => {
    const rests = list.map(({ rest, rule }) => {
      ruleOf.push(rule);
      return `${rest}()`;
    });
    return `${SPECIAL.has(char) ? '\\' : ''}${char}(?:${rests.join('|')})`;
  });
  const regex = new RegExp(groups.join('|'), 'g');
  // Only the marks number groups: a trigger with a capturing group of its own would shift them.
  if (new RegExp(`${regex.source}|`).exec('')!.length !== ruleOf.length)
    throw new Error('a trigger has a capturing group');
  return { regex, ruleOf };
}
