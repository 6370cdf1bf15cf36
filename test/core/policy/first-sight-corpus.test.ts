// The tuning corpus (test/fixtures/first-sight/tuning/, docs/first-sight-corpus.md), scanned as the
// engine scans what a connector lists: its figures may not fall (they prove only that the rules do
// what they were written to do; the held-out corpus measures the rest), and the corpus covers every
// class, kind and language it says it does, from real servers kept apart from the held-out ones.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateCorpus, readCorpus, reportLines } from '../../../bench/first-sight-corpus.bench.js';
import { FIXTURES } from '../../support/paths.js';

const corpus = readCorpus(join(FIXTURES, 'first-sight', 'tuning'))!;

describe('the first-sight tuning corpus', () => {
  it('catches at least 89 % of its poisoned definitions and holds at most 2 % of its real ones', () => {
    const report = evaluateCorpus(corpus);
    console.info(reportLines('tuning', report).join('\n'));
    expect(report.caught.hit / report.caught.total).toBeGreaterThanOrEqual(0.89);
    expect(report.realHeld.hit / report.realHeld.total).toBeLessThanOrEqual(0.02);
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

  it('shares no server with the held-out corpus C, nor do the corpora trained on', () => {
    const pkg = (server: string) => server.replace(/@[^@/]*$/, '');
    const held = new Set(
      readCorpus(join(FIXTURES, 'first-sight', 'held-out-3'))!.real.map((item) => pkg(item.server)),
    );
    expect(held.size).toBeGreaterThan(20);
    for (const dir of ['tuning', 'held-out', 'held-out-2']) {
      const shared = readCorpus(join(FIXTURES, 'first-sight', dir))!.real.filter((item) =>
        held.has(pkg(item.server)),
      );
      expect(shared.map((item) => `${dir}: ${item.server}`)).toEqual([]);
    }
  });
});
