// Two promises the code and its configs make about their comments, checked by `npm run lint`:
// - no issue numbers (the word "issue" and a number): a comment names the decision, not the ticket;
// - every section of docs/decisions.md that a comment names by its quoted title exists there.
// Prints each broken one with its file and line, and exits 1.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const SOURCE = /\.(ts|tsx|mts|mjs|js|css|nsh|ya?ml|sh)$|^\.ci\/run$/;
const files = execFileSync('git', ['ls-files'], { encoding: 'utf8' })
  .split('\n')
  .filter((file) => SOURCE.test(file) && !file.includes('/fixtures/') && !file.startsWith('docs/'));

const headings = new Set(
  readFileSync('docs/decisions.md', 'utf8')
    .split('\n')
    .filter((line) => /^#{2,3} /.test(line))
    .map((line) => line.replace(/^#+ /, '').trim()),
);

const problems = [];
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  const lineOf = (index) => text.slice(0, index).split('\n').length;
  for (const match of text.matchAll(/\bissues? #?\d+/gi))
    problems.push(
      `${file}:${lineOf(match.index)}: names an issue number ("${match[0]}"): name the decision instead`,
    );
  // A comment's lines joined, so that a title broken over two comment lines reads whole.
  const joined = text.replace(/\n[ \t]*(\/\/|\*|;|#)[ \t]?/g, (gap) => ' '.repeat(gap.length - 1) + ' ');
  for (const match of joined.matchAll(
    /docs\/decisions\.md[,:]?\s*\(?((?:"[^"\n]+"(?:\s*(?:and|,)\s*)?)+)/g,
  )) {
    for (const quoted of match[1].matchAll(/"([^"]+)"/g)) {
      const title = quoted[1].replace(/\s+/g, ' ').trim();
      if (!headings.has(title))
        problems.push(`${file}:${lineOf(match.index)}: docs/decisions.md has no section "${title}"`);
    }
  }
}
for (const problem of problems) console.error(problem);
if (problems.length > 0) process.exit(1);
