// Rule regexes on RE2JS: same answers as JavaScript's RegExp (u flag) on the syntax rules accept —
// also where RE2's own dialect differs (`\s`, `.`, `[]`, `[^]`) — clear refusals for what they do not,
// and no catastrophic backtracking.
import { describe, expect, it } from 'vitest';
import { compileLinearRegex } from '../../../main/core/policy/linear-regex.js';

/** The longest pattern a rule may use (linear-regex.ts), as the refusal states it. */
const MAX_PATTERN_LENGTH = 256;

const agreeing: Array<[pattern: string, subjects: string[]]> = [
  ['abc', ['abc', 'xabcx', 'ab', '']],
  ['^abc$', ['abc', 'abcd', 'xabc']],
  ['^/home/[^/]+/projects/', ['/home/me/projects/x', '/home/me/other/x', '/home//projects/']],
  ['\\.(ts|js)$', ['a.ts', 'a.js', 'a.tsx', 'a_ts']],
  ['a|b|c', ['x', 'b', '']],
  ['colou?r', ['color', 'colour', 'colouur']],
  ['^a{2,3}$', ['a', 'aa', 'aaa', 'aaaa']],
  ['^a{2}$', ['aa', 'aaa']],
  ['^a{2,}$', ['a', 'aa', 'aaaaaa']],
  ['^(?:ab)+$', ['ab', 'abab', 'aba', '']],
  ['^(?<word>\\w+)-\\d+$', ['abc-12', 'abc-', '-12']],
  ['\\bcat\\b', ['cat', 'a cat here', 'concat', 'cats']],
  ['\\Bcat', ['concat', 'cat']],
  ['^\\s*$', ['', '   ', '\t\n', ' a ']],
  ['^\\S+$', ['abc', 'a b']],
  ['^\\D\\W$', ['a!', '1!', 'a1']],
  ['^[a-c\\d_-]+$', ['ab-1_', 'abz']],
  ['^[^a-c]+$', ['xyz', 'xaz']],
  ['^.$', ['a', '\n', '😀', 'ab']],
  ['^\\u{1F600}$', ['😀', 'a']],
  ['^\\uD83D\\uDE00$', ['😀']],
  ['^\\x41\\u0042\\cJ$', ['AB\n', 'AB']],
  ['^[\\b]$', ['\b', 'b']],
  ['^\\$\\^\\.\\*\\+\\?\\(\\)\\[\\]\\{\\}\\|\\/$', ['$^.*+?()[]{}|/']],
  ['(a*)*b', ['aaab', 'aaaa']],
  ['(|a)+$', ['', 'aaa']],
  ['^(a|ab)(c|bcd)(d*)$', ['abcd', 'abcdd', 'acd']],
  ['rm -rf', ['sudo rm -rf /', 'rm -r']],
  ['a??b+?c*?', ['bc', 'ab']],
];

describe('compileLinearRegex', () => {
  it.each(agreeing)('agrees with RegExp on %s', (pattern, subjects) => {
    const mine = compileLinearRegex(pattern);
    const native = new RegExp(pattern, 'u');
    for (const subject of subjects)
      expect([subject, mine.test(subject)]).toEqual([subject, native.test(subject)]);
  });

  it('agrees with RegExp on random patterns and subjects', () => {
    // mulberry32: a seeded generator whose sequence does not fall into a short cycle.
    let seed = 42;
    const random = (n: number): number => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) % n;
    };
    const leaves = [
      'a',
      'b',
      '.',
      '[ab]',
      '[^a]',
      '\\w',
      '\\s',
      '\\S',
      '[\\sa]',
      '[^\\S]',
      '[\\S]',
      '[]',
      '[^]',
      '\\d',
      '\\W',
      'a|b',
    ];
    const atom = (depth: number): string => {
      const choice = random(depth > 2 ? leaves.length : leaves.length + 3);
      if (choice < leaves.length) return leaves[choice] === 'a|b' ? '(?:a|b)' : leaves[choice]!;
      if (choice === leaves.length) return `(?:${pattern(depth + 1)})`;
      if (choice === leaves.length + 1) return `(${pattern(depth + 1)}|${pattern(depth + 1)})`;
      return '\\b';
    };
    const quantifier = (): string => ['', '', '*', '+', '?', '{1,2}', '{0,1}?'][random(7)]!;
    const pattern = (depth: number): string => {
      let out = '';
      for (let i = 0, n = 1 + random(3); i < n; i++) {
        const a = atom(depth);
        out += a === '\\b' ? a : a + quantifier();
      }
      return out;
    };
    for (let round = 0; round < 1_500; round++) {
      const anchors = random(4);
      const source = `${anchors & 1 ? '^' : ''}${pattern(0)}${anchors & 2 ? '$' : ''}`;
      const mine = compileLinearRegex(source);
      const native = new RegExp(source, 'u');
      for (let s = 0; s < 8; s++) {
        const alphabet = ['a', 'b', ' ', 'c', '1', '\n', '\r', '\u00a0', '\u2028', '\v', '😀'];
        const subject = Array.from({ length: random(8) }, () => alphabet[random(alphabet.length)]).join('');
        expect([source, subject, mine.test(subject)]).toEqual([source, subject, native.test(subject)]);
      }
    }
  });

  const refused: Array<[pattern: string, message: string]> = [
    ['(a)\\1', 'backreferences are not supported in rule patterns at position 4'],
    ['(?<n>a)\\k<n>', 'backreferences are not supported in rule patterns at position 8'],
    ['a(?=b)', 'lookahead and lookbehind are not supported in rule patterns at position 3'],
    ['(?<!a)b', 'lookahead and lookbehind are not supported in rule patterns at position 2'],
    ['\\p{L}', 'Unicode property escapes are not supported in rule patterns at position 1'],
    ['a{2000}', 'a {} quantifier may count to 1000 at most at position 2'],
    ['(a{1000}){1000}', 'the pattern is too complex (it expands to too many states; use smaller {} counts)'],
    ['x'.repeat(MAX_PATTERN_LENGTH + 1), `the pattern is longer than ${MAX_PATTERN_LENGTH} characters`],
  ];
  it.each(refused)('refuses %s', (pattern, message) => {
    expect(() => compileLinearRegex(pattern)).toThrow(message);
  });

  it('refuses what RegExp refuses, with its reason', () => {
    expect(() => compileLinearRegex('(')).toThrow('/(/u: Unterminated group');
    expect(() => compileLinearRegex('a{')).toThrow(/Incomplete quantifier|Lone quantifier/);
    expect(() => compileLinearRegex('[z-a]')).toThrow('Range out of order in character class');
    expect(() => compileLinearRegex('\\q')).toThrow('Invalid escape');
  });

  const bombs = ['(a+)+$', '(a|aa)+$', '(a*)*b', '(.*a){12}', '^(\\w+\\s?)*$', '(x+x+)+y', '(a|a?)+$'];
  it.each(bombs)('runs the regex bomb %s in linear time', (pattern) => {
    const regex = compileLinearRegex(pattern);
    const subject = `${'a'.repeat(16_384)}!`;
    const started = performance.now();
    regex.test(subject);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
