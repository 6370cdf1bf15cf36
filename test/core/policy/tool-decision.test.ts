// The per-call and per-listing decision: each check in order, with the exact sentence a client
// receives, and the precedence between rules, approval and "always allowed".
import { describe, expect, it } from 'vitest';
import { parseRules, type CompiledRule } from '../../../main/core/policy/rules.js';
import {
  decideToolCall,
  decideToolListing,
  type ToolDecisionInput,
} from '../../../main/core/policy/tool-decision.js';

function rules(list: unknown[]): CompiledRule[] {
  const parsed = parseRules(list, { home: '/home/me' });
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  return parsed.rules;
}

type Overrides = {
  ceiling?: ToolDecisionInput['ceiling'];
  client?: Partial<ToolDecisionInput['client']>;
  connector?: Partial<ToolDecisionInput['connector']>;
  tool?: Partial<ToolDecisionInput['tool']>;
  rules?: CompiledRule[];
};

function input(o: Overrides = {}): ToolDecisionInput {
  return {
    ceiling: o.ceiling ?? 'write',
    client: { id: 'client-1', name: 'Claude Code', access: 'write', connectors: '*', ...o.client },
    connector: { name: 'github', enabled: true, ...o.connector },
    tool: {
      name: 'create_issue',
      exposedName: 'github__create_issue',
      class: 'write',
      enabled: true,
      held: false,
      approval: 'never',
      alwaysAllowedForClient: false,
      ...o.tool,
    },
    rules: o.rules ?? [],
  };
}

const denials: Array<[name: string, overrides: Overrides, decidedBy: string, reason: string]> = [
  [
    'ceiling off',
    { ceiling: 'off', tool: { class: 'read' } },
    'ceiling',
    'gatehouse: access is turned off in Gatehouse (access ceiling: Off)',
  ],
  [
    'connector outside the grant',
    { client: { connectors: ['filesystem'] } },
    'grant',
    "gatehouse: connector github is not in this client's grant",
  ],
  [
    'connector disabled',
    { connector: { enabled: false } },
    'connector',
    'gatehouse: connector github is disabled in Gatehouse',
  ],
  [
    'tool disabled',
    { tool: { enabled: false } },
    'tool-disabled',
    'gatehouse: tool github__create_issue is disabled in Gatehouse',
  ],
  [
    'tool held',
    { tool: { held: true } },
    'held',
    'gatehouse: tool github__create_issue changed upstream and is held until you review the change in Gatehouse',
  ],
  [
    'tool held and kept blocked by the user (no review waiting)',
    { tool: { held: true, heldKept: true } },
    'held',
    'gatehouse: tool github__create_issue changed upstream and the user chose to keep it blocked in Gatehouse; it cannot be called unless they accept the change',
  ],
  [
    'tool held on first sight',
    { tool: { heldOnFirstSight: true } },
    'held',
    'gatehouse: tool github__create_issue was held on first sight: its definition has hidden text or instructions for the AI, and it stays held until you review it in Gatehouse',
  ],
  [
    'tool held on first sight and kept blocked by the user',
    { tool: { heldOnFirstSight: true, heldKept: true } },
    'held',
    'gatehouse: tool github__create_issue was held on first sight and the user chose to keep it blocked in Gatehouse; it cannot be called unless they accept it',
  ],
  [
    'read-only grant, write tool',
    { client: { access: 'read' } },
    'access',
    'gatehouse: tool github__create_issue needs write access; this client was granted read-only',
  ],
  [
    'read-only ceiling, write tool',
    { ceiling: 'read' },
    'ceiling',
    'gatehouse: tool github__create_issue needs write access; the access ceiling in Gatehouse is Read-only',
  ],
  [
    'read-only token, write tool',
    { client: { tokenScopes: new Set(['mcp:read']) } },
    'access',
    "gatehouse: tool github__create_issue needs write access; this client's token has read-only scope (no mcp:write)",
  ],
  [
    'deny rule with a description',
    {
      rules: rules([
        { id: 'no-issues', effect: 'deny', connector: 'github', description: 'no new issues this week' },
      ]),
    },
    'rule:no-issues',
    'gatehouse: rule no-issues denies this call: no new issues this week',
  ],
  [
    'deny rule without a description',
    { rules: rules([{ id: 'no-issues', effect: 'deny', tool: 'create_*' }]) },
    'rule:no-issues',
    'gatehouse: rule no-issues denies this call: it applies to create_issue on connector github',
  ],
];

