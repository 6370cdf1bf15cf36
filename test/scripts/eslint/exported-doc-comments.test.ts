// The lint rule that keeps every export of main/ documented: what it accepts and the exact sentence it
// refuses with, and that eslint.config.js really switches it on for main/ (and only there).
import path from 'node:path';
import { ESLint, RuleTester } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import { exportedDocComments } from '../../../scripts/eslint/exported-doc-comments.mjs';
import { REPO_ROOT } from '../../support/paths.js';

RuleTester.describe = describe;
RuleTester.it = it;

const tester = new RuleTester({ languageOptions: { parser: tseslint.parser } });
const missing = (names: string) =>
  `Exported ${names} has no doc comment: say in a /** … */ comment above it what it is for (what, not how).`;

tester.run('exported-doc-comments', exportedDocComments, {
  valid: [
    '/** Why the limit exists. */\nexport const limit = 3;',
    '/** A grant. */\nexport interface Grant { id: string }',
    '/** Turns a thing into words. */\nexport function words(): string { return ""; }',
    '/** The access levels. */\n// eslint-disable-next-line no-unused-vars\nexport type Access = "read" | "write";',
    'const local = 1;\nexport { local };',
    'function notExported() {}',
  ],
  invalid: [
    { code: 'export const limit = 3;', errors: [{ message: missing('limit') }] },
    {
      code: '// A line comment is not a doc comment.\nexport class Store {}',
      errors: [{ message: missing('Store') }],
    },
    {
      code: '/* Nor is a plain block. */\nexport type Access = "read";',
      errors: [{ message: missing('Access') }],
    },
    { code: 'export const a = 1, b = 2;', errors: [{ message: missing('a, b') }] },
    { code: 'export default function () {}', errors: [{ message: missing('default export') }] },
  ],
});

describe('eslint.config.js', () => {
  it('applies the rule to every folder of main/ (engine, CLI, desktop shell, bridge) and not to the rest', async () => {
    const eslint = new ESLint({ cwd: REPO_ROOT });
    const code = 'export const undocumented = 1;\n';
    const ruleIn = async (file: string) => {
      const [result] = await eslint.lintText(code, { filePath: path.join(REPO_ROOT, file) });
      return result?.messages.some((m) => m.ruleId === 'gatehouse/exported-doc-comments');
    };
    const checked = [
      'main/core/new-module.ts',
      'main/cli/new-module.ts',
      'main/desktop/new-module.ts',
      'main/bridge/new-module.ts',
    ];
    const unchecked = ['renderer/src/new-module.ts', 'test/support/new-module.ts', 'bench/new-module.ts'];
    expect(await Promise.all(checked.map(ruleIn))).toEqual(checked.map(() => true));
    expect(await Promise.all(unchecked.map(ruleIn))).toEqual(unchecked.map(() => false));
  });

  it("holds the renderer to React's hooks rules", async () => {
    const eslint = new ESLint({ cwd: REPO_ROOT });
    const code = [
      "import { useEffect, useState } from 'react';",
      'export function Menu({ page }: { page: string }) {',
      '  const [open, setOpen] = useState(false);',
      '  useEffect(() => setOpen(false), [page]);',
      '  return open ? page : null;',
      '}',
      '',
    ].join('\n');
    const [result] = await eslint.lintText(code, {
      filePath: path.join(REPO_ROOT, 'renderer/src/views/new-view.tsx'),
    });
    expect(result?.messages.map((m) => m.ruleId)).toEqual(['react-hooks/set-state-in-effect']);
  });
});
