// The model's reading of a definition's strings together, as one text (first-sight-scoring.ts
// scoreTogether): an ask split across fields, read whole. What joins it, in what order, up to what bound,
// and that a listing's repeated strings join it as they would read fresh.
import { describe, expect, it } from 'vitest';
import {
  HeardStrings,
  scanDefinition,
  scannedDefinition,
  scanListedDefinition,
} from '../../../main/core/policy/first-sight.js';
import { TOGETHER_MAX_CHARS } from '../../../main/core/policy/first-sight-scan.js';

const tool = (properties: Record<string, unknown>, description = 'Looks up a word in the dictionary.') => ({
  name: 'lookup_word',
  description,
  inputSchema: { type: 'object', properties },
});

/** The strings read together, and each string as the model reads it alone. */
function readOf(definition: unknown): { together: string | undefined; strings: string[] } {
  const { texts } = scannedDefinition('tool', definition);
  return {
    together: texts.find((text) => text.together === true)?.text,
    strings: texts.filter((text) => text.together !== true).map((text) => text.text),
  };
}

describe("first sight's reading of a definition's strings together", () => {
  it('joins every string in the order it is read, the name as its words', () => {
    const { together, strings } = readOf(
      tool({ word: { type: 'string', description: 'The word to look up.', examples: ['serendipity'] } }),
    );
    expect(strings[0]).toBe('lookup word');
    expect(strings).toContain('The word to look up.');
    expect(strings).toContain('serendipity');
    expect(together).toBe(strings.join('\n'));
  });

  it('does not read a name and one sentence together: each is read alone already', () => {
    expect(readOf({ name: 'lookup_word', description: 'Looks up a word.' }).together).toBeUndefined();
    expect(readOf({ name: 'lookup_word', title: 'Lookup', description: 'Looks up a word.' }).together).toBe(
      'lookup word\nLookup\nLooks up a word.',
    );
  });

  it('reads at most its bound: strings past it add nothing, and the one that crosses it is cut', () => {
    const long = 'A word of the language, as the dictionary spells it. '.repeat(60);
    const first = readOf(tool({ word: { type: 'string', description: long } }));
    const more = readOf(
      tool({
        word: { type: 'string', description: long },
        language: { type: 'string', description: 'The language of the dictionary.' },
      }),
    );
    // The string that crosses the bound fills it to the character (line breaks between strings count).
    expect(first.together!.length).toBe(TOGETHER_MAX_CHARS);
    expect(first.together!.endsWith(long.trim())).toBe(false);
    expect(more.together).toBe(first.together);
    expect(more.strings).toContain('The language of the dictionary.');
  });

  it('reads a listing repeat from the memo as it reads it fresh', () => {
    // Every string of the second tool but its name was read in the first: what they join comes from the memo.
    const shared = {
      word: { type: 'string', description: 'The word to look up.' },
      language: { type: 'string', description: 'The language, as a code.', enum: ['en', 'de', 'fr'] },
    };
    const first = tool(shared);
    const second = { ...tool(shared), name: 'define_word' };
    const heard = new HeardStrings();
    expect(scanListedDefinition('tool', first, heard)).toEqual(scanDefinition('tool', first));
    expect(scanListedDefinition('tool', second, heard)).toEqual(scanDefinition('tool', second));
  });
});