describe('decideToolCall', () => {
  it.each(denials)('denies: %s', (_name, overrides, decidedBy, reason) => {
    expect(decideToolCall({ ...input(overrides), arguments: {} })).toMatchObject({
      decision: 'deny',
      decidedBy,
      reason,
    });
  });

  it('checks in order: the broadest reason wins', () => {
    const everything: Overrides = {
      ceiling: 'off',
      client: { access: 'read', connectors: ['filesystem'] },
      connector: { enabled: false },
      tool: { enabled: false, held: true },
    };
    const sequence: string[] = [];
    let current: Overrides = everything;
    const fixes: Array<(o: Overrides) => Overrides> = [
      (o) => ({ ...o, ceiling: 'write' }),
      (o) => ({ ...o, client: { ...o.client, connectors: '*' } }),
      (o) => ({ ...o, connector: { enabled: true } }),
      (o) => ({ ...o, tool: { ...o.tool, enabled: true } }),
      (o) => ({ ...o, tool: { ...o.tool, held: false } }),
      (o) => ({ ...o, client: { ...o.client, access: 'write' } }),
    ];
    for (const fix of fixes) {
      sequence.push(decideToolCall({ ...input(current), arguments: {} }).decidedBy);
      current = fix(current);
    }
    sequence.push(decideToolCall({ ...input(current), arguments: {} }).decidedBy);
    expect(sequence).toEqual(['ceiling', 'grant', 'connector', 'tool-disabled', 'held', 'access', 'default']);
  });

  it('lets read tools through a read-only grant and ceiling', () => {
    const decision = decideToolCall({
      ...input({
        ceiling: 'read',
        client: { access: 'read', tokenScopes: new Set(['mcp:read']) },
        tool: { class: 'read' },
      }),
      arguments: {},
    });
    expect(decision).toEqual({
      decision: 'allow',
      decidedBy: 'default',
      reason:
        'Tool github__create_issue is allowed for Claude Code: no rule applies and it needs no approval.',
    });
  });

  it('asks when the tool is set to ask, unless the user always allowed it for this client', () => {
    expect(decideToolCall({ ...input({ tool: { approval: 'ask' } }), arguments: {} })).toEqual({
      decision: 'ask',
      decidedBy: 'approval-setting',
      reason: 'Tool github__create_issue is set to ask for approval before each call.',
    });
    expect(
      decideToolCall({
        ...input({ tool: { approval: 'ask', alwaysAllowedForClient: true } }),
        arguments: {},
      }),
    ).toEqual({
      decision: 'allow',
      decidedBy: 'always-allowed',
      reason: 'You chose to always allow github__create_issue for Claude Code.',
    });
  });

  it('puts rules before the approval setting and "always allowed"', () => {
    const askRule = rules([
      { id: 'careful', effect: 'ask', conditions: [{ path: '$.repo', op: 'prefix', value: 'prod-' }] },
    ]);
    const call = (repo: string, tool: Overrides['tool']) =>
      decideToolCall({ ...input({ rules: askRule, tool }), arguments: { repo } });
    expect(call('prod-api', { alwaysAllowedForClient: true, approval: 'ask' })).toMatchObject({
      decision: 'ask',
      decidedBy: 'rule:careful',
      reason: 'Rule careful asks before create_issue on github because $.repo starts with "prod-".',
    });
    expect(call('dev-api', { alwaysAllowedForClient: true, approval: 'ask' }).decidedBy).toBe(
      'always-allowed',
    );

    const allowRule = rules([
      { id: 'ok-dev', effect: 'allow', conditions: [{ path: '$.repo', op: 'prefix', value: 'dev-' }] },
    ]);
    expect(
      decideToolCall({
        ...input({ rules: allowRule, tool: { approval: 'ask' } }),
        arguments: { repo: 'dev-x' },
      }),
    ).toMatchObject({
      decision: 'allow',
      decidedBy: 'rule:ok-dev',
    });
  });

  it('never lets an allow rule widen access', () => {
    const allowAll = rules([{ id: 'yes', effect: 'allow' }]);
    expect(
      decideToolCall({ ...input({ rules: allowAll, client: { access: 'read' } }), arguments: {} }),
    ).toMatchObject({
      decision: 'deny',
      decidedBy: 'access',
    });
    expect(
      decideToolCall({ ...input({ rules: allowAll, tool: { held: true } }), arguments: {} }).decidedBy,
    ).toBe('held');
  });

  it('applies the filesystem sandbox rule with its reason', () => {
    const sandbox = rules([
      {
        id: 'fs-sandbox',
        effect: 'deny',
        connector: 'filesystem',
        tool: 'write_file',
        unless: [{ path: '$.path', op: 'prefix', value: '~/projects/' }],
      },
    ]);
    const fs = (path: string) =>
      decideToolCall({
        ...input({
          rules: sandbox,
          connector: { name: 'filesystem' },
          tool: { name: 'write_file', exposedName: 'filesystem__write_file' },
        }),
        arguments: { path },
      });
    expect(fs('~/projects/app/x.ts').decision).toBe('allow');
    expect(fs('~/projects/../.bashrc')).toMatchObject({
      decision: 'deny',
      decidedBy: 'rule:fs-sandbox',
      reason: 'gatehouse: rule fs-sandbox denies this call: $.path does not start with "/home/me/projects/"',
    });
  });
});

describe('decideToolListing', () => {
  it.each(denials)('hides: %s', (_name, overrides, decidedBy, reason) => {
    expect(decideToolListing(input(overrides))).toEqual({ visible: false, decidedBy, reason });
  });

  it('never shows a write tool to a read-only grant', () => {
    expect(decideToolListing(input({ client: { access: 'read' } })).visible).toBe(false);
    expect(decideToolListing(input({ client: { access: 'read' }, tool: { class: 'read' } })).visible).toBe(
      true,
    );
  });

  it('shows tools whose rule depends on the arguments, and says so', () => {
    const conditional = rules([
      { id: 'careful', effect: 'deny', conditions: [{ path: '$.repo', op: 'prefix', value: 'prod-' }] },
    ]);
    expect(decideToolListing(input({ rules: conditional }))).toEqual({
      visible: true,
      reason: 'Tool github__create_issue is available to Claude Code: rule careful decides per call.',
    });
    expect(decideToolListing(input())).toEqual({
      visible: true,
      reason: 'Tool github__create_issue is available to Claude Code: no rule applies.',
    });
    expect(decideToolListing(input({ rules: rules([{ id: 'fine', effect: 'ask' }]) }))).toEqual({
      visible: true,
      reason: 'Tool github__create_issue is available to Claude Code: rule fine asks before it.',
    });
  });
});
