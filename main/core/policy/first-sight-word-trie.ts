// The lexicon's words and phrases of plain ASCII (first-sight-lexicon.ts) as a trie walked one
// character at a time with no string made: most words of most definitions fall out of it after a
// letter or two. The one pass over a string (first-sight-gate.ts) walks it for every word and phrase;
// the concept reading (first-sight-concepts.ts) for every word, with phrases and words of other
// scripts looked up afterwards.
import { lexiconIndex, type LexiconEntry } from './first-sight-lexicon.js';

/** Trie symbols: a–z, 0–9, "_", ".", and the gap between a phrase's words. */
export const SYMBOLS = 39;
/** The symbol between two words of a phrase ("api key" is a, p, i, GAP, k, e, y). */
export const GAP = 38;
/** No symbol: the character is not part of any word the trie holds. */
const NO_SYMBOL = 99;

function symbol(code: number): number {
  if (code >= 97 && code <= 122) return code - 97;
  if (code >= 65 && code <= 90) return code - 65;
  if (code >= 48 && code <= 57) return code - 48 + 26;
  if (code === 95) return 36;
  if (code === 46) return 37;
  return NO_SYMBOL;
}

/** What a code unit is to the tokenizer: part of a word, of a run written without spaces, or neither. */
export const WORD = 1;
/** Han, kana, Hangul: a run of them is read for every entry found anywhere in it. */
export const UNSPACED = 2;
/** Code units by class, worked out once each (a letter test per code unit is costly). */
const CLASS = new Uint8Array(65536);
const CLASSIFIED = new Uint8Array(65536);
const LETTER_OR_MARK = /[\p{L}\p{N}\p{M}]/u;

/** A code unit's class: WORD, UNSPACED or 0 (neither: it parts words). */
export function classOf(code: number): number {
  if (code < 128)
    return (code >= 97 && code <= 122) || (code >= 48 && code <= 57) || (code >= 65 && code <= 90) ? WORD : 0;
  if (CLASSIFIED[code] === 1) return CLASS[code]!;
  // Han, kana (and the long-vowel mark), Hangul: written without spaces.
  const unspaced =
    (code >= 0x1100 && code <= 0x11ff) ||
    (code >= 0x3040 && code <= 0x30ff) ||
    (code >= 0x3130 && code <= 0x318f) ||
    (code >= 0x31f0 && code <= 0x31ff) ||
    (code >= 0x3400 && code <= 0x4dbf) ||
    (code >= 0x4e00 && code <= 0x9fff) ||
    (code >= 0xac00 && code <= 0xd7af) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xff66 && code <= 0xff9f);
  const kind = unspaced
    ? UNSPACED
    : code >= 0xd800 && code <= 0xdfff
      ? 0
      : LETTER_OR_MARK.test(String.fromCharCode(code))
        ? WORD
        : 0;
  CLASS[code] = kind;
  CLASSIFIED[code] = 1;
  return kind;
}

/** A scratch array twice as long, holding what `array` held (the readers' per-word and per-sentence tables grow so). */
export function doubled<T extends Int32Array | Uint8Array>(array: T): T {
  const longer = new (array.constructor as new (length: number) => T)(array.length * 2);
  longer.set(array);
  return longer;
}

/**
 * The German heads a word of plain ASCII (`start`–`end` of `text`, nine letters or more) ends in, each
 * a hit as first-sight-concepts.ts finds one: read where the word stands, no string made for it. Only
 * the heads of plain ASCII can end it, and a head shorter than three letters is none (the lexicon
 * finds heads by their last three).
 */
export function asciiEndingHits(
  text: string,
  start: number,
  end: number,
  hits: Array<{ concepts: number; start: number; end: number }>,
): void {
  for (const { ending, concepts } of wordTrie().asciiEndings) {
    const from = end - ending.length;
    if (ending.length < 3 || from < start) continue;
    let same = true;
    for (let j = 0; same && j < ending.length; j++) {
      const c = text.charCodeAt(from + j);
      same = (c >= 65 && c <= 90 ? c + 32 : c) === ending.charCodeAt(j);
    }
    if (same) hits.push({ concepts, start, end });
  }
}

/** Each ASCII code's trie symbol (upper case read as lower; NO_SYMBOL: none). */
export const ASCII_SYMBOL = Uint8Array.from({ length: 128 }, (_, code) => symbol(code));

/** The trie, built from the lexicon on first use (an idle engine with no connector never builds it). */
export interface WordTrie {
  /** Node n's child for symbol y is next[n * SYMBOLS + y] (0: none). */
  next: Uint16Array;
  /** Per node: the concepts of a word, or (past a GAP) of a phrase, that ends there. */
  wordEnds: Int32Array;
  /** Per node: the concepts of a stem (a word's, or a phrase's last word's) that ends there. */
  stems: Int32Array;
  /** Per node: 1 when a phrase's first word ends there. */
  phraseNodes: Uint8Array;
  /** The phrases whose first word ends at a node. */
  phrases: ReadonlyMap<number, LexiconEntry[]>;
  /** Entries whose first word is not plain ASCII, by that word. */
  otherWords: ReadonlyMap<string, LexiconEntry[]>;
  /** One-word stems not of plain ASCII, by their first three letters. */
  otherStems: ReadonlyMap<string, LexiconEntry[]>;
  /** German compounds' heads of plain ASCII ("*werkzeug", "*passwort"): a long word ending in one carries its concepts. */
  asciiEndings: ReadonlyArray<{ ending: string; concepts: number }>;
}

