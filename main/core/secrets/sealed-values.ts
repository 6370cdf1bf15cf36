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

/**
 * A set of sealed values, ready to be found in text: each value's encodings, searched for one by one
 * (a string search per encoding: there are few, and each is long and specific).
 */
export class SealedValues {
  readonly #needles: string[];
  readonly #values: ReadonlySet<string>;

  constructor(values: Iterable<string>) {
    const kept = new Set<string>();
    for (const value of values) if (value.length >= MIN_SEALED_LENGTH) kept.add(value);
    this.#values = kept;
    // Longest first: where one encoding holds another, the longer one is the span.
    this.#needles = [...new Set([...kept].flatMap(encodings))].sort((a, b) => b.length - a.length);
  }

  /** How many values it finds. */
  get size(): number {
    return this.#values.size;
  }

  /** Whether `value` is one of the sealed values, exactly. */
  has(value: string): boolean {
    return this.#values.has(value);
  }

  /** Adds a span (kind `sealed-value`) for every place one of the values appears in `text`. */
  find(text: string, found: SecretSpan[]): void {
    for (const needle of this.#needles) {
      if (needle.length > text.length) continue;
      for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + needle.length)) {
        found.push({ kind: 'sealed-value', start: at, end: at + needle.length });
      }
    }
  }
}

/** No sealed values (an engine with no connector, or a test). */
export const NO_SEALED_VALUES = new SealedValues([]);
