// Checks that the files and code members a doc names in backticks still exist: every path-like name
// must be a file or folder of the repository, every `Class.member` a member of that class, every
// camelCase or PascalCase name found in the sources. Prints what it cannot find and exits 1.
// Usage: node scripts/check-doc-names.mjs [docs/architecture.md …]
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Names that look like paths but are made at run time (in the data folder) or are import aliases. */
const NOT_FILES = new Set(['engine.json', 'preferences.json', 'client-setup.json', 'cli-profile/', '@core/']);
const SOURCES = ['main', 'renderer', 'preload', 'scripts', 'bench', 'test', 'bin', 'build'];

const files = execFileSync('git', ['ls-files'], { encoding: 'utf8' }).split('\n').filter(Boolean);

/** A repository file or folder ends with this path (tables name paths from their section's folder). */
function pathExists(path) {
  const bare = path.replace(/\/$/, '');
  return files.some((file) => file === bare || file.endsWith(`/${bare}`) || `/${file}`.includes(`/${bare}/`));
}

/** The files of the sources that contain `text`. */
function filesWith(text) {
  try {
    return execFileSync('git', ['grep', '-l', '-F', '-e', text, '--', ...SOURCES], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean);
  } catch {
    return [];
  }
}

/**
 * `Owner.member` (or `Owner.#member`): a file of the product (not a test) that declares Owner declares
 * the member on a line of its own (a method, property, getter or field); with no owner, found anywhere.
 */
function memberExists(owner, member) {
  if (!owner) return filesWith(member).length > 0;
  const declaring = filesWith(owner).filter(
    (file) =>
      !file.startsWith('test/') &&
      new RegExp(`(class|interface|type|const|function|enum) ${owner}\\b`).test(readFileSync(file, 'utf8')),
  );
  const bare = member.replace(/^#/, '');
  const declared = new RegExp(
    `^\\s+(?:(?:public|private|protected|static|readonly|async|get|set|override)\\s+)*${member.startsWith('#') ? '#' : '#?'}${bare}\\b`,
    'm',
  );
  return declaring.some((file) => declared.test(readFileSync(file, 'utf8')));
}

/** What is wrong with one backticked name, or undefined when it exists (or is not a name we check). */
function problem(name) {
  const token = name.replace(/\(\)$/, '');
  if (/^[\w.@-]+(\/[\w.@-]+)*\/?$/.test(token) && /\//.test(token)) {
    // A path has an extension or ends in a folder's slash; `tools/list` and `text/html` are not paths.
    const last = token.replace(/\/$/, '').split('/').at(-1);
    if (!token.endsWith('/') && !/\.\w+$/.test(last)) return undefined;
    if (NOT_FILES.has(token) || token.startsWith('dist/') || token.startsWith('.well-known'))
      return undefined;
    return pathExists(token) ? undefined : 'no such file or folder';
  }
  if (/^[\w-]+\.(ts|tsx|mjs|js|cjs|json|yml|css|html|svg|nsh)$/.test(token)) {
    if (NOT_FILES.has(token)) return undefined;
    return pathExists(token) ? undefined : 'no such file';
  }
  const member = /^([A-Z]\w*)?\.(#?\w+)$/.exec(token) ?? /^()(#\w+)$/.exec(token);
  if (member) return memberExists(member[1], member[2]) ? undefined : 'no such member';
  if (/^([a-z]+[A-Z]\w*|[A-Z][a-z]+[A-Z]\w*)$/.test(token))
    return filesWith(token).length > 0 ? undefined : 'not found in the sources';
  return undefined;
}

let failed = 0;
for (const doc of process.argv.slice(2).length ? process.argv.slice(2) : ['docs/architecture.md']) {
  readFileSync(doc, 'utf8')
    .split('\n')
    .forEach((line, index) => {
      for (const [, inside] of line.matchAll(/`([^`]+)`/g)) {
        // A cell may list several: `a.ts`, `b.ts` arrive one by one; "x, y" inside one pair too.
        for (const name of inside.split(/,\s+/)) {
          const wrong = problem(name.trim());
          if (wrong) {
            failed++;
            console.log(`${doc}:${index + 1}: \`${name.trim()}\`: ${wrong}`);
          }
        }
      }
    });
}
if (failed) process.exit(1);
