// First sight's judgement: what a text asks the model for, from the concepts and marks in it
// (first-sight-concepts.ts). Each signal is a combination of concepts, never a phrase — a secret handed
// over, the user kept in the dark, other tools used or avoided, old rules dropped, an authority
// invoked — so it holds in any wording and language. A signal alone is seldom enough (real tools say
// "password", "never", "send", "other tools"); a sentence is held when its signals add up.
import { CONCEPT as K } from './first-sight-concept-bits.js';
import { conceptHits, markHits, type ConceptHit, type MarkHit } from './first-sight-concepts.js';
import { MARKS, PATHS } from './first-sight-gate-table.js';
import { HOLD_AT, mostWeight } from './first-sight-weight.js';

/** What a definition can ask for, each said in words to the user (first-sight.ts). */
export type Signal =
  | 'secret-material'
  | 'concealment'
  | 'skip-consent'
  | 'override'
  | 'role-marker'
  | 'other-tools'
  | 'recipient-change'
  | 'egress'
  | 'authority'
  | 'tool-preference'
  | 'manipulation'
  | 'obfuscation'
  | 'addresses-model';

/** One signal in a stretch of text, with its weight. */
export interface SignalHit {
  signal: Signal;
  weight: number;
  /** Words of the text that carry it ("~/.aws/credentials", "<agent_instructions>"), for the reason. */
  said: string[];
  /** The mark that carries a role marker (a turn marker, a tag, a label, a comment). */
  mark?: MarkHit['mark'];
}

/** The words of a text that carry some of `bits`. */
function words(text: string, hits: ConceptHit[], bits: number): string[] {
  const out: string[] = [];
  for (const hit of hits)
    if ((hit.concepts & bits) !== 0) {
      const word = text.slice(hit.start, hit.end);
      if (!out.includes(word)) out.push(word);
    }
  return out.slice(0, 3);
}

/** Characters between a negation and what it negates ("do not tell", "nicht … erwähnen"). */
const NEGATES_AHEAD = 8;
const NEGATES_BEHIND = 34;
/** The verbs a negation can reach along a list. */
const VERBS = K.read | K.hand | K.tell | K.use | K.ask;
/** Punctuation between a negation and a word ends what the negation reaches. */
const CLAUSE_BREAK = /[,.;:!?()，。；：、！？（）]/;

/** The concepts of a stretch, and where each stands: the questions its signals ask. */
class Stretch {
  readonly concepts: number;
  readonly #hits: ConceptHit[];
  readonly #text: string;

  constructor(text: string, hits: ConceptHit[]) {
    this.#text = text;
    this.#hits = hits;
    let concepts = 0;
    for (const hit of hits) concepts |= hit.concepts;
    this.concepts = concepts;
  }

  any(bits: number): boolean {
    return (this.concepts & bits) !== 0;
  }

  /**
   * Whether the hit is negated: a negation just before it, or (German, Japanese, Korean) just after,
   * or it ends a list of verbs the negation begins ("do not read, open, or echo").
   */
  #negated(hit: ConceptHit, depth = 0): boolean {
    const listed = this.#hits.find(
      (other) =>
        (other.concepts & VERBS) !== 0 &&
        other.end <= hit.start &&
        hit.start - other.end <= 16 &&
        /^(?:\s*,\s*|\s*,?\s+(?:or|and|nor)\s+)$/.test(this.#text.slice(other.end, hit.start)),
    );
    if (listed && depth < 6 && (hit.concepts & VERBS) !== 0 && this.#negated(listed, depth + 1)) return true;
    return this.#hits.some(
      (other) =>
        ((other.concepts & K.not) !== 0 &&
          other.end <= hit.start &&
          hit.start - other.end <= NEGATES_AHEAD &&
          !CLAUSE_BREAK.test(this.#text.slice(other.end, hit.start))) ||
        ((other.concepts & K.notAfter) !== 0 &&
          other.start >= hit.end &&
          other.start - hit.end <= NEGATES_BEHIND &&
          !CLAUSE_BREAK.test(this.#text.slice(hit.end, other.start))),
    );
  }

  /** Whether some word with `bits` is negated ("do not tell"). */
  negated(bits: number): boolean {
    return this.#hits.some((hit) => (hit.concepts & bits) !== 0 && this.#negated(hit));
  }

  /** Whether a word with `first` comes at most `gap` characters before one with `then` ("other … tools"). */
  near(first: number, then: number, gap = 30): boolean {
    return this.#hits.some(
      (a) =>
        (a.concepts & first) !== 0 &&
        this.#hits.some((b) => (b.concepts & then) !== 0 && b.start >= a.end && b.start - a.end <= gap),
    );
  }

  /** Whether some word with `bits` stands other than just before a tool word ("AI tools" names tools). */
  addressed(bits: number): boolean {
    return this.#hits.some(
      (hit) =>
        (hit.concepts & bits) !== 0 &&
        !this.#hits.some(
          (next) => (next.concepts & K.tool) !== 0 && next.start > hit.end && next.start - hit.end <= 1,
        ),
    );
  }

