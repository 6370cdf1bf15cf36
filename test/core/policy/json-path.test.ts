// JSON paths in rule conditions: the forms accepted, and malformed ones refused with a sentence.
import { describe, expect, it } from 'vitest';
import { parseJsonPath } from '../../../main/core/policy/json-path.js';

describe('parseJsonPath', () => {
  it.each([
    ['$.path', ['path']],
    ['$.options.mode', ['options', 'mode']],
    ['$.items[0].name', ['items', 0, 'name']],
    ['$["a.b"][12]', ['a.b', 12]],
  ])('parses %s', (text, segments) => {
    expect(parseJsonPath(text)).toEqual(segments);
  });
  it.each(['$', 'path', '$.', '$..x', '$[01]', '$[-1]', '$.a b', '$[*]', `$${'.a'.repeat(33)}`])(
    'refuses %s',
    (text) => {
      expect(typeof parseJsonPath(text)).toBe('string');
    },
  );
});
