// The core/shell boundary: only main/desktop/ may import `electron`, so the engine runs headless
// (CLI, tests, CI) exactly as it runs in the desktop app. Checked twice: by scanning every source
// file here, and by proving the ESLint rule that catches it in the editor is really switched on.
import {
  mkdtempSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
  existsSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const scannedDirs = ['main', 'renderer'];
const shellDir = 'main/desktop/';

function isElectronSpecifier(specifier: string): boolean {
  return specifier === 'electron' || specifier.startsWith('electron/');
}

/** Every module specifier a file reads: import/export…from, import(), require(), import('…') types. */
function moduleSpecifiers(fileName: string, text: string): string[] {
  const kind = fileName.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, kind);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
      if (ts.isStringLiteral(node.moduleSpecifier)) found.push(node.moduleSpecifier.text);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      const expression = node.moduleReference.expression;
      if (ts.isStringLiteral(expression)) found.push(expression.text);
    } else if (ts.isCallExpression(node)) {
      const isDynamicImport = node.expression.kind === ts.SyntaxKind.ImportKeyword;
      const isRequire = ts.isIdentifier(node.expression) && node.expression.text === 'require';
      const first = node.arguments[0];
      if ((isDynamicImport || isRequire) && first && ts.isStringLiteralLike(first)) found.push(first.text);
    } else if (ts.isImportTypeNode(node)) {
      const argument = node.argument;
      if (ts.isLiteralTypeNode(argument) && ts.isStringLiteral(argument.literal)) {
        found.push(argument.literal.text);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function sourceFiles(root: string, dir: string): string[] {
  const absolute = path.join(root, dir);
  if (!existsSync(absolute)) return [];
  const files: string[] = [];
  for (const entry of readdirSync(absolute, { withFileTypes: true })) {
    const relative = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') files.push(...sourceFiles(root, relative));
    } else if (/\.tsx?$/.test(entry.name)) {
      files.push(relative);
    }
  }
  return files;
}

/** Files outside main/desktop/ that import electron, as "file: specifier" lines. */
function electronImportsOutsideShell(root: string): { scanned: number; violations: string[] } {
  const files = scannedDirs.flatMap((dir) => sourceFiles(root, dir));
  const violations: string[] = [];
  for (const file of files) {
    if (file.startsWith(shellDir)) continue;
    const specifiers = moduleSpecifiers(file, readFileSync(path.join(root, file), 'utf8'));
    for (const specifier of specifiers.filter(isElectronSpecifier))
      violations.push(`${file}: '${specifier}'`);
  }
  return { scanned: files.length, violations };
}

describe('only main/desktop/ imports electron', () => {
  it('holds for every .ts/.tsx file under main/ and renderer/', () => {
    const { scanned, violations } = electronImportsOutsideShell(repoRoot);
    expect(scanned, 'the scan found no source files at all: is the walk broken?').toBeGreaterThan(0);
    expect(violations, `electron imported outside ${shellDir}:\n${violations.join('\n')}`).toEqual([]);
  });

  describe('the scanner catches every way of importing', () => {
    const fixtureRoot = mkdtempSync(path.join(tmpdir(), 'gatehouse-boundary-'));
    afterAll(() => rmSync(fixtureRoot, { recursive: true, force: true }));

    const write = (file: string, text: string): void => {
      mkdirSync(path.dirname(path.join(fixtureRoot, file)), { recursive: true });
      writeFileSync(path.join(fixtureRoot, file), text);
    };
    write('main/core/static.ts', "import { app } from 'electron';\napp.quit();\n");
    write(
      'main/core/type-only.ts',
      "import type { BrowserWindow } from 'electron';\nexport type W = BrowserWindow;\n",
    );
    write('main/core/reexport.ts', "export { shell } from 'electron/main';\n");
    write('main/cli/dynamic.ts', "export const load = () => import('electron');\n");
    write('main/cli/required.ts', "const electron = require('electron');\nexport default electron;\n");
    write('main/cli/import-equals.ts', "import electron = require('electron');\nexport default electron;\n");
    write('main/core/type-query.ts', "export type App = typeof import('electron').app;\n");
    write(
      'renderer/view.tsx',
      "import { ipcRenderer } from 'electron/renderer';\nexport const v = <div>{String(ipcRenderer)}</div>;\n",
    );
    write(
      'main/core/clean.ts',
      "import { app } from './electron-free.js';\nexport const name = 'electron';\nexport { app };\n",
    );
    write('main/core/lookalike.ts', "import Store from 'electron-store';\nexport default Store;\n");
    write(
      'main/desktop/shell.ts',
      "import { app, BrowserWindow } from 'electron';\nexport { app, BrowserWindow };\n",
    );

    it('reports each offending file by name and spares clean files and the shell', () => {
      const { scanned, violations } = electronImportsOutsideShell(fixtureRoot);
      expect(scanned).toBe(11);
      expect(violations.sort()).toEqual(
        [
          "main/cli/dynamic.ts: 'electron'",
          "main/cli/import-equals.ts: 'electron'",
          "main/cli/required.ts: 'electron'",
          "main/core/reexport.ts: 'electron/main'",
          "main/core/static.ts: 'electron'",
          "main/core/type-only.ts: 'electron'",
          "main/core/type-query.ts: 'electron'",
          "renderer/view.tsx: 'electron/renderer'",
        ].sort(),
      );
    });
  });
});

describe('the ESLint config forbids electron outside the shell', () => {
  const snippet = "import { app } from 'electron';\n";
  const eslint = new ESLint({ cwd: repoRoot, overrideConfigFile: path.join(repoRoot, 'eslint.config.js') });

  async function ruleIds(relativePath: string, text = snippet): Promise<string[]> {
    const filePath = path.join(repoRoot, relativePath);
    expect(await eslint.isPathIgnored(filePath), `${relativePath} must not be ignored by ESLint`).toBe(false);
    const [result] = await eslint.lintText(text, { filePath });
    expect(result?.fatalErrorCount, JSON.stringify(result?.messages)).toBe(0);
    return (result?.messages ?? []).filter((message) => message.severity === 2).map((m) => m.ruleId ?? '');
  }

  it('reports no-restricted-imports for electron under main/core/', async () => {
    expect(await ruleIds('main/core/boundary-probe.ts')).toContain('no-restricted-imports');
  });

  it('reports no-restricted-imports for electron/* subpaths under main/core/', async () => {
    expect(await ruleIds('main/core/boundary-probe.ts', "import { app } from 'electron/main';\n")).toContain(
      'no-restricted-imports',
    );
  });

  it('allows electron under main/desktop/ (while still linting the file)', async () => {
    const ids = await ruleIds('main/desktop/boundary-probe.ts');
    // The unused `app` is still reported, which proves the file was linted rather than skipped.
    expect(ids).toContain('@typescript-eslint/no-unused-vars');
    expect(ids).not.toContain('no-restricted-imports');
  });
});
