// First-sight scanning's gate: one pass over a string, in plain code, that says which rules could
// match it at all — a character outside printable ASCII or a long blank run (character rules), a word
// some phrase rule needs, a long base64/hex run. Real definitions almost never pass it, so the regex
// rules run on few strings and 5,000 tools scan within the first listing's budget (docs/benchmarks.md).

/** The phrase rules by group, as first-sight-phrases.ts tags them. */
export const PHRASE_GROUP = {
  role: 1,
  conceal: 2,
  override: 4,
  secret: 8,
  shadowing: 16,
  exfiltration: 32,
  encoded: 64,
  all: 127,
} as const;
const G = PHRASE_GROUP;

// The gate's answer is one number (no object per string: a big listing has hundreds of thousands):
// the phrase groups that could match (PHRASE_GROUP bits, only these run), and the two bits below.
/** A character the character rules look at, or a long blank run: the character rules run. */
export const GATE_CHARACTERS = 256;
/** A long blank run (spaces/tabs or blank lines) in ASCII: without one, the whitespace rule need not run. */
export const GATE_BLANKS = 512;

/**
 * Words that, alone, make a string worth a group of phrase rules (each group's rarest words). Word
 * forms are listed as the patterns take them (the gate reads whole words).
 */
const WORD_GROUPS: Array<[string, number]> = [
  [
    'tell tells telling mention mentions mentioning inform informs informing notify notifies notifying alert alerts alerting reveal reveals revealing disclose discloses disclosing conceal hide hidden upset scare scary alarm worry gentle visible',
    G.conceal,
  ],
  // "skip the previous rules", "drop the rules above", "pretend you are" (issue 18's review).
  ['ignore ignoring disregard forget bypass skip drop pretend precedence override overrides', G.override],
  [
    'ssh sshkey sshkeys rsa dsa ecdsa ed env envvars envvariables environment environmentvars environmentvariables aws npmrc netrc pgpass kube passwd shadow credentials credential password passwords secret secrets mnemonic wallet cookie cookies sidenote otherwise privatekey privatekeys systemprompt apikey apikeys sessiontoken sessiontokens seedphrase conversationhistory chathistory',
    G.secret,
  ],
  ['whenever invoked effect effects', G.shadowing],
  ['bcc exfiltrate exfiltration', G.exfiltration],
];

/**
 * Words that open the role-marker rules only at the start of a line (after blanks or #: "System:",
 * "## Instructions"); anywhere else the rules need a mark the gate sees (<, [) before them.
 */
const LINE_WORDS = 'system assistant human instruction instructions';

/**
 * The verbs a model is told to hand something over with (first-sight-phrases.ts builds its rules from
 * them). The exfiltration rule reads each with any ending ("adding", "sendmail"), so the gate does not
 * look them up as words: see SENDING_VERB.
 */
export const HAND_OVER_VERBS =
  'pass include send put insert append attach provide add copy paste embed forward upload post submit place report leak exfiltrate';
/** The verbs the exfiltration rule reads besides HAND_OVER_VERBS (before an address, with any ending). */
export const SENDING_VERBS = 'send forward bcc cc copy mail email transfer redirect route';

/**
 * A sending verb starting a word, as the exfiltration rule reads it (`\b(?:verbs)\w*`, and "change the
 * recipient"); an underscore counts as a word's start too, since a name's underscores become spaces.
 * (A character before it, not a lookbehind: V8 tries a lookbehind at every position.)
 * Tested only on a string with an address in it (a URL, four digits, an @), so it runs on few strings.
 */
const SENDING_VERB = new RegExp(
  `(?:^|[^A-Za-z0-9])(?:${`${HAND_OVER_VERBS} ${SENDING_VERBS} change`.split(' ').join('|')})`,
  'i',
);

