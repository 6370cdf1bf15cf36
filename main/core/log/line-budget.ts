// How many log lines one source (a connector's output) may write a minute, so a server that floods
// cannot push the rest of the log out of its size bound: past the budget its lines are counted, and
// the count is written once, when the next minute begins or the source ends.

/** What the budget says about one line: write it or not, and how many were held back before it. */
export interface BudgetTurn {
  write: boolean;
  /** Lines held back in the minute that just ended, to be said in one line now (0: none). */
  heldBack: number;
}

/** A per-minute budget of log lines for one source. */
export class LineBudget {
  readonly #perMinute: number;
  readonly #now: () => number;
  #windowStart: number;
  #written = 0;
  #heldBack = 0;

  constructor(perMinute: number, now: () => number) {
    this.#perMinute = perMinute;
    this.#now = now;
    this.#windowStart = now();
  }

  /** Takes one line from the budget. */
  take(): BudgetTurn {
    const now = this.#now();
    let heldBack = 0;
    if (now - this.#windowStart >= 60_000) {
      heldBack = this.#heldBack;
      this.#windowStart = now;
      this.#written = 0;
      this.#heldBack = 0;
    }
    if (this.#written < this.#perMinute) {
      this.#written += 1;
      return { write: true, heldBack };
    }
    this.#heldBack += 1;
    return { write: false, heldBack };
  }

  /** The lines held back and not yet said (at the source's end); counts them as said. */
  flush(): number {
    const heldBack = this.#heldBack;
    this.#heldBack = 0;
    return heldBack;
  }
}
