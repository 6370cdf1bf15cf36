// How first sight judges one string (first-sight.ts): the character rules, then what the string — and
// every other reading of it the gate calls for (joined letters, leetspeak, encodings) — asks of the
// model, stretch by stretch (first-sight-signals.ts), each held stretch a finding in words and
// evidence for the decision (an ask split across a definition's fields: first-sight-whole.ts).
import {
  blankRun,
  characterHits,
  foldedText,
  lookAlikeHits,
  mixedScriptHits,
  displayLetterHits,
  stackedMarkHits,
  notPlain,
  otherScript,
  type CharacterHit,
} from './first-sight-characters.js';
import { visibleText } from '../visible-text.js';
import { heldStretches, readText, weightOf, type Signal, type SignalHit } from './first-sight-signals.js';
import { HOLD_AT } from './first-sight-weight.js';
import {
  decodedViews,
  joinedView,
  mayHaveGroups,
  SHIFTED_MIN,
  spacedLetterHits,
  spacedRunsIn,
  upsideDownView,
  type View,
} from './first-sight-views.js';
import {
  fieldOf,
  hardHold,
  ownProperty,
  type EvidenceField,
  type EvidenceView,
} from './first-sight-decision.js';
import { gate, mayHoldWith, passed } from './first-sight-gate.js';
import {
  BLANK_RUN,
  ESCAPES,
  LEET,
  LONG_RUN,
  MARKS,
  NAME_PARTS,
  NOT_PLAIN,
  OTHER_SCRIPT,
  PATHS,
  REVERSED,
  ROT13,
  SPACED,
} from './first-sight-gate-table.js';
import { markHits, masked, placeHits, unleetText, type MarkHit } from './first-sight-concepts.js';
import {
  capitalised,
  excerpt,
  keep,
  MAX_MATCH,
  nameWords,
  push,
  whereNow,
  type Scan,
} from './first-sight-scan.js';
import { scoreDecoded, scoreParts, scoreString } from './first-sight-scoring.js';

/** A gate() answer that calls for every reading. */
const EVERY_READING = -1;

/** What each signal asks of the model, in words (a verb each: "asks the AI to …"). */
const SIGNAL_WORDS: Record<Signal, string> = {
  'secret-material': 'asks the AI to hand over secrets or the conversation',
  concealment: 'asks the AI to keep something from you',
  'skip-consent': 'asks the AI to act without asking you',
  override: 'tells the AI to drop the instructions it was given',
  'role-marker': 'addresses the AI with a tag, comment or role marker',
  'other-tools': 'tells the AI what to do with other tools',
  'recipient-change': 'asks the AI to change where things are sent',
  egress: 'sends data to an outside address',
  authority: 'invokes an authority to make the AI comply',
  'tool-preference': 'tells the AI to avoid or distrust other tools',
  manipulation: 'asks the AI to mislead you',
  obfuscation: 'disguises its words (leetspeak, spaced-out letters) so they pass unread',
  'addresses-model': 'speaks to the AI rather than describing the tool',
};

/** A signal's reason: what it asks for, and the words that carry it. */
export function signalReason(hit: SignalHit): string {
  const said = hit.said.map((word) => `"${visibleText(word.length > 80 ? `${word.slice(0, 80)}…` : word)}"`);
  return `${SIGNAL_WORDS[hit.signal]}${said.length > 0 ? ` (${said.join(', ')})` : ''}`;
}

