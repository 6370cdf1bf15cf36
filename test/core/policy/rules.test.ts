// Rule validation: every problem is reported, each naming the rule and the field; ids, globs, JSON
// paths, operators and regexes are checked before a rule is saved.
import { describe, expect, it } from 'vitest';
import { parseRules } from '../../../main/core/policy/rules.js';

const home = '/home/me';

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
      [{ id: 'r', effect: 'deny', conditions: [{ path: 'the path', op: 'equals', value: 'x' }] }],
      [
        'rule "r": conditions[0].path: path "the path" is not valid at character 4; use an argument name like city, or a JSON path like $.path, $.options.mode or $.items[0].name',
      ],
    ],
    [
      'unfinished JSON path',
      [{ id: 'r', effect: 'deny', unless: [{ path: '$.items[', op: 'equals', value: 'x' }] }],
      [
        'rule "r": unless[0].path: path "$.items[" is not valid at character 8; use an argument name like city, or a JSON path like $.path, $.options.mode or $.items[0].name',
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
