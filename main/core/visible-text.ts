// How Gatehouse shows text that someone else wrote — a registry's entry, a server's tool, prompt or
// instructions — before it reaches a terminal or the window: every character a person cannot see is
// written out in ⟦…⟧. One renderer for the catalog, first sight and the CLI. Imports nothing from Node.

// C0 and C1 controls (but tab and line breaks, which read as space in prose) and DEL; the soft hyphen,
// the combining grapheme joiner, Mongolian vowel separator; bidi marks, embeddings, overrides and
// isolates; zero-width spaces and joiners, word joiner and invisible operators, the BOM; line and
// paragraph separators; Hangul fillers; variation selectors; interlinear annotation marks.
const HIDDEN_CHARACTER = String.raw`[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u00ad\u034f\u061c\u115f\u1160\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\ufff9-\ufffb\u{e0100}-\u{e01ef}]`;
/** Unicode tag characters (U+E0000–E007F): invisible, read by a model as the ASCII they shadow. */
const TAG_RUN = /[\u{e0000}-\u{e007f}]+/gu;
// Each joiner and selector is matched alone, on purpose: that is what shows it.
// eslint-disable-next-line no-misleading-character-class
const HIDDEN = new RegExp(HIDDEN_CHARACTER, 'gu');
/** In a value that runs (a word of a command line, a URL), a tab or a line break hides things too. */
// eslint-disable-next-line no-misleading-character-class
const HIDDEN_IN_VALUES = new RegExp(`[\\t\\n\\r]|${HIDDEN_CHARACTER}|[\\u{e0000}-\\u{e007f}]`, 'gu');
/** Text with nothing outside printable ASCII, tab and line breaks: nothing to make visible in it. */
const PLAIN = /^[\t\n\r\x20-\x7e]*$/;
/** Blank runs this long push the rest of a line, or of the text, out of view ("line jumping"). */
const SPACE_RUN = /[ \t\u00a0\u2000-\u200a\u3000]{40,}/g;
const BLANK_LINES = /(?:[ \t]*\r?\n){12,}/g;

function codePoint(character: string): string {
  return `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** What a run of tag characters spells (the ASCII each one shadows; the begin/cancel tags spell nothing). */
function spelled(run: string): string {
  let out = '';
  for (const character of run) {
    const code = character.codePointAt(0)! - 0xe0000;
    if (code >= 0x20 && code <= 0x7e) out += String.fromCharCode(code);
  }
  return out;
}

/** One hidden character made visible: ⟦ESC⟧ for an escape, ⟦U+XXXX⟧ for any other. */
function shown(character: string): string {
  return character === '\u001b' ? '⟦ESC⟧' : `⟦${codePoint(character)}⟧`;
}

/**
 * `text` with every hidden character made visible: a run of tag characters as ⟦tags: "what it
 * spells"⟧, an escape as ⟦ESC⟧, any other as ⟦U+XXXX⟧, and long blank runs as ⟦N spaces⟧ or
 * ⟦N blank lines⟧. Tabs and line breaks stay (they read as space in prose).
 */
export function visibleText(text: string): string {
  if (PLAIN.test(text) && !/[ \t]{40,}|\n{12,}/.test(text)) return text;
  return text
    .replace(TAG_RUN, (run) => `⟦tags: "${spelled(run)}"⟧`)
    .replace(SPACE_RUN, (run) => `⟦${run.length} spaces⟧`)
    .replace(BLANK_LINES, (run) => `⟦${run.split('\n').length - 1} blank lines⟧\n`)
    .replace(HIDDEN, shown);
}

/** `text` as a value that runs (a command-line word, a URL): tabs and line breaks made visible too. */
export function visibleValue(text: string): string {
  if (PLAIN.test(text) && !/[\t\n\r]/.test(text)) return text;
  return text.replace(TAG_RUN, (run) => `⟦tags: "${spelled(run)}"⟧`).replace(HIDDEN_IN_VALUES, shown);
}

/** The hidden characters in a value that runs, each once, as U+XXXX; empty when there are none. */
export function hiddenCharacters(text: string): string[] {
  return [...new Set([...text.matchAll(HIDDEN_IN_VALUES)].map((match) => codePoint(match[0])))];
}
