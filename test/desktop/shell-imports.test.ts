// Two import rules the desktop shell depends on, checked on the module graph as Node will load it:
// only main.ts loads `electron` (and nothing loads electron-store, which would load it and register
// an IPC channel of its own), so every other shell module runs in tests without the Electron binary;
// and main.ts reaches node:sqlite only through a dynamic import, after it has installed the SQLite
// warning filter.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const shellDir = path.join(repoRoot, 'main', 'desktop');

/** Specifiers a file loads when it runs: static imports and re-exports that are not type-only. */
function runtimeImports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false);
  const found: string[] = [];
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement) && !statement.importClause?.isTypeOnly) {
      found.push((statement.moduleSpecifier as ts.StringLiteral).text);
    } else if (ts.isExportDeclaration(statement) && statement.moduleSpecifier && !statement.isTypeOnly) {
      found.push((statement.moduleSpecifier as ts.StringLiteral).text);
    }
  }
  return found;
}

/** Every module loaded at start-up from `entry`: repository files (relative) and packages. */
function staticGraph(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string): void => {
    if (files.has(file)) return;
    files.add(file);
    for (const specifier of runtimeImports(file)) {
      if (specifier.startsWith('.'))
        visit(path.resolve(path.dirname(file), specifier.replace(/\.js$/, '.ts')));
      else packages.add(specifier);
    }
  };
  visit(entry);
  return { files, packages };
}

const shellModules = readdirSync(shellDir).filter((name) => name.endsWith('.ts'));

describe('desktop shell imports', () => {
  it('finds the shell modules', () => {
    expect(shellModules).toContain('main.ts');
    expect(shellModules).toContain('tray.ts');
  });

  it.each(shellModules.filter((name) => name !== 'main.ts'))(
    '%s loads neither electron nor electron-store',
    (name) => {
      const { packages } = staticGraph(path.join(shellDir, name));
      const electronish = [...packages].filter(
        (p) => p === 'electron' || p.startsWith('electron/') || p === 'electron-store',
      );
      expect(electronish).toEqual([]);
    },
  );

  it('main.ts loads electron itself and reaches the engine (and node:sqlite) only dynamically', () => {
    const { files, packages } = staticGraph(path.join(shellDir, 'main.ts'));
    expect(packages).toContain('electron');
    // Preferences through Gatehouse's own file (core/store/preferences-file.ts): electron-store would
    // register an unchecked IPC channel (electron-store-get-data) that any renderer could call.
    expect(files).toContain(path.join(repoRoot, 'main', 'core', 'store', 'preferences-file.ts'));
    expect(packages).not.toContain('electron-store');
    expect(packages).not.toContain('node:sqlite');
    expect(files).not.toContain(path.join(repoRoot, 'main', 'core', 'engine', 'engine.ts'));
  });

  it('the graph walk does see node:sqlite behind the engine (so the check above can fail)', () => {
    expect(staticGraph(path.join(repoRoot, 'main', 'core', 'engine', 'engine.ts')).packages).toContain(
      'node:sqlite',
    );
  });
});