/** Pairs of word sets that together make a group worth running: [first, second, group]. */
const WORD_PAIRS: Array<[string, string, number]> = [
  // Other tools or servers told what they must do ("all other tools must…", "tool should always"): shadowing.
  ['tool tools server servers function functions', 'must should required have', G.shadowing],
  // The user, and what the user should not see, know or be shown: concealment.
  [
    'user users anyone',
    'see know told notice find show shows showing explain explains explaining say says saying asking without keep',
    G.conceal,
  ],
  // Instructions said to be new or to come first: override.
  ['instruction instructions', 'new updated real true precedence priority', G.override],
  // A secret said in two words (api key, system prompt, mcp.json, chat history, content from reading),
  // and "important … side effect".
  [
    'api session seed docker content system mcp claude conversation chat private important',
    'key keys token tokens phrase phrases config reading prompt json history side',
    G.secret,
  ],
  // "When(ever) you use the X tool… / when X is called…", and a directive: shadowing.
  ['when whenever', 'must always never instead make ensure change replace redirect bcc cc', G.shadowing],
  // Rules said to apply to others, and "instead of the requested recipient": shadowing.
  ['rule rules instruction instructions requirement requirements', 'apply applies', G.shadowing],
  ['instead', 'recipient recipients address account destination', G.shadowing],
  // The model addressed with a new role: "you are now…", "from now on you…", "your new role is".
  ['you your', 'now new', G.override],
];

/** Words are hashed to 30 bits, a small integer V8 keeps unboxed; a collision only opens a group more. */
const HASH_BITS = 0x3fffffff;

function hash(word: string): number {
  let h = 0;
  for (let i = 0; i < word.length; i++) h = (Math.imul(h, 31) + word.charCodeAt(i)) & HASH_BITS;
  return h;
}

/**
 * Word hash → the groups it alone opens (low bits) and the pair halves it is (bits from 8 up), as an
 * open-addressed table in two typed arrays: a listing looks up a million words, nearly all unknown,
 * and an unknown word here costs one probe of an empty slot. A key is stored with bit 30 set (never 0).
 */
const TABLE_SIZE = 4096;
const TABLE_KEYS = new Int32Array(TABLE_SIZE);
const TABLE_BITS = new Int32Array(TABLE_SIZE);

function slot(h: number): number {
  const key = h | 0x40000000;
  let i = (h ^ (h >>> 12)) & (TABLE_SIZE - 1);
  while (TABLE_KEYS[i] !== 0 && TABLE_KEYS[i] !== key) i = (i + 1) & (TABLE_SIZE - 1);
  return i;
}

/** What a word (by hash) opens: 0 for a word the gate does not know. */
function wordBits(h: number): number {
  return TABLE_BITS[slot(h)]!;
}

const add = (word: string, bits: number) => {
  const i = slot(hash(word));
  TABLE_KEYS[i] = hash(word) | 0x40000000;
  TABLE_BITS[i]! |= bits;
};
for (const [words, group] of WORD_GROUPS) for (const word of words.split(' ')) add(word, group);
/** A LINE_WORDS word: opens the role rules when it starts a line. */
const LINE_BIT = 1 << 28;
for (const word of LINE_WORDS.split(' ')) add(word, LINE_BIT);
WORD_PAIRS.forEach(([first, second], i) => {
  for (const word of first.split(' ')) add(word, 1 << (8 + 2 * i));
  for (const word of second.split(' ')) add(word, 1 << (9 + 2 * i));
});
/** The longest word the gate knows: a longer word is not looked up. */
let LONGEST = 0;
for (const [words] of WORD_GROUPS)
  for (const word of words.split(' ')) LONGEST = Math.max(LONGEST, word.length);
for (const [first, second] of WORD_PAIRS)
  for (const word of `${first} ${second}`.split(' ')) LONGEST = Math.max(LONGEST, word.length);
for (const word of LINE_WORDS.split(' ')) LONGEST = Math.max(LONGEST, word.length);
/** An address in the string (a URL's http, four digits, an @): with a sending verb, exfiltration. */
const ADDRESS_BIT = 1 << 27;
for (const word of ['http', 'https']) add(word, ADDRESS_BIT);

/** Blank characters in a row, and blank lines in a row, that count as pushing text out of view. */
const SPACE_RUN = 40;
const BLANK_LINES = 12;
/** Base64/hex characters in a row that could hold an encoded sentence. */
const ENCODED_RUN = 32;