/** The findings of a stretch of text held for its signals, one per signal (the heaviest first). */
export function pushSignals(
  scan: Scan,
  where: string,
  text: string,
  start: number,
  end: number,
  signals: SignalHit[],
  { field, view }: { field: EvidenceField; view: EvidenceView },
): void {
  const stretch = weightOf(signals);
  const seen = new Set<Signal>();
  for (const hit of [...signals].sort((a, b) => b.weight - a.weight)) {
    if (seen.has(hit.signal)) continue;
    seen.add(hit.signal);
    // The sentence that asked it — or, for a mark (a tag, a link), the mark itself.
    const mark = MARK_SIGNALS.has(hit.signal) && hit.said[0] ? text.indexOf(hit.said[0], start) : -1;
    const [from, to] =
      mark >= 0 && mark < end
        ? [mark, mark + hit.said[0]!.length]
        : [start, Math.min(end, start + MAX_MATCH)];
    push(
      scan,
      {
        rule: hit.signal,
        reason: `${capitalised(where)} ${signalReason(hit)}.`,
        where,
        excerpt: excerpt(text, from, to),
      },
      {
        rule: hit.signal,
        weight: hit.weight,
        stretch,
        field,
        view,
        own: ownProperty(scan.path, hit.said),
        hard: hardHold(hit.signal, view, hit.mark),
      },
    );
  }
}

/** The signals a mark carries: their finding shows the mark, not the whole sentence. */
const MARK_SIGNALS = new Set<Signal>(['role-marker', 'egress']);

/** Reads one string: the character rules, then what it (and every other reading of it) asks for. */
export function scanString(scan: Scan, text: string, name: boolean): void {
  // A text that folding changes (another language's spaces and quotes, look-alikes) is read by the
  // gate as folded: of the text as written, the character rules need only its bits for blanks and for
  // letters outside ASCII (where a word may mix scripts), each read alone.
  const refolded = name || scan.everyReading || !notPlain(text) ? undefined : foldedText(text);
  const gated = scan.everyReading
    ? EVERY_READING
    : refolded !== undefined && refolded !== text
      ? NOT_PLAIN | (blankRun(text) ? BLANK_RUN : 0) | (otherScript(text) ? OTHER_SCRIPT : 0)
      : gate(text, name);
  if ((gated & (NOT_PLAIN | BLANK_RUN)) !== 0)
    for (const hit of characterHits(text, (gated & BLANK_RUN) !== 0))
      pushCharacterHit(scan, hit, text, 'Hidden');
  // A name's every look-alike character counts; other text's only in a word that mixes scripts (a
  // letter outside ASCII there: OTHER_SCRIPT), or in words written in letters kept for display (a
  // circled letter is no letter of a script: NOT_PLAIN alone).
  const lookAlikes =
    (gated & NOT_PLAIN) === 0
      ? []
      : name
        ? lookAlikeHits(text)
        : [
            ...((gated & OTHER_SCRIPT) !== 0 ? mixedScriptHits(text) : []),
            ...displayLetterHits(text),
            ...stackedMarkHits(text),
          ];
  for (const hit of lookAlikes) pushCharacterHit(scan, hit, text, hit.heading ?? 'Look-alike');
  // A name is read as its words ("sendEmail" as "send Email"), and judged as the field the model
  // fills: what it names goes there (a property called "content_from_reading_ssh_id_rsa" asks for that
  // file); names do not join the definition's whole.
  const words = name && (gated & NAME_PARTS) !== 0 ? nameWords(text) : text;
  const folded = refolded ?? ((gated & NOT_PLAIN) !== 0 ? foldedText(words) : words);
  if (scan.everyReading) {
    judge(scan, folded, { kept: !name, bits: gated, field: name });
    const payloads = readViews(scan, folded, gated, text, gated);
    // The model reads the concepts the gate's pass finds (code and links left out), as a scan does.
    if ((gate(folded, name) & MARKS) !== 0) gate(masked(folded), name);
    scoreString(scan, text, folded, passed.concepts, name);
    scoreParts(scan, text, folded, name);
    for (const view of payloads) scoreDecoded(scan, view.how, view.payload!);
    return;
  }
  // Folding can bring in what the gate did not see (a full-width "＜"): the gate reads the folded text.
  const bits = folded === text ? gated : gate(folded, name);
  // The gate's pass read every word and phrase of it (unless another script's: OTHER_SCRIPT). Unless a
  // sentence (or two) could be held with its marks, or it names a place secrets live, nothing more
  // need be read of it.
  let marks: MarkHit[] | undefined;
  if ((bits & MARKS) !== 0) {
    // Code and links are not read as words: the concepts are those of the text without them.
    const unmasked = masked(folded);
    if (unmasked !== folded) gate(unmasked, name);
    marks = markHits(folded);
  }
  scoreString(scan, text, folded, passed.concepts, name);
  const mayHold = marks === undefined ? passed.mayHold : mayHoldWith(marks);
  if (mayHold || ((bits & PATHS) !== 0 && placeHits(folded).length > 0))
    judge(scan, folded, { kept: !name, bits, field: name, marks });
  else if (!name && (passed.concepts !== 0 || (marks !== undefined && marks.length > 0)))
    keep(scan, { text: folded, concepts: passed.concepts, hits: undefined, marks: marks ?? [], bits });
  const payloads = readViews(scan, folded, bits, text, gated);
  scoreParts(scan, text, folded, name);
  // What an encoding hid is scored as a string of the same field: the model reads it too.
  for (const view of payloads) scoreDecoded(scan, view.how, view.payload!);
}

