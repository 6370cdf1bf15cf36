// Rule evaluation: first match wins; conditions and `unless` on argument paths; ~ and .. in paths;
// regex subjects too long to test counted the strict way; the listing decision before arguments exist.
import { describe, expect, it } from 'vitest';
import {
  evaluateRules,
  evaluateRulesForListing,
  type RuleSubject,
} from '../../../main/core/policy/rule-evaluation.js';
import { parseRules, type CompiledRule } from '../../../main/core/policy/rules.js';

/** The longest text a rule's pattern is matched against (rule-evaluation.ts). */
const MAX_REGEX_SUBJECT = 16_384;

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

  it('reads an argument named without $. (city) as $.city', () => {
    const rules = compile([
      {
        id: 'paris-only',
        effect: 'deny',
        tool: 'forecast',
        unless: [{ path: 'city', op: 'equals', value: 'Paris' }],
      },
    ]);
    expect(evaluateRules(rules, call('forecast', { city: 'Paris' }))).toBeUndefined();
    expect(evaluateRules(rules, call('forecast', { city: 'Lyon' }))?.ruleId).toBe('paris-only');
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