/**
 * Where the last gate() call's encoded runs (ENCODED_RUN or more of [A-Za-z0-9+/=_-]) start, so the
 * encoded rule tries only there: read with encodedRunStarts().
 */
const RUN_STARTS = new Int32Array(16);
let runCount = 0;

function noteRun(start: number): void {
  if (runCount < RUN_STARTS.length) RUN_STARTS[runCount] = start;
  runCount++;
}

/**
 * Where the encoded runs of the string last passed to gate() start, in order (undefined: more than
 * are kept). Every match of the encoded rule starts one (the character before a match is none of
 * the run's), so the rule need try nowhere else on that same text.
 */
export function encodedRunStarts(): Int32Array | undefined {
  return runCount <= RUN_STARTS.length ? RUN_STARTS.subarray(0, runCount) : undefined;
}

/**
 * Blank as the role rules' \s reads it (and as a name reads _ and -, which become spaces before the
 * phrase rules read a name): ASCII blanks and controls, and Unicode's spaces.
 */
function isBlank(c: number): boolean {
  return (
    c <= 32 ||
    c === 95 ||
    c === 45 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0xa0 ||
    c === 0x1680 ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** Reads a string once and says which rules could match it: PHRASE_GROUP bits, GATE_CHARACTERS, GATE_BLANKS. */
export function gate(text: string): number {
  let characters = false;
  let blanks = false;
  let flags = 0;
  let groups = 0;
  let h = 0;
  let wordLength = 0;
  let spaces = 0;
  let newlines = 0;
  let encoded = 0;
  runCount = 0;
  let digits = 0;
  let previous = 32;
  // Whether only blanks and # came since the line began, and whether the word at hand began so.
  let atLine = true;
  let wordAtLine = false;
  // The last character that was not blank (for "= {": a URL filling in data).
  let solid = 32;
  const length = text.length;
  for (let i = 0; i <= length; i++) {
    const c = i < length ? text.charCodeAt(i) : 32;
    // Two shortcuts for most of any text, each doing exactly what the full reading below would. A
    // space ends a word and an encoded run and lengthens a blank run; nothing else about it counts.
    if (c === 32) {
      if (wordLength > 0) {
        if (wordLength <= LONGEST) {
          const bits = wordBits(h);
          flags |= bits;
          if ((bits & LINE_BIT) !== 0 && wordAtLine) groups |= G.role;
        }
        h = 0;
        wordLength = 0;
      }
      // "< system>": a tag may open with blanks.
      if (previous === 60) groups |= G.role;
      encoded = 0;
      if (++spaces >= SPACE_RUN) blanks = true;
      previous = 32;
      continue;
    }
    // A run of letters not right after a mark that starts a rule (<, [, @): hashed as one word, one
    // letter at a time, and counted towards an encoded run; every other run ends.
    const letter = c | 32;
    if (letter >= 97 && letter <= 122 && previous !== 60 && previous !== 91 && previous !== 64) {
      wordAtLine = atLine;
      atLine = false;
      let next = i;
      do {
        h = (Math.imul(h, 31) + (text.charCodeAt(next) | 32)) & HASH_BITS;
        next++;
      } while (next < length && (text.charCodeAt(next) | 32) >= 97 && (text.charCodeAt(next) | 32) <= 122);
      wordLength += next - i;
      encoded += next - i;
      if (encoded >= ENCODED_RUN && encoded - (next - i) < ENCODED_RUN) {
        groups |= G.encoded;
        noteRun(next - encoded);
      }
      spaces = newlines = digits = 0;
      i = next - 1;
      previous = solid = text.charCodeAt(i);
      continue;
    }
    // Words: lower-case ASCII letters hashed as they come; the word ends at any other character.
    const lower = c >= 65 && c <= 90 ? c + 32 : c;
    const blank = isBlank(c);
    if (lower >= 97 && lower <= 122) {
      if (wordLength === 0) wordAtLine = atLine;
      h = (Math.imul(h, 31) + lower) & HASH_BITS;
      wordLength++;
    } else if (wordLength > 0) {
      if (wordLength <= LONGEST) {
        const bits = wordBits(h);
        flags |= bits;
        if ((bits & LINE_BIT) !== 0 && wordAtLine) groups |= G.role;
      }
      h = 0;
      wordLength = 0;
    }
    if (c === 10) atLine = true;
    else if (!blank && c !== 35) atLine = false;
    if (
      (c >= 48 && c <= 57) ||
      (c >= 65 && c <= 90) ||
      (c >= 97 && c <= 122) ||
      c === 43 ||
      c === 47 ||
      c === 61 ||
      c === 95 ||
      c === 45
    ) {
      // Slashes too: base64 has them, and text can be made to encode to one every few characters.
      if (++encoded === ENCODED_RUN) {
        groups |= G.encoded;
        noteRun(i + 1 - encoded);
      }
    } else encoded = 0;
    if (c === 32 || c === 9) {
      if (++spaces >= SPACE_RUN) blanks = true;
    } else {
      spaces = 0;
      if (c === 10) {
        if (++newlines >= BLANK_LINES) blanks = true;
      } else if (c !== 13) newlines = 0;
    }
    // A phone number or an IP address (1.2.3.4): four digits or more, apart from separators.
    if (c >= 48 && c <= 57) {
      if (++digits >= 4) flags |= ADDRESS_BIT;
    } else if (c !== 32 && c !== 46 && c !== 45 && c !== 43) digits = 0;
    if (c > 126 || (c < 32 && c !== 9 && c !== 10 && c !== 13)) characters = true;
    // Marks some rules start with: tags and role markers (<IMPORTANT>, <|im_start|>, [INST]), an email
    // address's @, an image (![), a URL that fills in data (={).
    else if (
      (previous === 60 && (lower === 47 || lower === 124 || (lower >= 97 && lower <= 122) || blank)) ||
      (previous === 91 && (lower === 105 || lower === 47))
    )
      groups |= G.role;
    else if (
      previous === 64 &&
      i >= 2 &&
      ((lower >= 97 && lower <= 122) || (c >= 48 && c <= 57) || c === 95 || c === 45)
    )
      flags |= ADDRESS_BIT;
    else if ((previous === 33 && c === 91) || (solid === 61 && (c === 123 || c === 36 || c === 60)))
      groups |= G.exfiltration;
    // "<\u3000system>" (the blank outside ASCII) is a tag too; the characters rules read such text folded.
    if (previous === 60 && blank) groups |= G.role;
    previous = c;
    if (!blank) solid = c;
    // The rest of a word, in a tight loop: a letter after a letter changes only the word's hash and the
    // encoded run (no mark starts there, and every other run is already reset), and most text is words.
    if (wordLength > 0) {
      let next = i + 1;
      while (next < length) {
        const letter = text.charCodeAt(next) | 32;
        if (letter < 97 || letter > 122) break;
        h = (Math.imul(h, 31) + letter) & HASH_BITS;
        next++;
      }
      if (next > i + 1) {
        wordLength += next - i - 1;
        encoded += next - i - 1;
        if (encoded >= ENCODED_RUN && encoded - (next - i - 1) < ENCODED_RUN) {
          groups |= G.encoded;
          noteRun(next - encoded);
        }
        i = next - 1;
        previous = solid = text.charCodeAt(i);
      }
    }
  }
  let phrases = (flags & 0xff) | groups;
  if ((flags & ADDRESS_BIT) !== 0 && (phrases & G.exfiltration) === 0 && SENDING_VERB.test(text))
    phrases |= G.exfiltration;
  // Only a string with a pair half in it looks at the pairs (a loop, not a closure per string).
  if (flags > 0xff)
    for (let i = 0; i < WORD_PAIRS.length; i++) {
      const both = 3 << (8 + 2 * i);
      if ((flags & both) === both) phrases |= WORD_PAIRS[i]![2];
    }
  return phrases | (characters || blanks ? GATE_CHARACTERS : 0) | (blanks ? GATE_BLANKS : 0);
}