/**
 * A character rule's finding (hidden characters, look-alikes, display letters, stacked marks, spaced
 * letters): said as `heading` in the field being read, with its stretch of `text`, and as heavy for the
 * layer as a held stretch.
 */
function pushCharacterHit(scan: Scan, hit: CharacterHit, text: string, heading: string): void {
  push(
    scan,
    {
      rule: hit.rule,
      reason: `${heading} in ${whereNow(scan)}: ${hit.reason}.`,
      where: whereNow(scan),
      excerpt: excerpt(text, hit.start, hit.end),
    },
    {
      rule: hit.rule,
      weight: HOLD_AT,
      stretch: HOLD_AT,
      field: fieldOf(scan.path, scan.note),
      view: 'written',
      own: false,
      hard: hardHold(hit.rule, 'written', undefined),
    },
  );
}

/**
 * Three words or more written in full-width Latin letters ("Ｒｅａｄ ｔｈｅ ｋｅｙ"): no description
 * needs them. Chinese, Japanese and Korean text writes an abbreviation so ("ＡＰＩ"), not a sentence.
 */
const FULL_WIDTH_WORDS =
  /[\uff21-\uff3a\uff41-\uff5a][\uff21-\uff3a\uff41-\uff5a\uff0e\uff20\uff0d\uff07\u00c0-\u024f]*(?:[\u3000 ]+[\uff21-\uff3a\uff41-\uff5a\uff0e\uff20\uff0d\uff07][\uff21-\uff3a\uff41-\uff5a\uff0e\uff20\uff0d\uff07\u00c0-\u024f]*){2,}/gu;

/**
 * Judges the other readings of a (folded) string that its gate bits call for: joined letters, leetspeak,
 * encodings, and words written in full-width letters (`written`: the string as written; `writtenBits`: its
 * own gate bits, which say whether it may be written upside down). Returns the
 * readings for the model to score as strings of the field once the string's own score is noted: the
 * decoded views that really hid words (each a finding of its own), and letters joined up or leetspeak
 * read back where two words or more were.
 */
