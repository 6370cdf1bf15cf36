// A tool's read/write class from its annotations (or the user's override) and its default approval.
import { describe, expect, it } from 'vitest';
import type { Tool } from '@modelcontextprotocol/client';
import { classifyTool, type ToolClassOverride } from '../../../main/core/policy/tool-class.js';

describe('classifyTool', () => {
  const cases: Array<
    [name: string, annotations: Tool['annotations'], override: ToolClassOverride, expected: object]
  > = [
    [
      'no annotations',
      undefined,
      null,
      { class: 'write', destructive: true, defaultApproval: 'ask', source: 'unannotated' },
    ],
    [
      'empty annotations',
      {},
      null,
      { class: 'write', destructive: true, defaultApproval: 'ask', source: 'unannotated' },
    ],
    [
      'title only',
      { title: 'T' },
      null,
      { class: 'write', destructive: true, defaultApproval: 'ask', source: 'unannotated' },
    ],
    [
      'read-only',
      { readOnlyHint: true },
      null,
      { class: 'read', destructive: false, defaultApproval: 'never', source: 'annotations' },
    ],
    [
      'read-only that also claims destructive',
      { readOnlyHint: true, destructiveHint: true },
      null,
      { class: 'read', destructive: false, defaultApproval: 'never', source: 'annotations' },
    ],
    [
      'write, destructive unstated',
      { readOnlyHint: false },
      null,
      { class: 'write', destructive: true, defaultApproval: 'ask', source: 'annotations' },
    ],
    [
      'write, not destructive',
      { readOnlyHint: false, destructiveHint: false },
      null,
      { class: 'write', destructive: false, defaultApproval: 'never', source: 'annotations' },
    ],
    [
      'destructiveHint false alone',
      { destructiveHint: false },
      null,
      { class: 'write', destructive: false, defaultApproval: 'never', source: 'annotations' },
    ],
    [
      'override to read',
      { readOnlyHint: false },
      'read',
      { class: 'read', destructive: false, defaultApproval: 'never', source: 'override' },
    ],
    [
      'override to write',
      { readOnlyHint: true },
      'write',
      { class: 'write', destructive: true, defaultApproval: 'ask', source: 'override' },
    ],
    [
      'override to write, not destructive',
      { readOnlyHint: true, destructiveHint: false },
      'write',
      { class: 'write', destructive: false, defaultApproval: 'never', source: 'override' },
    ],
  ];
  it.each(cases)('%s', (_name, annotations, override, expected) => {
    expect(classifyTool({ annotations }, override)).toEqual(expected);
  });

  it('treats a truthy non-boolean readOnlyHint from a sloppy server as write', () => {
    const sloppy = { annotations: { readOnlyHint: 'yes' } } as unknown as Pick<Tool, 'annotations'>;
    expect(classifyTool(sloppy).class).toBe('write');
  });
});
