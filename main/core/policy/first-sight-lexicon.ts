// First sight's vocabulary: the concepts a deceptive definition is made of (a secret, the user, the
// model, telling, hiding, handing over, other tools, an old rule dropped, an authority invoked), each
// in the ten languages first sight reads (en es pt fr de it ru zh ja ko). A word stands for a concept,
// never for a sentence: first-sight-signals.ts combines concepts into what a definition asks for, so
// a paraphrase or a translation trips the same signal. Where secrets live on disk is read from
// secrets/secret-locations.ts (first-sight-concepts.ts).// The concepts are first-sight-concept-bits.ts; the words, in two halves, first-sight-lexicon-acts.ts
// (the actors and acts) and first-sight-lexicon-things.ts (what is asked for, and the rules bent).
import { ACT_WORDS } from './first-sight-lexicon-acts.js';
import { THING_WORDS } from './first-sight-lexicon-things.js';

/**
 * The lexicon: per concept, per language, words separated by spaces; `*` at the end of a word stands
 * for every word it starts (a stem: "contraseñ*", "пароль*"), at the start for every word it ends (a
 * German compound's head: "*werkzeug"); words joined by `+` are a phrase, read as
 * words in a row ("api+key", "from+now+on"). Chinese, Japanese and Korean entries are found anywhere in
 * a run of their script (they are written without spaces).
 */
const LEXICON: Array<[number, Record<string, string>]> = [...ACT_WORDS, ...THING_WORDS];

/** Languages written without spaces between words: their entries are found anywhere in a run. */
const UNSPACED = new Set(['zh', 'ja', 'ko']);

/** A word or phrase of the lexicon, compiled. */
export interface LexiconEntry {
  /** The words in a row, lower case; the last may be a stem. */
  words: string[];
  /** Whether the last word is a stem (`*`). */
  stem: boolean;
  concepts: number;
}

/** Entries by their first word (exact), and stems by their first three letters. */
export interface Lexicon {
  exact: Map<string, LexiconEntry[]>;
  stems: Map<string, LexiconEntry[]>;
  /** One-word endings (German compounds: "*werkzeug" is "Suchwerkzeug"), by their last three letters. */
  endings: Map<string, LexiconEntry[]>;
  /** Entries of unspaced languages, found as substrings, by their first character. */
  unspaced: Map<string, Array<{ text: string; concepts: number }>>;
}

function compile(): Lexicon {
  const lexicon: Lexicon = { exact: new Map(), stems: new Map(), endings: new Map(), unspaced: new Map() };
  const add = (spelled: string, concepts: number, unspaced: boolean) => {
    if (unspaced) {
      const text = spelled.replace(/\+/g, '').toLowerCase();
      const list = lexicon.unspaced.get(text.charAt(0)) ?? [];
      list.push({ text, concepts });
      lexicon.unspaced.set(text.charAt(0), list);
      return;
    }
    if (spelled.startsWith('*')) {
      const ending = spelled.slice(1).toLowerCase();
      const key = ending.slice(-3);
      lexicon.endings.set(key, [
        ...(lexicon.endings.get(key) ?? []),
        { words: [ending], stem: false, concepts },
      ]);
      return;
    }
    const stem = spelled.endsWith('*');
    const words = (stem ? spelled.slice(0, -1) : spelled)
      .toLowerCase()
      .split(/[+\-'’]/)
      .filter(Boolean);
    if (words.length === 0) return;
    const entry: LexiconEntry = { words, stem, concepts };
    // A one-word stem is looked up by its first three letters; every other entry by its first word.
    const index = stem && words.length === 1 ? lexicon.stems : lexicon.exact;
    const key = stem && words.length === 1 ? words[0]!.slice(0, 3) : words[0]!;
    const list = index.get(key) ?? [];
    // The same word in two languages, or in two concepts, is one entry with both concepts.
    const same = list.find((other) => other.stem === stem && other.words.join(' ') === words.join(' '));
    if (same) same.concepts |= concepts;
    else index.set(key, [...list, entry]);
  };
  for (const [concepts, languages] of LEXICON)
    for (const [language, words] of Object.entries(languages))
      for (const word of words.split(' ').filter(Boolean)) add(word, concepts, UNSPACED.has(language));
  return lexicon;
}

let compiled: Lexicon | undefined;

/** The compiled lexicon, compiled on the first call (an idle engine never needs it) and kept. */
export function lexiconIndex(): Lexicon {
  compiled ??= compile();
  return compiled;
}
