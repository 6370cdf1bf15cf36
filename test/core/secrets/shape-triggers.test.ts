// The shape rules' triggers grouped by first character: the grouped regex matches where, as long, and
// for the same rule as the plain alternation of the triggers, and a trigger it could not group exactly
// is refused when the rules are built.
import { describe, expect, it } from 'vitest';
import { triggerRegex } from '../../../main/core/secrets/shape-triggers.js';

/** Triggers shaped like the rules' own: a literal, a lookbehind from the anchor, classes, an escape. */
const TRIGGERS = [
  '-----BEGIN [A-Z ]{0,10}KEY-----',
  'KIA(?<=AKIA)[A-Z0-9]{4}|SIA(?<=ASIA)[A-Z0-9]{4}',
  '[Kk]ey(?<=[Ss]ecret_?[Kk]ey)|Y(?<=_KEY)',
  '_(?<=gh[pousr]_)[A-Za-z0-9]{4}|_pat_(?<=github_pat_)',
  '-(?<=xo[ab]-)[0-9a-z-]{3}|-[0-9]-(?<=xapp-[0-9]-)',
  '\\.slack\\.com/(?<=hooks\\.slack\\.com/)',
  '-(?<=sk-)[A-Za-z0-9_-]{4}',
  'J(?<=eyJ)[A-Za-z0-9_-]{2,}\\.[A-Za-z0-9_-]*',
];

/** Every match of `regex` from each place in `text` found its way: (index, length, rule). */
function matches(text: string, regex: RegExp, ruleOf: (match: RegExpExecArray) => number): string[] {
  const out: string[] = [];
  regex.lastIndex = 0;
  for (let match = regex.exec(text); match; match = regex.exec(text)) {
    out.push(`${match.index}+${match[0].length}:${ruleOf(match)}`);
    regex.lastIndex = match.index + 1;
  }
  return out;
}

describe('shape triggers', () => {
  it('match where, as long and for the rule the plain alternation does', () => {
    const plain = new RegExp(TRIGGERS.map((trigger) => `(${trigger})`).join('|'), 'g');
    const { regex, ruleOf } = triggerRegex(TRIGGERS);
    const pieces = [
      'AKIA',
      'ASIA',
      'ABCD',
      'secret_key',
      'SecretKey',
      'AWS_KEY',
      'ghp_',
      'github_pat_',
      'xoa-',
      'xapp-1-',
      'hooks.slack.com/',
      'sk-',
      'eyJ',
      'ab.',
      '-----BEGIN A KEY-----',
      '_',
      '-',
      'x',
      '9',
      ' ',
    ];
    let seed = 7;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    let found = 0;
    for (let round = 0; round < 2_000; round++) {
      let text = '';
      while (text.length < 80) text += pieces[Math.floor(random() * pieces.length)];
      const expected = matches(text, plain, (match) =>
        match.slice(1).findIndex((group) => group !== undefined),
      );
      const grouped = matches(
        text,
        regex,
        (match) => ruleOf[match.findIndex((group, i) => i > 0 && group !== undefined)]!,
      );
      expect(grouped).toEqual(expected);
      found += expected.length;
    }
    expect(found).toBeGreaterThan(2_000);
  });

  it('refuses a trigger it could not group exactly', () => {
    expect(() => triggerRegex(['(?<=b)a'])).toThrow(
      "a trigger's alternative must start with a character: (?<=b)a",
    );
    expect(() => triggerRegex(['a+b'])).toThrow("a trigger's first character is quantified: a+b");
    expect(() => triggerRegex(['[a-z]b'])).toThrow('a trigger starts with a class not of letters: [a-z]b');
    expect(() => triggerRegex(['a(b)'])).toThrow('a trigger has a capturing group');
  });
});
