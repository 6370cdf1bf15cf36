// The rules engine: validation names the rule and the field; first match wins; conditions and
// `unless` on argument paths; ~ and .. in paths; globs and regexes that hostile input cannot stall.
import { describe, expect, it } from 'vitest';
import { GlobMatcher } from '../../../main/core/policy/glob-matcher.js';
import { parseJsonPath } from '../../../main/core/policy/json-path.js';
import {
  evaluateRules,
  evaluateRulesForListing,
  MAX_REGEX_SUBJECT,
  type RuleSubject,
} from '../../../main/core/policy/rule-evaluation.js';
import { parseRules, type CompiledRule } from '../../../main/core/policy/rules.js';

const home = '/home/me';

function compile(rules: unknown[], options = { home }): CompiledRule[] {
  const result = parseRules(rules, options);
  if (!result.ok) throw new Error(result.errors.join('\n'));
  return result.rules;
}

function call(tool: string, args: unknown, extra: Partial<RuleSubject> = {}): RuleSubject {
  return {
    client: { id: 'client-1', name: 'Claude Code' },
    connector: 'filesystem',
    tool,
    arguments: args,
    ...extra,
  };
}

describe('parseRules', () => {
  const invalid: Array<[name: string, input: unknown, errors: string[]]> = [
    ['not a list', { id: 'x' }, ['rules must be a list']],
    ['missing id', [{ effect: 'deny' }], ['rule #1: id: id must be a string']],
    [
      'bad id',
      [{ id: 'no spaces', effect: 'deny' }],
      ['rule "no spaces": id: id must be 1–64 letters, digits, _, . or -, starting with a letter or digit'],
    ],
    [
      'unknown effect',
      [{ id: 'r', effect: 'block' }],
      ['rule "r": effect: effect must be allow, ask or deny'],
    ],
    [
      'bracket glob',
      [{ id: 'r', effect: 'deny', tool: 'write_[a-z]' }],
      ['rule "r": tool: globs support only * and ? as wildcards; [ ] { } and \\ are not allowed'],
    ],
    [
      'empty glob',
      [{ id: 'r', effect: 'deny', connector: '' }],
      ['rule "r": connector: must not be empty (leave it out to match everything)'],
    ],
    [
      'unknown op',
      [{ id: 'r', effect: 'deny', conditions: [{ path: '$.path', op: 'contains', value: 'x' }] }],
      ['rule "r": conditions[0].op: op must be one of equals, prefix, not-prefix, regex'],
    ],
    [
      'bad JSON path',
      [{ id: 'r', effect: 'deny', conditions: [{ path: 'path', op: 'equals', value: 'x' }] }],
      [
        'rule "r": conditions[0].path: path "path" must start with $; use a JSON path like $.path, $.options.mode or $.items[0].name',
      ],
    ],
    [
      'unfinished JSON path',
      [{ id: 'r', effect: 'deny', unless: [{ path: '$.items[', op: 'equals', value: 'x' }] }],
      [
        'rule "r": unless[0].path: path "$.items[" is not valid at character 8; use a JSON path like $.path, $.options.mode or $.items[0].name',
      ],
    ],
    [
      'invalid regex',
      [{ id: 'r', effect: 'deny', conditions: [{ path: '$.q', op: 'regex', value: '(' }] }],
      ['rule "r": conditions[0].value: invalid regex: /(/u: Unterminated group'],
    ],
    [
      'regex with backreference',
      [{ id: 'r', effect: 'deny', conditions: [{ path: '$.q', op: 'regex', value: '(a)\\1' }] }],
      [
        'rule "r": conditions[0].value: invalid regex: backreferences are not supported in rule patterns at position 4',
      ],
    ],
    [
      'prefix with a number',
      [{ id: 'r', effect: 'deny', conditions: [{ path: '$.q', op: 'prefix', value: 1 }] }],
      ['rule "r": conditions[0].value: value must be a string for op prefix'],
    ],
    [
      'object value',
      [{ id: 'r', effect: 'deny', conditions: [{ path: '$.q', op: 'equals', value: { a: 1 } }] }],
      ['rule "r": conditions[0].value: value must be a string, number or boolean'],
    ],
    ['unknown field', [{ id: 'r', effect: 'deny', tools: 'x' }], ['rule "r": unknown field "tools"']],
    [
      'empty unless',
      [{ id: 'r', effect: 'deny', unless: [] }],
      ['rule "r": unless: unless needs at least one condition (or leave it out)'],
    ],
    [
      'duplicate id',
      [
        { id: 'r', effect: 'deny' },
        { id: 'r', effect: 'allow' },
      ],
      ['rule "r": id: another rule already has this id'],
    ],
    [
      'several problems, all reported',
      [
        { id: 'a', effect: 'deny', tool: 'x{y}' },
        { id: 'b', effect: 'nope' },
      ],
      [
        'rule "a": tool: globs support only * and ? as wildcards; [ ] { } and \\ are not allowed',
        'rule "b": effect: effect must be allow, ask or deny',
      ],
    ],
  ];
  it.each(invalid)('rejects %s', (_name, input, errors) => {
    expect(parseRules(input, { home })).toEqual({ ok: false, errors });
  });

  it('needs an absolute home directory', () => {
    expect(() => parseRules([], { home: '' })).toThrow('parseRules: home must be an absolute path, not ""');
    expect(() => parseRules([], { home: 'me' })).toThrow(
      'parseRules: home must be an absolute path, not "me"',
    );
  });

  it('accepts a rule with every field', () => {
    const result = parseRules(
      [
        {
          id: 'fs-sandbox',
          effect: 'deny',
          client: 'Claude*',
          connector: 'filesystem',
          tool: 'write_*',
          conditions: [{ path: '$.options.mode', op: 'equals', value: 'overwrite' }],
          unless: [{ path: '$.path', op: 'prefix', value: '~/projects/' }],
          description: 'writes stay inside ~/projects',
        },
      ],
      { home },
    );
    expect(result.ok).toBe(true);
  });
});