let built: WordTrie | undefined;

/**
 * The word trie, built on the first call (synchronously, once) and kept: the building table (some
 * 5 MB) is dropped as soon as the trie is made.
 */
export function wordTrie(): WordTrie {
  built ??= buildTrie();
  return built;
}

const MAX_NODES = 32768;

/** Whether every character of `text` has a symbol (the trie can hold it). */
function spellable(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (symbol(text.charCodeAt(i)) === NO_SYMBOL) return false;
  return true;
}

function buildTrie(): WordTrie {
  const lexicon = lexiconIndex();
  const BUILDING = new Int32Array(MAX_NODES * SYMBOLS);
  /** Per node: concepts of a word (or phrase) that ends there, of a stem any word passing there starts with. */
  const BUILT_ENDS = new Int32Array(MAX_NODES);
  const BUILT_STEMS = new Int32Array(MAX_NODES);
  /** Per node: the phrases whose first word ends there. */
  const BUILT_PHRASES = new Map<number, LexiconEntry[]>();
  let nodes = 1;

  /** The node `text` leads to from `node`, made as needed (every character spellable). */
  const insert = (text: string, node = 0): number => {
    for (let i = 0; i < text.length; i++) {
      const at = node * SYMBOLS + symbol(text.charCodeAt(i));
      if (BUILDING[at] === 0) {
        if (nodes >= MAX_NODES) throw new Error('first-sight word trie is full');
        BUILDING[at] = nodes++;
      }
      node = BUILDING[at]!;
    }
    return node;
  };

  /** A phrase's whole path, its words apart by GAP; -1 when a word of it is not plain ASCII. */
  const insertPhrase = (words: readonly string[]): number => {
    if (!words.every(spellable)) return -1;
    let node = 0;
    words.forEach((word, w) => {
      if (w > 0) {
        const at = node * SYMBOLS + GAP;
        if (BUILDING[at] === 0) BUILDING[at] = nodes++;
        node = BUILDING[at]!;
      }
      node = insert(word, node);
    });
    return node;
  };

  /** Entries whose first word is not plain ASCII: looked up by the word itself. */
  const OTHER_WORD_ENTRIES = new Map<string, LexiconEntry[]>();
  const OTHER_STEM_ENTRIES = new Map<string, LexiconEntry[]>();
  for (const [key, entries] of lexicon.exact)
    for (const entry of entries) {
      if (!spellable(key)) {
        OTHER_WORD_ENTRIES.set(key, [...(OTHER_WORD_ENTRIES.get(key) ?? []), entry]);
        continue;
      }
      const node = insert(key);
      if (entry.words.length === 1 && !entry.stem) {
        BUILT_ENDS[node]! |= entry.concepts;
        continue;
      }
      BUILT_PHRASES.set(node, [...(BUILT_PHRASES.get(node) ?? []), entry]);
      // The whole phrase too, for the pass that walks phrases as it reads (first-sight-gate.ts).
      const end = insertPhrase(entry.words);
      if (end < 0) continue;
      if (entry.stem) BUILT_STEMS[end]! |= entry.concepts;
      else BUILT_ENDS[end]! |= entry.concepts;
    }
  for (const [key, entries] of lexicon.stems)
    for (const entry of entries) {
      if (!spellable(entry.words[0]!))
        OTHER_STEM_ENTRIES.set(key, [...(OTHER_STEM_ENTRIES.get(key) ?? []), entry]);
      else BUILT_STEMS[insert(entry.words[0]!)]! |= entry.concepts;
    }

  // Renumbered breadth first into arrays just large enough (node 0 the root, 0 also "no child": no
  // edge leads back to the root): the first letters of words, which every word reads, sit together.
  const order = [0];
  const renumbered = new Int32Array(nodes).fill(-1);
  renumbered[0] = 0;
  for (let k = 0; k < order.length; k++)
    for (let y = 0; y < SYMBOLS; y++) {
      const child = BUILDING[order[k]! * SYMBOLS + y]!;
      if (child !== 0 && renumbered[child] === -1) {
        renumbered[child] = order.length;
        order.push(child);
      }
    }
  if (order.length > 0xffff) throw new Error('first-sight word trie has too many nodes for its table');

  const next = new Uint16Array(order.length * SYMBOLS);
  order.forEach((node, n) => {
    for (let y = 0; y < SYMBOLS; y++)
      next[n * SYMBOLS + y] = renumbered[BUILDING[node * SYMBOLS + y]!]! & 0xffff;
  });
  return {
    next,
    wordEnds: Int32Array.from(order, (node) => BUILT_ENDS[node]!),
    stems: Int32Array.from(order, (node) => BUILT_STEMS[node]!),
    phraseNodes: Uint8Array.from(order, (node) => (BUILT_PHRASES.has(node) ? 1 : 0)),
    phrases: new Map([...BUILT_PHRASES].map(([node, entries]) => [renumbered[node]!, entries])),
    otherWords: OTHER_WORD_ENTRIES,
    otherStems: OTHER_STEM_ENTRIES,
    asciiEndings: [...lexicon.endings.values()]
      .flat()
      .filter((entry) => spellable(entry.words[0]!))
      .map((entry) => ({ ending: entry.words[0]!, concepts: entry.concepts })),
  };
}
