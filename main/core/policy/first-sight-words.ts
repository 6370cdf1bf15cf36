// First-sight scanning's vocabulary: the words the phrase rules are written with, compiled once at
// module load into a trie over case-folded ASCII letters that the gate (first-sight-gate.ts) walks one
// letter at a time. A word's node says which rule groups it opens (alone or as half of a pair) and
// which rules can start at it, so the rules run only where their own words occur.

/** The phrase rules by group (first-sight-phrases.ts tags each rule with one): only open groups run. */
export const PHRASE_GROUP = {
  role: 1,
  conceal: 2,
  override: 4,
  secret: 8,
  shadowing: 16,
  exfiltration: 32,
  encoded: 64,
  /** The image-or-link rule: an image (`![`) or a URL filling in data (`={`). */
  link: 128,
  all: 255,
} as const;
const G = PHRASE_GROUP;

/**
 * Each phrase rule that starts at a word or mark, by the bit its start words carry: the rule is tried
 * (sticky) only where one of them occurred. A rule without one reads its whole string.
 */
export const RULE_START = {
  /** Tags and role markers: at `<`, `[`, a line's start. */
  role: 1,
  conceal: 2,
  override: 4,
  newRole: 8,
  secret: 16,
  hiddenStep: 32,
  shadowing: 64,
  exfiltration: 128,
} as const;
const R = RULE_START;

/** The verbs a model is told to hand something over with (first-sight-phrases.ts builds rules from them). */
export const HAND_OVER_VERBS =
  'pass include send put insert append attach provide add copy paste embed forward upload post submit place report leak exfiltrate';
/** The verbs the exfiltration rule reads besides HAND_OVER_VERBS, before an address. */
export const SENDING_VERBS = 'send forward bcc cc copy mail email transfer redirect route';

/**
 * A verb and its inflections, as the rules read it ("add", "adds", "added", "adding"; "place",
 * "placed", "placing"; "copy", "copies", "copied"; "submit", "submitted") — never a longer word it
 * starts ("address", "provider", "password", "postgres").
 */
function verbForms(verb: string): string[] {
  const forms = [verb];
  const last = verb.charAt(verb.length - 1);
  if (last === 'e') {
    const stem = verb.slice(0, -1);
    forms.push(`${verb}s`, `${verb}d`, `${stem}ing`);
  } else if (last === 'y' && !/[aeiou]y$/.test(verb)) {
    const stem = verb.slice(0, -1);
    forms.push(`${stem}ies`, `${stem}ied`, `${verb}ing`);
  } else if (/(?:s|x|z|sh|ch)$/.test(verb)) {
    forms.push(`${verb}es`, `${verb}ed`, `${verb}ing`);
  } else {
    forms.push(`${verb}s`, `${verb}ed`, `${verb}ing`);
    // A final consonant after one vowel doubles ("submitted", "putting", "embedded"); both spellings.
    if (/[^aeiou][aeiou][bdgklmnprt]$/.test(verb)) forms.push(`${verb}${last}ed`, `${verb}${last}ing`);
  }
  return forms;
}

/** Every form of a list of verbs, as one regex alternation (longest first, so none stops short). */
export function verbAlternation(verbs: string): string {
  const forms = new Set(verbs.split(' ').flatMap(verbForms));
  return [...forms].sort((a, b) => b.length - a.length || (a < b ? -1 : 1)).join('|');
}

// What each word opens. A word opens a group alone (`ALONE`), or as one half of a pair whose two
// halves must both occur in the string (`PAIRS`): each pair's words are a necessary condition of its
// rules, written from their patterns. A word ending in `*` stands for every word it starts (the rule
// reads `\w*` there, or no `\b`).

/** Words that open a group alone. */
const ALONE: Array<[string, number]> = [
  // "do not mention this", "be gentle and not scary", "pretend you are".
  ['mention gentle', G.conceal],
  ['pretend', G.override],
  // A secret named in one word (the rules' SECRET list), and "otherwise the tool will not work".
  [
    'ssh* rsa dsa ecdsa ed env envvars envvariables environment environmentvars environmentvariables aws npmrc netrc pgpass kube passwd shadow credentials credential password passwords secret secrets mnemonic wallet cookie cookies otherwise privatekey privatekeys systemprompt apikey apikeys sessiontoken sessiontokens seedphrase* conversationhistory chathistory',
    G.secret,
  ],
];