function readViews(scan: Scan, folded: string, bits: number, written: string, writtenBits: number): View[] {
  const scored: View[] = [];
  if ((bits & SPACED) !== 0) {
    const runs = spacedRunsIn(folded);
    for (const hit of spacedLetterHits(folded, runs)) pushCharacterHit(scan, hit, folded, hit.heading!);
    const joined = joinedView(folded, runs);
    if (joined) {
      judge(scan, joined.text, { how: joined.how, disguised: true, changed: joined.changed });
      scored.push({ ...joined, payload: joined.text });
    }
  }
  if ((bits & LEET) !== 0) {
    const unleeted = unleetText(folded);
    if (unleeted) {
      const how = 'leetspeak read back';
      judge(scan, unleeted.text, { how, disguised: true, changed: unleeted.changed });
      if (unleeted.changed.length >= 2)
        scored.push({ how, text: unleeted.text, start: 0, end: folded.length, payload: unleeted.text });
    }
  }
  if (written !== folded && written.includes('\u3000')) {
    // Folding made them ASCII: the words they spell are judged as disguised ones.
    const wide = [...written.matchAll(FULL_WIDTH_WORDS)];
    if (wide.length > 0)
      judge(scan, folded, {
        how: 'full-width letters read',
        disguised: true,
        changed:
          written.length === folded.length
            ? wide.map((match) => [match.index, match.index + match[0].length] as [number, number])
            : undefined,
      });
  }
  const shifts = (bits & ROT13) !== 0 && folded.length >= SHIFTED_MIN;
  const backwards = (bits & REVERSED) !== 0 && folded.length >= SHIFTED_MIN;
  // Upside-down letters are read as written: folding makes look-alikes of some of them ("ɯ" a "w"). They
  // are all outside ASCII, which the written text's gate bits say.
  const turned = (writtenBits & NOT_PLAIN) !== 0 ? upsideDownView(written) : undefined;
  const views = turned === undefined ? [] : [{ view: turned, from: written }];
  const groups = mayHaveGroups(folded);
  if ((bits & (LONG_RUN | ESCAPES)) !== 0 || shifts || backwards || groups)
    for (const view of decodedViews(folded, (bits & LONG_RUN) !== 0, shifts, backwards, groups))
      views.push({ view, from: folded });
  const payloads: View[] = [];
  for (const { view, from } of views) {
    if (view.payload !== undefined) {
      payloads.push(view);
      push(
        scan,
        {
          rule: 'encoded-payload',
          reason: `${capitalised(whereNow(scan))} hides text in an encoding (${view.how}: "${visibleText(view.payload.slice(0, 120).replace(/\s+/g, ' '))}").`,
          where: whereNow(scan),
          excerpt: excerpt(from, view.start, view.end),
        },
        {
          rule: 'encoded-payload',
          weight: 1,
          stretch: 1,
          field: fieldOf(scan.path, scan.note),
          view: 'decoded',
          own: false,
          hard: false,
        },
      );
    }
    judge(scan, foldedText(view.text), { how: view.how, disguised: true });
  }
  return [...payloads, ...scored];
}

/** How a text is judged (judge). */
interface Judging {
  /** How the string at hand was read to give this text (undefined: as written). */
  how?: string;
  /** Kept for the definition as a whole (a string as written, not a name). */
  kept?: boolean;
  /** Read through a disguise (leetspeak, joined letters, an encoding). */
  disguised?: boolean;
  /** Where a reading differs from the text as written: only stretches there are judged. */
  changed?: Array<[number, number]>;
  /** The gate's bits for the text (-1: every reading). */
  bits?: number;
  /** A name: judged as the field the model fills. */
  field?: boolean;
  /** The marks of the text, when already found. */
  marks?: MarkHit[];
}

/** Judges a (folded) text's stretches, and keeps what it names for the definition as a whole. */
function judge(
  scan: Scan,
  text: string,
  { how, kept = false, disguised = false, changed, bits = -1, field = false, marks }: Judging,
): void {
  const readOf = readText(text, bits, marks);
  if (field)
    readOf.marks = [
      ...readOf.marks,
      { mark: 'destination', weight: 0, start: 0, end: text.length, said: '' },
    ];
  for (const stretch of heldStretches(readOf, disguised, changed)) {
    const where = how === undefined ? whereNow(scan) : `${whereNow(scan)} (${how})`;
    pushSignals(scan, where, text, stretch.start, stretch.end, stretch.signals, {
      field: fieldOf(scan.path, scan.note),
      view: how === undefined ? 'written' : how.includes('decoded') ? 'decoded' : 'disguised',
    });
  }
  if (!kept || (readOf.hits.length === 0 && readOf.marks.length === 0)) return;
  let concepts = 0;
  for (const hit of readOf.hits) concepts |= hit.concepts;
  keep(scan, { ...readOf, concepts, bits });
}
