// First sight loaded on its first need, once: the scanner (first-sight.ts), its lexicon, word trie and
// learned model are some 8–11 MB resident, and an engine whose connectors list nothing new never needs
// them. A listing that brings a definition to judge waits for `load()` (connectors/runtime/
// connector-manager.ts), then the scan itself runs synchronously, on the main thread, as before. Until
// the load is done nothing new is judged clean: a definition asked about meanwhile is held as waiting,
// and if the load fails, every definition that needed judging is held with the reason.
// Only types are imported from the scanner here, so this module loads none of it.
import type * as Scanner from './first-sight.js';
import type { FirstSightFinding, FirstSightKind } from './first-sight-scan.js';

/** The scanner's module, as `import('./first-sight.js')` gives it. */
export type FirstSightScanner = typeof Scanner;

/** Where the load stands: not asked for yet, under way, done, or failed (for good, in this run). */
export type FirstSightState = 'not loaded' | 'loading' | 'loaded' | 'failed';

/** Judges one listing's definitions (a listing's repeated strings read once), each to its findings. */
export type ListingScan = (definition: unknown) => FirstSightFinding[];

/** The rule of a finding made without judging: first sight was not loaded (still loading, or failed). */
const NOT_JUDGED = 'not-judged';

/** Loads first sight once, on first need, and scans with it once loaded. */
export class FirstSightLoader {
  readonly #import: () => Promise<FirstSightScanner>;
  #state: FirstSightState = 'not loaded';
  #scanner: FirstSightScanner | undefined;
  #failure: string | undefined;
  #loading: Promise<void> | undefined;

  /** `load` is the import (tests hand a failing or a slow one). */
  constructor(load: () => Promise<FirstSightScanner> = () => import('./first-sight.js')) {
    this.#import = load;
  }

  get state(): FirstSightState {
    return this.#state;
  }

  /** Whether a scan now gives an answer: loaded, or failed (every definition then held, saying why). */
  get settled(): boolean {
    return this.#state === 'loaded' || this.#state === 'failed';
  }

  /** Loads first sight if it is not yet; resolves once it is loaded or has failed (never rejects). */
  load(): Promise<void> {
    this.#loading ??= this.#loadOnce();
    return this.#loading;
  }

  async #loadOnce(): Promise<void> {
    this.#state = 'loading';
    try {
      this.#scanner = await this.#import();
      this.#state = 'loaded';
    } catch (error) {
      this.#failure = error instanceof Error ? error.message : String(error);
      this.#state = 'failed';
    }
  }

  /**
   * A scan of one listing's definitions of `kind`; undefined until first sight is settled (the caller
   * waits for `load()` and asks again). After a failed load, every definition is held as not judged.
   */
  listing(kind: FirstSightKind): ListingScan | undefined {
    if (this.#state === 'failed') return () => [this.#notJudged(kind)];
    const scanner = this.#scanner;
    if (scanner === undefined) return undefined;
    const heard = new scanner.HeardStrings();
    return (definition) => scanner.scanListedDefinition(kind, definition, heard);
  }

  /**
   * One definition's findings (scanDefinition). Asked before first sight is settled, it starts the load
   * and holds the definition as waiting: `waiting` is then true, and the answer is not to be kept.
   */
  scan(kind: FirstSightKind, definition: unknown): { findings: FirstSightFinding[]; waiting: boolean } {
    const scan = this.listing(kind);
    if (scan !== undefined) return { findings: scan(definition), waiting: false };
    void this.load();
    return { findings: [this.#notJudged(kind)], waiting: true };
  }

  /** The finding that holds a definition first sight could not judge, and why. */
  #notJudged(kind: FirstSightKind): FirstSightFinding {
    const what = kind === 'instructions' ? 'These instructions' : `This ${kind.replace('-', ' ')}`;
    return {
      rule: NOT_JUDGED,
      reason:
        this.#state === 'failed'
          ? `${what} could not be checked on first sight: its scanner did not load (${this.#failure}). It is held until you review it.`
          : `${what} is held until first sight has checked it (its scanner is still loading).`,
      where: kind === 'instructions' ? 'instructions' : 'definition',
      excerpt: { before: '', match: '', after: '' },
    };
  }
}

/** Whether every finding is one made without judging (NOT_JUDGED): the definition was never read. */
export function notJudged(findings: readonly FirstSightFinding[] | null): boolean {
  return findings !== null && findings.length > 0 && findings.every((finding) => finding.rule === NOT_JUDGED);
}