/** Pairs of word sets that together open a group: [first, second, group]. */
const PAIRS: Array<[string, string, number]> = [
  // The user, and what is kept from them: concealment.
  [
    'user users anyone',
    'tell* mention* inform* notify* alert* reveal* disclose* show* explain* say* asking hide conceal keep know see told find notice upset scare alarm worry visible',
    G.conceal,
  ],
  // Other instructions dropped, or new ones said to come first; a new role for the model.
  [
    'ignore disregard forget override bypass skip drop',
    'instruction instructions prompt prompts rules directions guidelines guardrails constraints messages',
    G.override,
  ],
  ['instruction instructions', 'new updated real true precedence priority', G.override],
  ['take takes', 'precedence', G.override],
  ['you your', 'now new', G.override],
  ['from', 'now', G.override],
  // A secret said in two words (api key, system prompt, mcp.json, chat history, content from reading),
  // and "important … side effect".
  [
    'api session seed docker content system mcp claude conversation chat private important',
    'key keys token tokens phrase* config reading prompt json history side',
    G.secret,
  ],
  // Other tools or servers told what they must do, or affected: shadowing.
  ['tool tools server servers function functions', 'must should required have effect effects', G.shadowing],
  ['when whenever', 'must always never instead make ensure change replace redirect bcc cc', G.shadowing],
  ['rule rules instruction instructions requirement requirements', 'apply applies', G.shadowing],
  [
    'instead',
    'recipient recipients address addresses account accounts destination destinations',
    G.shadowing,
  ],
];

/** Words that open the role-marker rules only at the start of a line ("System:", "## Instructions"). */
const LINE_WORDS = 'system assistant human instruction instructions';

/** Where each rule can start: the first word of each of its alternatives (first-sight-phrases.ts). */
const STARTS: Array<[string, number]> = [
  ['do don dont never must should without hide conceal keep the could might would will be not', R.conceal],
  [
    'ignore disregard forget override bypass skip new updated real true you this these take takes',
    R.override,
  ],
  ['you from your pretend ignore disregard forget skip bypass drop', R.newRole],
  [
    'read cat open load fetch get retrieve collect access extract obtain grab'
      .split(' ')
      .flatMap((verb) => [verb, `${verb}s`])
      .join(' ') + ` look content contents text ${HAND_OVER_VERBS}`,
    R.secret,
  ],
  ['before otherwise very important', R.hiddenStep],
  ['when whenever side effect effects all any every other this these tool instead', R.shadowing],
  // "cc" and "bcc" may run straight into an address's name ("ccdrop@…"): every word they start.
  [
    `${[...new Set(`${HAND_OVER_VERBS} ${SENDING_VERBS}`.split(' ').flatMap(verbForms))].join(' ')} change cc* bcc*`,
    R.exfiltration,
  ],
];

/** A word's node bit: a sending verb's form ("add", "adding", "cc…"): with an address, exfiltration. */
export const WORD_SENDING = 1 << 27;
/** A LINE_WORDS word: opens the role rules when it starts a line. */
export const WORD_LINE = 1 << 28;
/** "http" or "https": an address, with a sending verb. */
export const WORD_ADDRESS = 1 << 29;

/** The dead node: a letter run no word starts. */
export const DEAD = 0;
/** The root node: where a letter run starts. */
export const ROOT = 1;

// The trie as flat typed arrays: node n's child for letter l (0–25) is NEXT[(n << 5) | l].
const MAX_NODES = 4096;
const next = new Int32Array(MAX_NODES << 5);
/** Group bits a word opens alone (PHRASE_GROUP), plus WORD_SENDING, WORD_LINE, WORD_ADDRESS. */
const bits = new Int32Array(MAX_NODES);
/** The pair halves a word is: pair i's first half is bit 2i, its second bit 2i + 1. */
const halves = new Int32Array(MAX_NODES);
/** The rules that can start at the word (RULE_START bits). */
const starts = new Int32Array(MAX_NODES);
let nodes = 2;