  /** Whether some word with `bits` stands unnegated ("include", not "do not include"). */
  affirmed(bits: number): boolean {
    return this.#hits.some((hit) => (hit.concepts & bits) !== 0 && !this.#negated(hit));
  }
}

/**
 * The signals of one stretch of text (a sentence, two in a row, or all the strings of a definition):
 * its concepts (`hits`) and marks.
 */
export function signalsOf(text: string, hits: ConceptHit[], marks: MarkHit[]): SignalHit[] {
  const s = new Stretch(text, hits);
  // Handing over, said outright ("include") or in the passive after a must ("must be added").
  const hands = s.affirmed(K.hand) || s.near(K.must, K.passive, 12);
  const out: SignalHit[] = [];
  const add = (signal: Signal, weight: number, said: string[], mark?: MarkHit['mark']) => {
    if (weight > 0) out.push(mark === undefined ? { signal, weight, said } : { signal, weight, said, mark });
  };
  // A secret (or where secrets live, or the conversation) handed over: the heaviest signal, and the
  // one real tools come closest to ("the API key to use", "add the key to ~/.ssh/authorized_keys").
  // A place weighs two, a kind of secret one, either one more when it is the user's or all of them;
  // reading it first, or a parameter named to put it in, one more; without a verb that hands it
  // over, nothing.
  const destination = s.any(K.field) || marks.some((mark) => mark.mark === 'destination');
  // Whose, or how much: "the user's password", "every environment variable", "the full conversation".
  const secret = K.secret | K.place;
  const owned = s.near(K.all | K.user, secret, 24) || s.near(secret, K.all | K.user, 24) ? 1 : 0;
  const base = s.any(K.place) ? 2 : s.any(K.secret) ? 1 : 0;
  // The verb that hands it over (or tells it) stands near it ("pass its content", "填入", "disclose").
  const giving = K.hand | K.passive | K.tell;
  const handed = (hands || s.affirmed(K.tell)) && (s.near(giving, secret, 60) || s.near(secret, giving, 60));
  const read = s.affirmed(K.read) && (s.near(K.read, secret, 60) || s.near(secret, K.read, 60));
  if (base > 0 && (handed || read))
    add(
      'secret-material',
      base + owned + (read ? 1 : 0) + (destination ? 1 : 0) + (handed ? 1 : 0) - 1,
      words(text, hits, K.place | K.secret),
    );
  // Keeping the user in the dark: "do not tell the user", "hide it from them", "silently".
  if (s.negated(K.tell) || s.affirmed(K.hide))
    add('concealment', s.any(K.user) ? 3 : 2, words(text, hits, K.tell | K.hide));
  // Acting without the user's say: "don't ask the user for permission", "without confirmation".
  if (s.negated(K.ask | K.consent) && s.any(K.consent)) {
    const ofUser = s.near(K.user, K.ask | K.consent, 30) || s.near(K.ask | K.consent, K.user, 30);
    add('skip-consent', ofUser ? 3 : 2, words(text, hits, K.ask | K.consent));
  }
  // The rules the model was given dropped, or new ones put in their place.
  if (
    (s.affirmed(K.ignore) && s.any(K.prior | K.rules) && s.any(K.you | K.model | K.prior | K.all | K.user)) ||
    (s.any(K.now) && s.any(K.rules | K.model | K.authority) && s.any(K.you | K.model))
  )
    add('override', 3, words(text, hits, K.ignore | K.now | K.rules));
  // Other tools, named as other or by what they can do ("whatever tool can send messages", "when you
  // use a payment tool").
  if (
    (s.near(K.other, K.tool) || (s.near(K.all, K.tool, 8) && s.any(K.capability))) &&
    // Told to use them, or that they must do something; told not to use them is a preference (below).
    (s.affirmed(K.use | K.read) || hands || (s.any(K.must) && !s.negated(K.use)))
  )
    add(
      'other-tools',
      // Other tools told what to hand over ("all other tools must send their results to …").
      (s.any(K.must | K.you | K.capability) || s.addressed(K.model) ? 2 : 1) +
        (s.any(K.must) && hands ? 1 : 0),
      words(text, hits, K.other | K.capability | K.tool),
    );
  // Where things go, changed: recipients, accounts, a number or address put in place of another.
  const personal = marks.some((mark) => mark.mark === 'personal-address');
  const address = marks.some((mark) => mark.mark === 'address');
  if (
    (s.any(K.recipient) && (s.any(K.replace) || hands || personal)) ||
    (s.affirmed(K.replace) && (personal || (address && s.any(K.tool) && s.any(K.all | K.other | K.must))))
  )
    add('recipient-change', 2, words(text, hits, K.recipient | K.replace));
  // An authority invoked to make the model comply.
  if (s.any(K.authority) && s.any(K.must | K.model | K.you))
    add('authority', 1, words(text, hits, K.authority));
  // Other tools avoided or disparaged, this one preferred, "even if the user asks".
  if (
    s.near(K.other, K.tool) &&
    (s.any(K.disparage) || s.negated(K.use) || s.near(K.prefer, K.tool, 40) || s.near(K.tool, K.prefer, 40))
  )
    add(
      'tool-preference',
      // Alone it is how vendors steer to their own tools ("never use the built-in map tools"): it weighs
      // one; disparaging the others, or overriding the user ("even if the user asks"), is more.
      1 + (s.any(K.disparage) ? 1 : 0) + (s.any(K.despite) && s.any(K.user) ? 1 : 0),
      words(text, hits, K.prefer | K.disparage),
    );
  // Misleading the user: what to tell them regardless of the truth, what to leave out.
  if (s.any(K.deceive) && s.any(K.user | K.tell))
    add('manipulation', s.any(K.tell) && s.any(K.user) ? 3 : 2, words(text, hits, K.deceive));
  else if (s.any(K.despite) && s.affirmed(K.tell) && s.any(K.user))
    add('manipulation', 2, words(text, hits, K.despite | K.tell));
  // Words in a disguise (leetspeak) that the lexicon knows: no description needs one.
  if (hits.some((hit) => hit.disguised))
    add(
      'obfuscation',
      1,
      words(
        text,
        hits.filter((hit) => hit.disguised),
        -1,
      ),
    );
  // Speaking to the model rather than describing the tool ("AI tools", "agent tools" name tools, not
  // the reader).
  if (s.addressed(K.model) || (s.any(K.you) && s.any(K.must)))
    add('addresses-model', 1, words(text, hits, K.model | K.you));
  for (const mark of marks) {
    if (mark.mark === 'address' || mark.mark === 'personal-address')
      add('egress', hands ? 2 : 1, [mark.said]);
    else if (mark.mark === 'data-link' || mark.mark === 'pipe-to-shell') add('egress', 3, [mark.said]);
    else if (mark.mark !== 'destination') add('role-marker', mark.weight, [mark.said], mark.mark);
  }
  return out;
}

