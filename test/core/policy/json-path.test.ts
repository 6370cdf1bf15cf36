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
  it.each(['$', '', '.x', 'a b', '$.', '$..x', '$[01]', '$[-1]', '$.a b', '$[*]', `$${'.a'.repeat(33)}`])(
    'refuses %s',
    (text) => {
      expect(typeof parseJsonPath(text)).toBe('string');
    },
  );
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
