// Exposed names for aggregated tools and prompts: valid, ≤ 64 characters, deterministic under
// collisions, reversible, and every rename listed.
import { describe, expect, it } from 'vitest';
import { buildNameTable } from '../../../main/core/policy/tool-names.js';

const NAME = /^[A-Za-z0-9_-]{1,64}$/;

describe('buildNameTable', () => {
  it('prefixes plain names and routes them back', () => {
    const table = buildNameTable([
      { connector: 'github', name: 'create_issue' },
      { connector: 'filesystem', name: 'read_file' },
    ]);
    expect(table.entries).toEqual([
      { connector: 'filesystem', original: 'read_file', exposed: 'filesystem__read_file' },
      { connector: 'github', original: 'create_issue', exposed: 'github__create_issue' },
    ]);
    expect(table.byExposed.get('github__create_issue')).toEqual({
      connector: 'github',
      original: 'create_issue',
    });
    expect(table.exposedName('filesystem', 'read_file')).toBe('filesystem__read_file');
    expect(table.exposedName('filesystem', 'nope')).toBeUndefined();
    expect(table.renamed).toEqual([]);
  });

  const renames: Array<[name: string, exposed: string, reasons: string[]]> = [
    ['read file', 'fs__read_file', ['invalid-characters']],
    ['ファイル', 'fs_____', ['invalid-characters']],
    ['a.b/c:d', 'fs__a_b_c_d', ['invalid-characters']],
    ['😀', 'fs___', ['invalid-characters']],
    ['', 'fs___', ['invalid-characters']],
    ['x'.repeat(62), `fs__${'x'.repeat(53)}_`, ['too-long']],
  ];
  it.each(renames)('renames %j', (name, exposedStart, reasons) => {
    const table = buildNameTable([{ connector: 'fs', name }]);
    const exposed = table.exposedName('fs', name)!;
    expect(exposed).toMatch(NAME);
    expect(exposed.startsWith(exposedStart)).toBe(true);
    expect(table.renamed).toHaveLength(1);
    expect(table.renamed[0]!.reasons).toEqual(reasons);
    expect(table.byExposed.get(exposed)).toEqual({ connector: 'fs', original: name });
  });

  it('keeps exactly 64 characters, and cuts 65 with a hash of the original', () => {
    const exact = `${'a'.repeat(60)}`; // "fs__" + 60 = 64
    expect(buildNameTable([{ connector: 'fs', name: exact }]).exposedName('fs', exact)).toBe(`fs__${exact}`);
    const long = 'b'.repeat(61);
    const exposed = buildNameTable([{ connector: 'fs', name: long }]).exposedName('fs', long)!;
    expect(exposed).toHaveLength(64);
    expect(exposed).toMatch(/^fs__b{53}_[0-9a-f]{6}$/);
  });

  it('keeps long names with a common start apart, by hash', () => {
    const a = `${'x'.repeat(70)}_alpha`;
    const b = `${'x'.repeat(70)}_beta`;
    const table = buildNameTable([
      { connector: 'fs', name: a },
      { connector: 'fs', name: b },
    ]);
    expect(table.exposedName('fs', a)).not.toBe(table.exposedName('fs', b));
    expect(table.renamed.map((r) => r.reasons)).toEqual([['too-long'], ['too-long']]);
  });

  it('settles collisions the same way whatever order the catalog arrives in', () => {
    const items = [
      { connector: 'fs', name: 'read file' },
      { connector: 'fs', name: 'read_file' },
      { connector: 'fs', name: 'read.file' },
      { connector: 'fs', name: 'read_file_2' },
    ];
    const forward = buildNameTable(items);
    const backward = buildNameTable([...items].reverse());
    expect(backward.entries).toEqual(forward.entries);
    expect(forward.exposedName('fs', 'read_file')).toBe('fs__read_file');
    expect(forward.exposedName('fs', 'read_file_2')).toBe('fs__read_file_2');
    expect(forward.exposedName('fs', 'read file')).toBe('fs__read_file_3');
    expect(forward.exposedName('fs', 'read.file')).toBe('fs__read_file_4');
    expect(forward.renamed.map((r) => r.sentence)).toEqual([
      'fs "read file" is exposed as fs__read_file_3: characters other than letters, digits, _ and - became _; another tool already had that name, so a number was added.',
      'fs "read.file" is exposed as fs__read_file_4: characters other than letters, digits, _ and - became _; another tool already had that name, so a number was added.',
    ]);
  });

  it('separates the same name arriving from two connectors whose prefixes meet', () => {
    // "a_" + "__" + "b" and "a" + "__" + "_b" are both "a___b".
    const table = buildNameTable([
      { connector: 'a_', name: 'b' },
      { connector: 'a', name: '_b' },
    ]);
    expect(table.exposedName('a', '_b')).toBe('a___b');
    expect(table.exposedName('a_', 'b')).toBe('a___b_2');
    expect(table.byExposed.get('a___b_2')).toEqual({ connector: 'a_', original: 'b' });
  });

  it('never hands out a reserved name', () => {
    const table = buildNameTable([{ connector: 'gatehouse', name: 'whoami' }], {
      reserved: ['gatehouse__whoami'],
    });
    expect(table.exposedName('gatehouse', 'whoami')).toBe('gatehouse__whoami_2');
    expect(table.renamed[0]!.reasons).toEqual(['collision']);
  });

  it('keeps collision suffixes within 64 characters', () => {
    const names = Array.from({ length: 12 }, (_, i) => `${'z'.repeat(60)}${'!'.repeat(i + 1)}`);
    const table = buildNameTable(names.map((name) => ({ connector: 'fs', name })));
    const exposed = names.map((n) => table.exposedName('fs', n)!);
    expect(new Set(exposed).size).toBe(12);
    for (const e of exposed) expect(e).toMatch(NAME);
  });

  it('serves a duplicated upstream name once and reports the repeat', () => {
    const table = buildNameTable([
      { connector: 'fs', name: 'read_file' },
      { connector: 'fs', name: 'read_file' },
    ]);
    expect(table.entries).toHaveLength(1);
    expect(table.duplicates).toEqual([{ connector: 'fs', original: 'read_file' }]);
  });

  it('keeps names that contain __ routable', () => {
    const table = buildNameTable([{ connector: 'fs', name: 'a__b' }]);
    expect(table.byExposed.get('fs__a__b')).toEqual({ connector: 'fs', original: 'a__b' });
  });

  it('handles a large hostile catalog quickly, with every name unique and valid', () => {
    const items = Array.from({ length: 5_000 }, (_, i) => ({
      connector: 'fs',
      name: `${'☃'.repeat(i % 80)} ${i % 7}`,
    }));
    const started = performance.now();
    const table = buildNameTable(items);
    expect(performance.now() - started).toBeLessThan(5_000);
    const exposed = table.entries.map((e) => e.exposed);
    expect(new Set(exposed).size).toBe(table.entries.length);
    for (const e of exposed) expect(e).toMatch(NAME);
  });
});
