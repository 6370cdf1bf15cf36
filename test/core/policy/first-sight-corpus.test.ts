// The tuning corpus (test/fixtures/first-sight/tuning/, docs/first-sight-corpus.md), scanned as the
// engine scans what a connector lists: its figures may not fall (they prove only that the rules do
// what they were written to do; the held-out corpus measures the rest), and the corpus covers every
// class, kind and language it says it does, from real servers kept apart from the held-out ones.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateCorpus, readCorpus, reportLines } from '../../../bench/first-sight-corpus.bench.js';
import { COLLECTED, RETIRED, WRITTEN } from '../../../bench/first-sight-sources.js';
import { FIXTURES } from '../../support/paths.js';

const corpus = readCorpus(join(FIXTURES, 'first-sight', 'tuning'))!;

describe('the first-sight tuning corpus', () => {
  it('catches at least 89 % of its poisoned definitions and holds at most 2 % of its real ones', () => {
    const report = evaluateCorpus(corpus);
    console.info(reportLines('tuning', report).join('\n'));
    expect(report.caught.hit / report.caught.total).toBeGreaterThanOrEqual(0.89);
    expect(report.realHeld.hit / report.realHeld.total).toBeLessThanOrEqual(0.02);
  });

  it('shows a corpus as counts only, naming no definition, for a held-out corpus read once', () => {
    const report = evaluateCorpus(corpus);
    expect(report.missed.length + report.held.length).toBeGreaterThan(0);
    const whole = reportLines('tuning', report).join('\n');
    const counts = reportLines('tuning', report, false).join('\n');
    expect(whole).toContain('poisoned definitions missed:');
    expect(counts).toContain(`poisoned caught ${report.caught.hit}/${report.caught.total}`);
    expect(counts).toContain('caught by language:');
    for (const { id } of [...report.missed, ...report.held.map(({ item }) => item)]) {
      expect(whole).toContain(id);
      expect(counts).not.toContain(id);
    }
  });

  it('has every kind, ten languages, and real definitions from more than 60 servers', () => {
    expect(new Set(corpus.poisoned.map((item) => item.kind))).toEqual(
      new Set(['tool', 'prompt', 'resource', 'template', 'instructions']),
    );
    expect([...new Set(corpus.poisoned.map((item) => item.language))].sort()).toEqual([
      'de',
      'en',
      'es',
      'fr',
      'it',
      'ja',
      'ko',
      'pt',
      'ru',
      'zh',
    ]);
    expect(new Set(corpus.poisoned.map((item) => item.id)).size).toBe(corpus.poisoned.length);
    expect(new Set(corpus.real.map((item) => item.server)).size).toBeGreaterThan(60);
    expect(corpus.real.length).toBeGreaterThan(1200);
    for (const item of corpus.real) expect(item.server).toMatch(/^(@[\w.-]+\/)?[\w.-]+@\d+\.\d+\.\d+/);
  });

  // Each retired held-out corpus's servers (its real half's, and every package its SERVERS.txt names)
  // are kept out of every corpus written or trained on before it, from C on (C out of the tuning corpus,
  // A and B; D out of those and C; and so on, in bench/first-sight-sources.ts's order). The held-out one
  // is kept out of all of them by whoever writes it; this test never reads it. A
  // server is a package (`name@version`) or a repository (`github:owner/name@commit`), its version or
  // commit dropped.
  // A server without its version: `name@1.2.3` → `name`, `github:o/r@commit#src/sub` → `github:o/r#src/sub`.
  const pkg = (server: string) => server.replace(/(.)@[^@/#]*(#.*)?$/, '$1$2');
  const serversOf = (dir: string) => {
    const held = new Set(
      readCorpus(join(FIXTURES, 'first-sight', dir))!.real.map((item) => pkg(item.server)),
    );
    const listed = join(FIXTURES, 'first-sight', dir, 'SERVERS.txt');
    if (existsSync(listed))
      for (const line of readFileSync(listed, 'utf8').split('\n'))
        if (line.trim() !== '' && !line.trim().startsWith('#')) held.add(pkg(line.trim()));
    return held;
  };
  const sharedWith = (held: Set<string>, dirs: string[]) =>
    dirs.flatMap((dir) =>
      readCorpus(join(FIXTURES, 'first-sight', dir))!
        .real.filter((item) => held.has(pkg(item.server)))
        .map((item) => `${dir}: ${item.server}`),
    );

  const order = ['tuning', ...Object.values(RETIRED)];
  const checked = Object.entries(RETIRED).slice(2);
  it.each(checked)(
    'shares no server with the retired held-out corpus %s, nor do the corpora trained on before it',
    (_name, dir) => {
      const held = serversOf(dir);
      expect(held.size).toBeGreaterThan(20);
      expect(sharedWith(held, order.slice(0, order.indexOf(dir)))).toEqual([]);
    },
  );

  // A corpus written for training lists servers no other corpus has, so holding it back in the
  // trainer's validation measures servers it has not seen (its real half is smaller than a held-out
  // corpus's: a dozen servers or more).
  it.each(Object.entries(WRITTEN))(
    'the corpus %s written for training shares no server with the tuning or a retired corpus',
    (_name, { folder }) => {
      const held = serversOf(folder);
      expect(held.size).toBeGreaterThan(10);
      expect(sharedWith(held, order)).toEqual([]);
    },
  );

  // Real text collected for training comes from servers no other corpus lists, and each item names the
  // file and line of its server's source it was copied from.
  it.each(Object.entries(COLLECTED))(
    'the real text %s collected for training shares no server with any other corpus, and says where each item is from',
    (_name, folder) => {
      const corpus = readCorpus(join(FIXTURES, 'first-sight', folder))!;
      expect(corpus.poisoned).toEqual([]);
      const held = serversOf(folder);
      // SERVERS.txt lists exactly the servers the items come from (more than one: a corpus, not a server).
      const corpusServers = new Set(corpus.real.map((item) => pkg(item.server)));
      expect(corpusServers.size).toBeGreaterThan(1);
      expect([...held].sort()).toEqual([...corpusServers].sort());
      const others = [...order, ...Object.values(WRITTEN).map(({ folder: other }) => other)];
      expect(sharedWith(held, others)).toEqual([]);
      const sources = new Map(
        readFileSync(join(FIXTURES, 'first-sight', folder, 'SOURCES.txt'), 'utf8')
          .split('\n')
          .filter((line) => line.trim() !== '')
          .map((line) => line.split('\t'))
          .map(([id, server, file]) => [id, { server, file }]),
      );
      for (const item of corpus.real) {
        expect(sources.get(item.id)?.server, item.id).toBe(item.server);
        expect(sources.get(item.id)?.file, item.id).toMatch(/\S/);
      }
    },
  );
});
