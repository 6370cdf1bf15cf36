// The values Gatehouse keeps sealed for its connectors, found exactly wherever they appear: as they
// are, URL-encoded, or base64-encoded (standard or URL-safe, alone or at any alignment inside a longer
// encoding such as a Basic credential). Exact, so it finds nothing else.
import type { SecretSpan } from './secret-shapes.js';

/** Values shorter than this are not searched for: they would be found in ordinary words. */
export const MIN_SEALED_LENGTH = 6;

/**
 * How one value can appear: itself, URL-encoded (`%20` or `+` for a space), and the base64 characters
 * that encode only its own bytes at each of the three alignments a longer encoding can put it at
 * (RFC 4648 §4, and §5's URL-safe alphabet), without the characters its neighbours share.
 */
function encodings(value: string): string[] {
  const found = new Set<string>([value]);
  const uri = encodeURIComponent(value);
  found.add(uri).add(uri.replace(/%20/g, '+'));
  const bytes = Buffer.from(value, 'utf8');
  for (const offset of [0, 1, 2]) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    // The 6-bit groups that lie wholly inside the value's bytes: bits [8·offset, 8·(offset+length)).
    const own = encoded.slice(Math.ceil((offset * 8) / 6), Math.floor(((offset + bytes.length) * 8) / 6));
    found.add(own).add(own.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return [...found].filter((encoding) => encoding.length >= MIN_SEALED_LENGTH);
}

/** Characters of a needle read at once; a needle is found by the one such gram it has at a sampled place. */
const GRAM = 4;

/** Slots of the gram filter (a power of two): most places in a text are passed on one array read. */
const FILTER_SLOTS = 1 << 16;

/** A hash of the GRAM characters of `text` from `at` (the caller makes sure they are there). */
function gramHash(text: string, at: number): number {
  let hash = text.charCodeAt(at);
  hash = (Math.imul(hash, 31) + text.charCodeAt(at + 1)) | 0;
  hash = (Math.imul(hash, 31) + text.charCodeAt(at + 2)) | 0;
  return (Math.imul(hash, 31) + text.charCodeAt(at + 3)) | 0;
}

/** Where the two characters of `text` from `at` fall in the pair filter (their low bytes). */
function pairSlot(text: string, at: number): number {
  return ((text.charCodeAt(at) & 0xff) << 8) | (text.charCodeAt(at + 1) & 0xff);
}

/** Where a gram's hash falls in the filter. */
function filterSlot(hash: number): number {
  return (hash ^ (hash >>> 16)) & (FILTER_SLOTS - 1);
}

/**
 * A set of sealed values, ready to be found in text: each value's encodings, found in one pass however
 * many there are. Every needle is at least `shortest` long, so an occurrence holds a whole gram that
 * starts at a multiple of `step` (shortest − GRAM + 1) at exactly one offset within it: the text's grams
 * are read only there, and each needle's grams at offsets 0 … step − 1 are indexed by hash; a hash that
 * matches is checked in full. Cost: about text length ÷ step hashes, not one search per needle.
 */
export class SealedValues {
  readonly #needles: string[];
  readonly #values: ReadonlySet<string>;
  readonly #step: number;
  /** The needles (index, offset) that have a gram of this hash at a sampled offset. */
  readonly #grams = new Map<number, Array<{ needle: number; offset: number }>>();
  readonly #filter = new Uint8Array(FILTER_SLOTS);
  /**
   * The first two characters of those grams (their low bytes): a place whose two are not among them is
   * passed on two character reads, before the gram is hashed.
   */
  readonly #pairs = new Uint8Array(1 << 16);

  constructor(values: Iterable<string>) {
    const kept = new Set<string>();
    for (const value of values) if (value.length >= MIN_SEALED_LENGTH) kept.add(value);
    this.#values = kept;
    // Longest first: where one encoding holds another, the longer one is the span.
    this.#needles = [...new Set([...kept].flatMap(encodings))].sort((a, b) => b.length - a.length);
    const shortest = this.#needles.at(-1)?.length ?? MIN_SEALED_LENGTH;
    this.#step = shortest - GRAM + 1;
    this.#needles.forEach((needle, index) => {
      for (let offset = 0; offset < this.#step; offset++) {
        const hash = gramHash(needle, offset);
        const entries = this.#grams.get(hash);
        if (entries) entries.push({ needle: index, offset });
        else this.#grams.set(hash, [{ needle: index, offset }]);
        this.#filter[filterSlot(hash)] = 1;
        this.#pairs[pairSlot(needle, offset)] = 1;
      }
    });
  }

  /** How many values it finds. */
  get size(): number {
    return this.#values.size;
  }

  /** Whether `value` is one of the sealed values, exactly. */
  has(value: string): boolean {
    return this.#values.has(value);
  }

  /**
   * Adds a span (kind `sealed-value`) for every place one of the values appears in `text`: per needle,
   * longest first, its occurrences left to right, each starting after the last one ended.
   */
  find(text: string, found: SecretSpan[]): void {
    if (this.#needles.length === 0) return;
    const hits: Array<{ needle: number; start: number }> = [];
    const last = text.length - GRAM;
    // Read into locals: the loop runs once per `step` characters of every text a call carries.
    const step = this.#step;
    const filter = this.#filter;
    const pairs = this.#pairs;
    for (let at = 0; at <= last; at += step) {
      if (pairs[pairSlot(text, at)] === 0) continue;
      const hash = gramHash(text, at);
      if (filter[filterSlot(hash)] === 0) continue;
      const entries = this.#grams.get(hash);
      if (entries === undefined) continue;
      for (const { needle, offset } of entries) {
        const start = at - offset;
        if (start >= 0 && text.startsWith(this.#needles[needle]!, start)) hits.push({ needle, start });
      }
    }
    if (hits.length === 0) return;
    hits.sort((a, b) => a.needle - b.needle || a.start - b.start);
    let needle = -1;
    let end = 0;
    for (const hit of hits) {
      if (hit.needle !== needle) [needle, end] = [hit.needle, 0];
      if (hit.start < end) continue;
      end = hit.start + this.#needles[needle]!.length;
      found.push({ kind: 'sealed-value', start: hit.start, end });
    }
  }
}

/** No sealed values (an engine with no connector, or a test). */
export const NO_SEALED_VALUES = new SealedValues([]);