/** Adds a word (`*`: every word it starts) with what it carries. */
function addWord(spelled: string, bit: number, half: number, start: number): void {
  const prefix = spelled.endsWith('*');
  const word = prefix ? spelled.slice(0, -1) : spelled;
  let node = ROOT;
  for (let i = 0; i < word.length; i++) {
    const letter = word.charCodeAt(i) - 97;
    if (letter < 0 || letter > 25) throw new Error(`first-sight word "${spelled}" is not lower-case ASCII`);
    const at = (node << 5) | letter;
    if (next[at] === DEAD) next[at] = nodes++;
    node = next[at]!;
  }
  if (prefix) prefixes.add(node);
  bits[node]! |= bit;
  halves[node]! |= half;
  starts[node]! |= start;
}
/** The nodes of `*` words. */
const prefixes = new Set<number>();

for (const [words, group] of ALONE) for (const word of words.split(' ')) addWord(word, group, 0, 0);
PAIRS.forEach(([first, second], i) => {
  for (const word of first.split(' ')) addWord(word, 0, 1 << (2 * i), 0);
  for (const word of second.split(' ')) addWord(word, 0, 1 << (2 * i + 1), 0);
});
for (const word of LINE_WORDS.split(' ')) addWord(word, WORD_LINE, 0, 0);
for (const [words, rule] of STARTS) for (const word of words.split(' ')) addWord(word, 0, 0, rule);
for (const word of [...new Set(`${HAND_OVER_VERBS} ${SENDING_VERBS}`.split(' ').flatMap(verbForms))])
  addWord(word, WORD_SENDING, 0, 0);
for (const word of ['change', 'cc*', 'bcc*']) addWord(word, WORD_SENDING, 0, 0);
for (const word of ['http', 'https']) addWord(word, WORD_ADDRESS, 0, 0);

// A word a `*` word starts carries what it carries: its nodes below inherit it, and a letter the trie
// has no child for leads to a node of its own that keeps it to the word's end.
const keeps = new Set<number>();
for (const node of prefixes) {
  const [bit, half, start] = [bits[node]!, halves[node]!, starts[node]!];
  const keep = nodes++;
  keeps.add(keep);
  bits[keep] = bit;
  halves[keep] = half;
  starts[keep] = start;
  for (let l = 0; l < 26; l++) next[(keep << 5) | l] = keep;
  const inherit = (n: number) => {
    for (let l = 0; l < 26; l++) {
      const child = next[(n << 5) | l]!;
      if (child === DEAD || child === keep) next[(n << 5) | l] = keep;
      else if (keeps.has(child)) throw new Error('first-sight `*` words may not start one another');
      else {
        bits[child]! |= bit;
        halves[child]! |= half;
        starts[child]! |= start;
        inherit(child);
      }
    }
  };
  inherit(node);
}
if (nodes > MAX_NODES) throw new Error('first-sight word trie is full');

// Renumbered breadth first into arrays just large enough: the letters near a word's start, which
// every word reads, then sit together in the cache (a walk reads one row a letter).
const order = [DEAD, ROOT];
const renumbered = new Int32Array(nodes).fill(-1);
renumbered[DEAD] = DEAD;
renumbered[ROOT] = ROOT;
for (let k = 1; k < order.length; k++)
  for (let l = 0; l < 26; l++) {
    const child = next[(order[k]! << 5) | l]!;
    if (renumbered[child] === -1) {
      renumbered[child] = order.length;
      order.push(child);
    }
  }
const compact = new Uint16Array(order.length << 5);
order.forEach((node, n) => {
  for (let l = 0; l < 26; l++) compact[(n << 5) | l] = renumbered[next[(node << 5) | l]!]!;
});

/** The trie's transitions: the node after `node` reads letter `l` (0–25) is NEXT[(node << 5) | l]. */
export const NEXT = compact;
/** Per node: the groups its word opens alone, and WORD_SENDING / WORD_LINE / WORD_ADDRESS. */
export const NODE_BITS = Int32Array.from(order, (node) => bits[node]!);
/** Per node: the pair halves its word is (pair i: bits 2i and 2i + 1). */
export const NODE_HALVES = Int32Array.from(order, (node) => halves[node]!);
/** Per node: the rules that can start at its word (RULE_START bits). */
export const NODE_STARTS = Int32Array.from(order, (node) => starts[node]!);
/** Each pair's two halves as a mask (both set: the pair's group opens). */
export const PAIR_MASKS = Int32Array.from(PAIRS, (_, i) => 3 << (2 * i));
/** The group each pair opens. */
export const PAIR_GROUPS = Int32Array.from(PAIRS, ([, , group]) => group);
