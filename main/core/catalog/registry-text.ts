// Text from a registry is anyone's text: before it reaches a terminal or the window, the characters a
// person cannot see — control characters and terminal escapes, bidi overrides that reorder what is
// shown, zero-width and Unicode tag characters — are written out as ⟨U+XXXX⟩ so they can be seen.
// Imports nothing from Node (the window uses it too).

// C0 and C1 controls (but tab and line breaks, which read as space in prose) and DEL; bidi embeddings,
// overrides and isolates, the marks; zero-width spaces and joiners, word joiner and invisible
// operators, the BOM; line and paragraph separators; Hangul fillers; tag characters.
const HIDDEN =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u115f\u1160\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\u3164\ufeff\ufff9-\ufffb]|\udb40[\udc00-\udc7f]/g;
/** In a value that runs (a word of a command line, a URL), a tab or a line break hides things too. */
const HIDDEN_IN_VALUES = new RegExp(`[\\t\\n\\r]|${HIDDEN.source}`, 'g');

function codePoint(character: string): string {
  return `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** `text` with every hidden character shown as ⟨U+XXXX⟩ (a tab and a line break too). */
export function visibleText(text: string): string {
  return text.replace(HIDDEN, (character) => `⟨${codePoint(character)}⟩`);
}

/** `text` as a value that runs, with tabs and line breaks shown as ⟨U+XXXX⟩ as well. */
export function visibleValue(text: string): string {
  return text.replace(HIDDEN_IN_VALUES, (character) => `⟨${codePoint(character)}⟩`);
}

/** The hidden characters in a value that runs, each once, as U+XXXX; empty when there are none. */
export function hiddenCharacters(text: string): string[] {
  return [...new Set([...text.matchAll(HIDDEN_IN_VALUES)].map((match) => codePoint(match[0])))];
}
