// JSON paths in rule conditions: the forms accepted, and malformed ones refused with a sentence.
import { describe, expect, it } from 'vitest';
import { parseJsonPath } from '../../../main/core/policy/json-path.js';

describe('parseJsonPath', () => {
  it.each([
    ['$.path', ['path']],
    ['$.options.mode', ['options', 'mode']],
    ['$.items[0].name', ['items', 0, 'name']],
    ['$["a.b"][12]', ['a.b', 12]],
    // The $. a user leaves out: an argument's name alone, or a path from the root.
    ['city', ['city']],
    ['options.mode', ['options', 'mode']],
    ['items[0].name', ['items', 0, 'name']],
    ['["odd key"]', ['odd key']],
  ])('parses %s', (text, segments) => {
    expect(parseJsonPath(text)).toEqual(segments);
  });
  const example =
    'use an argument name like city, or a JSON path like $.path, $.options.mode or $.items[0].name';
  // The character counts in what the user wrote (a path without `$.` is read as if it had one).
  it.each([
    ['', 1],
    ['.x', 1],
    ['a b', 2],
    ['$.', 2],
    ['$..x', 2],
    ['$[01]', 2],
    ['$[-1]', 2],
    ['$.a b', 4],
    ['$[*]', 2],
  ])('refuses %s, saying where it goes wrong', (text, character) => {
    expect(parseJsonPath(text)).toBe(`path "${text}" is not valid at character ${character}; ${example}`);
  });
  it('refuses a path that names nothing, and one deeper than 32 levels', () => {
    expect(parseJsonPath('$')).toBe(`path "$" must name an argument; ${example}`);
    const deep = `$${'.a'.repeat(33)}`;
    expect(parseJsonPath(deep)).toBe(`path "${deep}" is deeper than 32 levels`);
  });
});

describe('parseJsonPath messages', () => {
  it('say where a path goes wrong in what the user wrote', () => {
    expect(parseJsonPath('city name')).toBe(
      'path "city name" is not valid at character 5; use an argument name like city, or a JSON path like $.path, $.options.mode or $.items[0].name',
    );
    expect(parseJsonPath('$.items[')).toBe(
      'path "$.items[" is not valid at character 8; use an argument name like city, or a JSON path like $.path, $.options.mode or $.items[0].name',
    );
  });
});