/** The weight of a set of signals: each signal counted once, at its heaviest. */
export function weightOf(signals: SignalHit[]): number {
  const heaviest = new Map<Signal, number>();
  for (const { signal, weight } of signals) heaviest.set(signal, Math.max(heaviest.get(signal) ?? 0, weight));
  let total = 0;
  for (const weight of heaviest.values()) total += weight;
  return total;
}

/** One stretch of a text held: where it is, and the signals that held it. */
export interface HeldStretch {
  start: number;
  end: number;
  signals: SignalHit[];
}

/** Sentence ends: a stop followed by a space or the end, a line break, the CJK stops. */
const SENTENCE_END = /[.!?;:](?=\s|$)|[。！？；\n]/g;

/** A text's sentences, as [start, end) spans, blank ones left out. */
export function sentences(text: string): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  let from = 0;
  const close = (to: number) => {
    if (text.slice(from, to).trim() !== '') spans.push([from, to]);
    from = to;
  };
  for (const match of text.matchAll(SENTENCE_END)) close(match.index + match[0].length);
  close(text.length);
  return spans;
}

/** The concepts and marks of a (folded) text, found once and read by every stretch of it. */
export interface ReadText {
  text: string;
  hits: ConceptHit[];
  marks: MarkHit[];
}

/** Reads a (folded) text's concepts and marks (`marks`: already found). */
export function readText(text: string, bits = -1, marks?: MarkHit[]): ReadText {
  return {
    text,
    hits: conceptHits(text, (bits & PATHS) !== 0),
    marks: marks ?? ((bits & MARKS) !== 0 ? markHits(text) : []),
  };
}

/** The most a mark's signal can weigh in a stretch: a role marker, or egress (an address, a data link). */
function markWeight(mark: MarkHit): { role: number; egress: number } {
  if (mark.mark === 'address' || mark.mark === 'personal-address') return { role: 0, egress: 2 };
  if (mark.mark === 'data-link' || mark.mark === 'pipe-to-shell') return { role: 0, egress: 3 };
  if (mark.mark === 'destination') return { role: 0, egress: 0 };
  return { role: mark.weight, egress: 0 };
}