describe('evaluateRules', () => {
  const sandbox = compile([
    {
      id: 'fs-sandbox',
      effect: 'deny',
      connector: 'filesystem',
      tool: 'write_file',
      unless: [{ path: '$.path', op: 'prefix', value: '~/projects/' }],
    },
  ]);
  const outside = '$.path does not start with "/home/me/projects/"';
  const sandboxCases: Array<[args: unknown, because: string | undefined]> = [
    [{ path: '/home/me/projects/app/a.ts' }, undefined],
    [{ path: '~/projects/app/a.ts' }, undefined],
    [{ path: '/home/me/projects' }, undefined],
    [{ path: '/home/me/projects/./x/../y' }, undefined],
    [{ path: '/home/me/.ssh/authorized_keys' }, outside],
    [{ path: '~/projects/../.ssh/authorized_keys' }, outside],
    [{ path: '/home/me/projects/../../../etc/passwd' }, outside],
    [{ path: '/home/me/projects-evil/x' }, outside],
    [{ path: 'projects/relative.txt' }, outside],
    [{ path: 42 }, outside],
    [{}, outside],
    [null, outside],
    ['not an object', outside],
  ];
  it.each(sandboxCases)('deny write_file unless under ~/projects/: %j', (args, because) => {
    const match = evaluateRules(sandbox, call('write_file', args));
    if (because === undefined) {
      expect(match).toBeUndefined();
    } else {
      expect(match).toEqual({
        effect: 'deny',
        ruleId: 'fs-sandbox',
        because,
        explanation: `Rule fs-sandbox denies write_file on filesystem because ${because}.`,
      });
    }
  });

  it('leaves other tools and connectors alone', () => {
    expect(evaluateRules(sandbox, call('read_file', { path: '/etc/passwd' }))).toBeUndefined();
    expect(
      evaluateRules(sandbox, call('write_file', { path: '/etc/x' }, { connector: 'github' })),
    ).toBeUndefined();
  });

  it('takes the first rule that matches', () => {
    const rules = compile([
      {
        id: 'allow-tmp',
        effect: 'allow',
        tool: 'write_*',
        conditions: [{ path: '$.path', op: 'prefix', value: '/tmp/' }],
      },
      { id: 'ask-writes', effect: 'ask', tool: 'write_*', description: 'writes need a look' },
      { id: 'deny-all', effect: 'deny' },
    ]);
    expect(evaluateRules(rules, call('write_file', { path: '/tmp/x' }))).toMatchObject({
      effect: 'allow',
      ruleId: 'allow-tmp',
      explanation: 'Rule allow-tmp allows write_file on filesystem because $.path starts with "/tmp/".',
    });
    expect(evaluateRules(rules, call('write_file', { path: '/var/x' }))).toEqual({
      effect: 'ask',
      ruleId: 'ask-writes',
      description: 'writes need a look',
      explanation: 'Rule ask-writes asks before write_file on filesystem.',
    });
    expect(evaluateRules(rules, call('read_file', {}))?.ruleId).toBe('deny-all');
  });

  it('matches the client glob on id or name, ignoring case', () => {
    const rules = compile([{ id: 'r', effect: 'deny', client: 'claude *' }]);
    expect(evaluateRules(rules, call('t', {}))?.ruleId).toBe('r');
    const byId = compile([{ id: 'r', effect: 'deny', client: 'client-?' }]);
    expect(evaluateRules(byId, call('t', {}))?.ruleId).toBe('r');
    expect(
      evaluateRules(byId, call('t', {}, { client: { id: 'client-12', name: 'Cursor' } })),
    ).toBeUndefined();
  });

  it('matches connector and tool globs exactly and case-sensitively', () => {
    const rules = compile([{ id: 'r', effect: 'deny', connector: 'git*', tool: 'create_?ssue' }]);
    expect(evaluateRules(rules, call('create_issue', {}, { connector: 'github' }))?.ruleId).toBe('r');
    expect(evaluateRules(rules, call('Create_issue', {}, { connector: 'github' }))).toBeUndefined();
    expect(evaluateRules(rules, call('create_issue_comment', {}, { connector: 'github' }))).toBeUndefined();
    expect(evaluateRules(rules, call('create_issue', {}, { connector: 'gitlab2' }))?.ruleId).toBe('r');
    expect(evaluateRules(rules, call('create_issue', {}, { connector: 'my-github' }))).toBeUndefined();
  });

  const conditionCases: Array<[condition: object, args: unknown, holds: boolean]> = [
    [{ path: '$.options.mode', op: 'equals', value: 'overwrite' }, { options: { mode: 'overwrite' } }, true],
    [{ path: '$.options.mode', op: 'equals', value: 'overwrite' }, { options: { mode: 'append' } }, false],
    [{ path: '$.options.mode', op: 'equals', value: 'overwrite' }, { options: 'overwrite' }, false],
    [{ path: '$.count', op: 'equals', value: 3 }, { count: 3 }, true],
    [{ path: '$.count', op: 'equals', value: 3 }, { count: '3' }, false],
    [{ path: '$.force', op: 'equals', value: true }, { force: true }, true],
    [{ path: '$.force', op: 'equals', value: true }, { force: 'true' }, false],
    [{ path: '$.items[1].name', op: 'equals', value: 'b' }, { items: [{ name: 'a' }, { name: 'b' }] }, true],
    [{ path: '$.items[2].name', op: 'equals', value: 'b' }, { items: [{ name: 'a' }, { name: 'b' }] }, false],
    [{ path: '$.items[0]', op: 'equals', value: 'a' }, { items: { 0: 'a' } }, false],
    [{ path: '$["odd key"].x', op: 'equals', value: 1 }, { 'odd key': { x: 1 } }, true],
    [{ path: "$['it\\'s']", op: 'equals', value: 1 }, { "it's": 1 }, true],
    [{ path: '$.constructor', op: 'regex', value: 'Object' }, {}, false],
    [{ path: '$.__proto__', op: 'equals', value: 'x' }, JSON.parse('{"__proto__": "x"}'), true],
    [{ path: '$.toString', op: 'not-prefix', value: 'f' }, {}, true],
    [{ path: '$.url', op: 'prefix', value: 'https://' }, { url: 'https://example.com' }, true],
    [{ path: '$.url', op: 'prefix', value: 'https://' }, { url: 'http://example.com' }, false],
    [{ path: '$.url', op: 'not-prefix', value: 'https://' }, { url: 'http://example.com' }, true],
    [{ path: '$.path', op: 'equals', value: '~/notes.md' }, { path: '/home/me/notes.md' }, true],
    [{ path: '$.path', op: 'equals', value: '~/notes.md' }, { path: '/home/me/x/../notes.md' }, true],
    [{ path: '$.cmd', op: 'regex', value: '\\brm\\s+-rf\\b' }, { cmd: 'sudo rm  -rf /' }, true],
    [{ path: '$.cmd', op: 'regex', value: '\\brm\\s+-rf\\b' }, { cmd: 'echo firm -rfx' }, false],
    [{ path: '$.n', op: 'regex', value: '^\\d{3}$' }, { n: 123 }, true],
    [{ path: '$.missing', op: 'regex', value: '.*' }, {}, false],
  ];
  it.each(conditionCases)('condition %j on %j holds: %s', (condition, args, holds) => {
    const rules = compile([{ id: 'r', effect: 'deny', conditions: [condition] }]);
    expect(evaluateRules(rules, call('t', args)) !== undefined).toBe(holds);
  });

  it('needs every condition, and exempts only when every unless condition holds', () => {
    const rules = compile([
      {
        id: 'r',
        effect: 'ask',
        conditions: [
          { path: '$.a', op: 'equals', value: 1 },
          { path: '$.b', op: 'equals', value: 2 },
        ],
        unless: [
          { path: '$.c', op: 'equals', value: 3 },
          { path: '$.d', op: 'prefix', value: 'ok' },
        ],
      },
    ]);
    expect(evaluateRules(rules, call('t', { a: 1 }))).toBeUndefined();
    expect(evaluateRules(rules, call('t', { a: 1, b: 2, c: 3, d: 'okay' }))).toBeUndefined();
    expect(evaluateRules(rules, call('t', { a: 1, b: 2, c: 3, d: 'no' }))?.because).toBe(
      '$.a is 1 and $.b is 2 and $.d does not start with "ok"',
    );
    expect(evaluateRules(rules, call('t', { a: 1, b: 2 }))?.because).toBe(
      '$.a is 1 and $.b is 2 and $.c is not 3 and $.d does not start with "ok"',
    );
  });

  it('counts a regex subject too long to test the strict way', () => {
    const long = `${'a'.repeat(MAX_REGEX_SUBJECT)}b`;
    const deny = compile([
      { id: 'd', effect: 'deny', conditions: [{ path: '$.q', op: 'regex', value: 'zzz' }] },
    ]);
    expect(evaluateRules(deny, call('t', { q: long }))?.because).toBe(
      '$.q matches /zzz/ (too long to test, counted strictly)',
    );
    const denyUnless = compile([
      { id: 'd', effect: 'deny', unless: [{ path: '$.q', op: 'regex', value: 'a' }] },
    ]);
    expect(evaluateRules(denyUnless, call('t', { q: long }))?.because).toBe(
      '$.q does not match /a/ (too long to test, counted strictly)',
    );
    const allow = compile([
      { id: 'a', effect: 'allow', conditions: [{ path: '$.q', op: 'regex', value: 'a' }] },
    ]);
    expect(evaluateRules(allow, call('t', { q: long }))).toBeUndefined();
    const allowUnless = compile([
      { id: 'a', effect: 'allow', unless: [{ path: '$.q', op: 'regex', value: 'zzz' }] },
    ]);
    expect(evaluateRules(allowUnless, call('t', { q: long }))).toBeUndefined();
  });

  it('tests a regex bomb against a long argument quickly', () => {
    const rules = compile([
      { id: 'r', effect: 'deny', conditions: [{ path: '$.q', op: 'regex', value: '^(a+)+$' }] },
    ]);
    const started = performance.now();
    expect(evaluateRules(rules, call('t', { q: `${'a'.repeat(MAX_REGEX_SUBJECT - 1)}!` }))).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('compares Windows paths without regard to case or slash direction', () => {
    const rules = compile(
      [{ id: 'win', effect: 'deny', unless: [{ path: '$.path', op: 'prefix', value: '~\\Projects\\' }] }],
      { home: 'C:\\Users\\Me' },
    );
    expect(evaluateRules(rules, call('t', { path: 'c:\\users\\me\\projects\\a.txt' }))).toBeUndefined();
    expect(evaluateRules(rules, call('t', { path: 'C:/Users/Me/Projects/a.txt' }))).toBeUndefined();
    expect(evaluateRules(rules, call('t', { path: '~/Projects/a.txt' }))).toBeUndefined();
    expect(
      evaluateRules(rules, call('t', { path: 'C:\\Users\\Me\\Projects\\..\\AppData\\x' }))?.because,
    ).toBe('$.path does not start with "C:\\\\Users\\\\Me\\\\Projects\\\\"');
  });
});

describe('evaluateRulesForListing', () => {
  const rules = compile([
    {
      id: 'cond',
      effect: 'deny',
      tool: 'write_file',
      conditions: [{ path: '$.path', op: 'prefix', value: '/etc' }],
    },
    { id: 'no-delete', effect: 'deny', tool: 'delete_*', description: 'never delete' },
    { id: 'ok', effect: 'allow' },
  ]);
  const subject = (tool: string) => ({ client: { id: 'c', name: 'C' }, connector: 'filesystem', tool });
  it('decides from the first rule whose globs match, unless it looks at arguments', () => {
    expect(evaluateRulesForListing(rules, subject('write_file'))).toEqual({
      kind: 'depends-on-arguments',
      ruleId: 'cond',
    });
    expect(evaluateRulesForListing(rules, subject('delete_file'))).toMatchObject({
      kind: 'decided',
      match: { effect: 'deny', ruleId: 'no-delete', description: 'never delete' },
    });
    expect(evaluateRulesForListing(rules, subject('read_file'))).toMatchObject({
      kind: 'decided',
      match: { effect: 'allow', ruleId: 'ok' },
    });
    expect(evaluateRulesForListing([], subject('read_file'))).toBeUndefined();
  });
});

describe('GlobMatcher', () => {
  const cases: Array<[glob: string, value: string, matches: boolean]> = [
    ['*', '', true],
    ['*', 'anything at all', true],
    ['?', '', false],
    ['?', '😀', true],
    ['a*b', 'ab', true],
    ['a*b', 'axxxb', true],
    ['a*b', 'axxxbc', false],
    ['a*b*c', 'abbbc', true],
    ['*.md', 'notes.md', true],
    ['*.md', 'notes.mdx', false],
    ['write_file', 'write_file', true],
    ['write_file', 'write_file2', false],
    ['write_file', 'rewrite_file', false],
    ['a.b', 'axb', false],
    ['(x)+', '(x)+', true],
  ];
  it.each(cases)('%s on %j: %s', (glob, value, matches) => {
    expect(new GlobMatcher(glob, false).test(value)).toBe(matches);
  });

  it('stays fast on many stars against a long near miss', () => {
    const glob = new GlobMatcher(`${'*a'.repeat(50)}b`, false);
    const started = performance.now();
    expect(glob.test('a'.repeat(100_000))).toBe(false);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

describe('parseJsonPath', () => {
  it.each([
    ['$.path', ['path']],
    ['$.options.mode', ['options', 'mode']],
    ['$.items[0].name', ['items', 0, 'name']],
    ['$["a.b"][12]', ['a.b', 12]],
  ])('parses %s', (text, segments) => {
    expect(parseJsonPath(text)).toEqual(segments);
  });
  it.each(['$', 'path', '$.', '$..x', '$[01]', '$[-1]', '$.a b', '$[*]', `$${'.a'.repeat(33)}`])(
    'refuses %s',
    (text) => {
      expect(typeof parseJsonPath(text)).toBe('string');
    },
  );
});
