// The client, connector and tool globs of rules: `*` and `?` only, matched without backtracking so a
// hostile name cannot stall the gateway.

/** `*` (any run, possibly empty) and `?` (one code point), anchored at both ends. */
export class GlobMatcher {
  readonly #pattern: string[];
  readonly #ignoreCase: boolean;

  constructor(
    readonly source: string,
    ignoreCase: boolean,
  ) {
    this.#ignoreCase = ignoreCase;
    this.#pattern = Array.from(ignoreCase ? source.toLowerCase() : source);
  }

  /**
   * The classic two-pointer wildcard match: on a mismatch it retries only from the last `*`, so it
   * is O(pattern × subject) at worst, never exponential.
   */
  test(value: string): boolean {
    const text = Array.from(this.#ignoreCase ? value.toLowerCase() : value);
    const pattern = this.#pattern;
    let t = 0;
    let p = 0;
    let star = -1;
    let mark = 0;
    while (t < text.length) {
      if (p < pattern.length && (pattern[p] === '?' || pattern[p] === text[t])) {
        t++;
        p++;
      } else if (p < pattern.length && pattern[p] === '*') {
        star = p++;
        mark = t;
      } else if (star >= 0) {
        p = star + 1;
        t = ++mark;
      } else {
        return false;
      }
    }
    while (p < pattern.length && pattern[p] === '*') p++;
    return p === pattern.length;
  }
}
