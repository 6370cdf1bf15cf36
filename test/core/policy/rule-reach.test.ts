// Rules that can never match: a connector or tool glob that fits no name Gatehouse knows, with the
// name probably meant; and the ids made up for rules written without one.
import { describe, expect, it } from 'vitest';
import { rulesMatchingNothing, type KnownNames } from '../../../main/core/policy/rule-reach.js';
import { parseRules, withRuleIds, type CompiledRule } from '../../../main/core/policy/rules.js';

const home = '/home/me';
// server-filesystem's tools, and a connector that has not listed any yet.
const known: KnownNames = {
  connectors: ['files', 'github', 'notes'],
  toolsOf: (connector) =>
    ({
      files: ['read_text_file', 'write_file', 'edit_file', 'create_directory', 'move_file'],
      notes: ['save_note', 'list_notes'],
    })[connector] ?? [],
};

function compiled(rules: unknown[]): CompiledRule[] {
  const parsed = parseRules(rules, { home });
  if (!parsed.ok) throw new Error(parsed.errors.join('; '));
  return parsed.rules;
}

describe('rulesMatchingNothing', () => {
  it('names a connector that does not exist, and the one meant', () => {
    expect(rulesMatchingNothing(compiled([{ id: 'r', effect: 'deny', connector: 'fils' }]), known)).toEqual([
      {
        index: 0,
        id: 'r',
        field: 'connector',
        problem: 'matches no connector: there is no connector named fils. Did you mean files?',
        suggestion: 'files',
      },
    ]);
  });

  it('says so of a connector glob no name fits, and when there are no connectors at all', () => {
    expect(
      rulesMatchingNothing(compiled([{ id: 'r', effect: 'ask', connector: 'gitlab-*' }]), known)[0]?.problem,
    ).toBe(
      "matches no connector: no connector's name fits gitlab-* (the connectors are files, github, notes).",
    );
    expect(
      rulesMatchingNothing(compiled([{ id: 'r', effect: 'ask', connector: 'files' }]), {
        connectors: [],
        toolsOf: () => [],
      })[0]?.problem,
    ).toBe('matches no connector: there are no connectors yet.');
  });

  it('names a tool glob that fits none of its connectors’ tools', () => {
    const [problem] = rulesMatchingNothing(
      compiled([{ id: 'no-writes', effect: 'deny', connector: 'files', tool: 'write_files' }]),
      known,
    );
    expect(problem).toEqual({
      index: 0,
      id: 'no-writes',
      field: 'tool',
      problem: 'matches no tool of files: there is no tool named write_files. Did you mean write_file?',
      suggestion: 'write_file',
    });
    expect(
      rulesMatchingNothing(
        compiled([{ id: 'r', effect: 'deny', connector: 'files', tool: 'delete_*' }]),
        known,
      )[0]?.problem,
    ).toBe("matches no tool of files: no tool's name fits delete_*.");
  });

  it('tells a tool written as clients see it from the server’s own name', () => {
    expect(
      rulesMatchingNothing(compiled([{ id: 'r', effect: 'ask', tool: 'notes__save_note' }]), known),
    ).toEqual([
      {
        index: 0,
        id: 'r',
        field: 'tool',
        problem:
          "matches no tool: rules name a tool by the server's own name, save_note (with connector notes), not as clients see it.",
        suggestion: 'save_note',
      },
    ]);
  });

  it('finds nothing wrong with rules that can match, or whose connector has listed no tools yet', () => {
    expect(
      rulesMatchingNothing(
        compiled([
          { id: 'a', effect: 'deny', connector: 'files', tool: 'write_*' },
          { id: 'b', effect: 'deny', connector: 'f*' },
          { id: 'c', effect: 'ask', tool: 'save_note' },
          { id: 'd', effect: 'deny', connector: 'github', tool: 'anything_at_all' },
          { id: 'e', effect: 'allow' },
        ]),
        known,
      ),
    ).toEqual([]);
  });

  it('numbers each problem by the rule’s place', () => {
    const problems = rulesMatchingNothing(
      compiled([
        { id: 'ok', effect: 'allow', connector: 'files' },
        { id: 'x', effect: 'deny', connector: 'nots' },
        { id: 'y', effect: 'deny', connector: 'notes', tool: 'save' },
      ]),
      known,
    );
    expect(problems.map(({ index, id, suggestion }) => [index, id, suggestion])).toEqual([
      [1, 'x', 'notes'],
      [2, 'y', 'save_note'],
    ]);
  });
});

describe('withRuleIds', () => {
  it('makes up an id from what a rule does, unique among the others, and leaves the rest alone', () => {
    const input = [
      { effect: 'deny', connector: 'files', tool: 'write_*' },
      { id: 'deny-files-write_', effect: 'allow' },
      { effect: 'deny', connector: 'files', tool: 'write_*' },
      { effect: 'ask' },
      'not a rule',
    ];
    const { rules, madeUp } = withRuleIds(input);
    expect(rules).toEqual([
      { id: 'deny-files-write_-2', effect: 'deny', connector: 'files', tool: 'write_*' },
      { id: 'deny-files-write_', effect: 'allow' },
      { id: 'deny-files-write_-3', effect: 'deny', connector: 'files', tool: 'write_*' },
      { id: 'ask', effect: 'ask' },
      'not a rule',
    ]);
    expect([...madeUp]).toEqual([0, 2, 3]);
    expect(input[0]).toEqual({ effect: 'deny', connector: 'files', tool: 'write_*' });
  });

  it('names a rule whose id it made up by its place when the rule is wrong', () => {
    const { rules, madeUp } = withRuleIds([{ effect: 'block', tool: 'echo' }]);
    expect(parseRules(rules, { home, madeUpIds: madeUp })).toEqual({
      ok: false,
      errors: ['rule #1: effect: effect must be allow, ask or deny'],
    });
  });
});
