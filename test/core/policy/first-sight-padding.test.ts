// Padding a poisoned tool with honest parameters: the attack costs an attacker nothing (a real server's
// tools have many), and nothing first sight weighs may fall as strings are added. Performed against the
// real scan on a retired corpus's attacks, padded with a real server's parameters.
import { describe, expect, it } from 'vitest';
import { scanDefinition, TOGETHER_WHERE } from '../../../main/core/policy/first-sight.js';
import { corpusItems } from '../../support/paths.js';

interface Item {
  id: string;
  kind: string;
  server?: string;
  definition: { inputSchema?: { type?: string; properties?: Record<string, unknown> } };
}
const items = (folder: string, half: 'poisoned' | 'real'): Item[] => corpusItems<Item>(folder, half);

/** Honest parameters, each with a description of its own, from the tuning corpus's real tools in order. */
const honest: Array<[string, unknown]> = items('tuning', 'real')
  .filter((item) => item.kind === 'tool')
  .flatMap((item) => Object.entries(item.definition.inputSchema?.properties ?? {}))
  .filter(([, schema]) => typeof (schema as { description?: unknown }).description === 'string');

/** The definition with `count` honest parameters added (named apart from its own). */
function padded(definition: Item['definition'], count: number, from: number): Item['definition'] {
  const copy = structuredClone(definition);
  copy.inputSchema ??= { type: 'object' };
  const properties = (copy.inputSchema.properties ??= {});
  for (let i = 0; i < count; i++) {
    const [name, schema] = honest[(from + i * 7) % honest.length]!;
    properties[`${name}_${i}`] = structuredClone(schema);
  }
  return copy;
}

/**
 * The group of a place a `together` finding names, as first sight groups a larger definition's strings
 * (first-sight-whole.ts): the innermost property, another field's key, or the definition's own.
 */
function groupOf(place: string): string {
  const property = /^(.*\.properties\.[^.[]+)/.exec(place);
  if (property) return property[1]!;
  const field = /^([^.[]+)[.[]([^.[\]]+)/.exec(place);
  return field ? `${field[1]}.${field[2]}` : '';
}

/** The tools of a corpus's poisoned half held only with their strings together, within one group. */
function splitWithinGroup(folder: string): Item[] {
  return items(folder, 'poisoned').filter((item) => {
    if (item.kind !== 'tool') return false;
    const findings = scanDefinition('tool', item.definition);
    if (findings.length === 0 || !findings.every((finding) => finding.where.startsWith('together, ')))
      return false;
    const places = findings[0]!.where.slice('together, '.length).split(', ');
    return new Set(places.map(groupOf)).size === 1;
  });
}

describe('first sight and padding', () => {
  const attacks = items('held-out-11', 'poisoned').filter((item) => item.kind === 'tool');
  // Held by what its strings say, one by one (the model, a signal): an ask split across fields and found
  // only with the strings together — by the signals (judged whole within a bound: first-sight-scan.ts
  // WHOLE_MAX_STRINGS) or by the model's reading of them all as one text (TOGETHER_WHERE, up to
  // TOGETHER_MAX_CHARS) — is read whole within a bound (docs/security-model.md), which padding can pass;
  // past it, only an ask within one parameter's strings or the definition's own is judged (below). The model's
  // reading of the definition's own fields with one parameter (a pair, first-sight-scoring.ts scorePairs)
  // counts as such a string here: the honest parameters padding adds say less than an ask, so it keeps it.
  const scanned = attacks.map((item) => ({ item, findings: scanDefinition('tool', item.definition) }));
  const held = scanned
    .filter(({ findings }) =>
      findings.some((finding) => !finding.where.startsWith('together') && finding.where !== TOGETHER_WHERE),
    )
    .map(({ item }) => item);

  /** The attacks held whole, by any reading (the bounded ones too). */
  const heldWhole = scanned.filter(({ findings }) => findings.length > 0).map(({ item }) => item);

  it('has honest parameters to pad with, and attacks it holds as written', () => {
    expect(honest.length).toBeGreaterThan(200);
    // More than half held as written, and more than a third by a string (the rest by a reading of the
    // strings together or a bound on them).
    expect(heldWhole.length).toBeGreaterThan(attacks.length / 2);
    expect(held.length).toBeGreaterThan(attacks.length / 3);
  });

  // What the bounded readings add may fall as a definition is padded, but padding must not take more than
  // a tenth of what first sight holds as written, by any reading.
  it.each([8, 24, 60])('holds nine in ten of all it holds as written when padded with %i', (count) => {
    const still = heldWhole.filter(
      (item, index) => scanDefinition('tool', padded(item.definition, count, index * 31)).length > 0,
    );
    expect(still.length).toBeGreaterThanOrEqual(0.9 * heldWhole.length);
  });

  it.each([8, 24, 60])(
    'holds every attack it holds as written when padded with %i honest parameters',
    (count) => {
      const passed = held
        .filter(
          (item, index) => scanDefinition('tool', padded(item.definition, count, index * 31)).length === 0,
        )
        .map((item) => item.id);
      expect(passed).toEqual([]);
    },
  );

  // Past the bound, each parameter's strings (and the definition's own) are still judged together.
  const grouped = ['held-out', 'held-out-6', 'held-out-10'].flatMap(splitWithinGroup);

  it.each([8, 24, 60])(
    "holds every ask split within one parameter or the definition's own fields padded with %i",
    (count) => {
      expect(grouped.length).toBeGreaterThan(0);
      const passed = grouped
        .filter(
          (item, index) => scanDefinition('tool', padded(item.definition, count, index * 31)).length === 0,
        )
        .map((item) => item.id);
      expect(passed).toEqual([]);
    },
  );

  it('does not hold a large honest definition: every honest parameter of a corpus in one tool', () => {
    const large = padded({ inputSchema: { type: 'object' } }, honest.length, 0);
    expect(
      scanDefinition('tool', { name: 'everything', description: 'Does many things.', ...large }),
    ).toEqual([]);
  });
});