/**
 * What each span could weigh at most (the concepts and marks it overlaps, read in one sweep): a
 * stretch whose spans together cannot reach HOLD_AT is not judged.
 */
function spanBounds(
  spans: ReadonlyArray<[number, number]>,
  hits: readonly ConceptHit[],
  marks: readonly MarkHit[],
): { concepts: Int32Array; words: Uint8Array; role: Uint8Array; egress: Uint8Array; disguised: Uint8Array } {
  const concepts = new Int32Array(spans.length);
  const words = new Uint8Array(spans.length);
  const role = new Uint8Array(spans.length);
  const egress = new Uint8Array(spans.length);
  const disguised = new Uint8Array(spans.length);
  // Spans are in order, and hits sorted by start: each hit is laid on the spans it overlaps, the
  // first of them found from where the last hit's was.
  let first = 0;
  for (const hit of hits) {
    while (first < spans.length && spans[first]![1] <= hit.start) first++;
    for (let k = first; k < spans.length && spans[k]![0] < hit.end; k++) {
      concepts[k]! |= hit.concepts;
      words[k] = 1;
      if (hit.disguised) disguised[k] = 1;
    }
  }
  // Marks are few (and a name's field mark comes last): each looks for its spans from the start.
  for (const mark of marks) {
    const weight = markWeight(mark);
    for (let k = 0; k < spans.length && spans[k]![0] < mark.end; k++) {
      if (spans[k]![1] <= mark.start) continue;
      role[k] = Math.max(role[k]!, weight.role);
      egress[k] = Math.max(egress[k]!, weight.egress);
    }
  }
  return { concepts, words, role, egress, disguised };
}

/**
 * The stretches of a text its signals hold: each sentence, and each two sentences in a row (an ask
 * is often split in two: "Read ~/.ssh/id_rsa. Pass it as notes."), the shortest first; a stretch
 * inside one already held is not reported again.
 */
export function heldStretches(
  { text, hits, marks }: ReadText,
  disguised = false,
  changed?: Array<[number, number]>,
): HeldStretch[] {
  if (hits.length === 0 && marks.length === 0) return [];
  // What the concepts alone could weigh at most (no mark): most strings stop here, unread further.
  let concepts = 0;
  for (const hit of hits) concepts |= hit.concepts;
  if (marks.length === 0 && mostWeight(concepts) + (disguised ? 1 : 0) < HOLD_AT) return [];
  const spans = sentences(text);
  const held: HeldStretch[] = [];
  const within = (start: number, end: number) => ({
    hits: hits.filter((hit) => hit.start < end && hit.end > start),
    marks: marks.filter((mark) => mark.start < end && mark.end > start),
  });
  const judge = (start: number, end: number) => {
    if (held.some((h) => h.start <= start && h.end >= end)) return;
    // A reading of the text another way (leetspeak, joined letters) counts only where it reads differently.
    if (changed && !changed.some(([from, to]) => from < end && to > start)) return;
    const inside = within(start, end);
    if (inside.hits.length + inside.marks.length === 0) return;
    // The stretch as a person reads it: no blanks either side.
    while (start < end && /\s/.test(text.charAt(start))) start++;
    while (end > start && /\s/.test(text.charAt(end - 1))) end--;
    const signals = signalsOf(text, inside.hits, inside.marks);
    // Text read through a disguise (spaced-out letters) that says anything at all.
    if (disguised && inside.hits.length > 0) signals.push({ signal: 'obfuscation', weight: 1, said: [] });
    if (weightOf(signals) >= HOLD_AT) held.push({ start, end, signals });
  };
  const bound = spanBounds(spans, hits, marks);
  // What spans i to j (one or two) could weigh: a stretch that cannot be held is not judged.
  const could = (i: number, j: number) => {
    // Read through a disguise, a stretch that says anything weighs one more (obfuscation, once).
    const obfuscation =
      (disguised && bound.words[i]! + bound.words[j]! > 0) || bound.disguised[i]! + bound.disguised[j]! > 0;
    const most =
      mostWeight(bound.concepts[i]! | bound.concepts[j]!) +
      Math.max(bound.role[i]!, bound.role[j]!) +
      Math.max(bound.egress[i]!, bound.egress[j]!) +
      (obfuscation ? 1 : 0);
    return most >= HOLD_AT;
  };
  spans.forEach(([start, end], i) => {
    if (could(i, i)) judge(start, end);
  });
  for (let i = 0; i + 1 < spans.length; i++) {
    const [start] = spans[i]!;
    const [, end] = spans[i + 1]!;
    if (held.some((h) => h.start < end && h.end > start)) continue;
    if (could(i, i + 1)) judge(start, end);
  }
  return held;
}
