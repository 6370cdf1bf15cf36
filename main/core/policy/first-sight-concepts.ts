// First sight reads text as concepts: every word (or, in Chinese, Japanese and Korean, every run of
// characters) that the lexicon knows becomes the concepts it stands for, wherever it stands. Leetspeak
// ("p4ssw0rd") is read as the word it spells. Also the marks no description needs: chat-template turn
// markers, tags and bracketed labels that name a role, comments, links that carry data out, and a
// download piped into a shell.
import { EMAIL, IBAN, IP_PORT, PHONE } from './first-sight-addresses.js';
import { SECRET_PATHS } from '../secrets/secret-locations.js';
import { CONCEPT } from './first-sight-concept-bits.js';
import { lexiconIndex, type LexiconEntry } from './first-sight-lexicon.js';
import {
  ASCII_SYMBOL,
  asciiEndingHits,
  SYMBOLS,
  UNSPACED,
  WORD,
  classOf,
  doubled,
  wordTrie,
} from './first-sight-word-trie.js';

/** Concepts found at one place of a text. */
export interface ConceptHit {
  concepts: number;
  start: number;
  end: number;
  /** Read through a disguise: leetspeak ("p4ssw0rd"). */
  disguised?: boolean;
}

/** Leetspeak's stand-ins for letters, read back only in a word that also has letters. */
const LEET: Record<string, string> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '8': 'b',
  '@': 'a',
  $: 's',
};
/** A letter next to a leetspeak stand-in: a word that could be leetspeak, as the gate looks for it. */
const LEET_WORD = /[a-z][013457@$]|[013457@$][a-z]/i;

/** A word as leetspeak spells it ("p4ssw0rd" → "password"); undefined when it is not leetspeak. */
function unleet(word: string): string | undefined {
  if (word.length < 3 || !LEET_WORD.test(word)) return undefined;
  let out = '';
  for (const char of word) out += LEET[char] ?? char;
  return /^\p{L}+$/u.test(out) ? out : undefined;
}

/** Where the words of the text at hand are, for the phrases that read on past their first word. */
let tokenStarts = new Int32Array(1024);
let tokenEnds = new Int32Array(1024);
/** Each word's trie node (-1: none; -2: a word not of plain ASCII, looked up as a string). */
let tokenNodes = new Int32Array(1024);

/** Each ASCII code's class: part of a word (letters and digits) or not. */
const ASCII_CLASS = Uint8Array.from({ length: 128 }, (_, code) => (ASCII_SYMBOL[code]! < 36 ? WORD : 0));

/** Whether token `k` (of `lower`) is `word`, or starts with it (`stem`). */
function tokenIs(lower: string, k: number, word: string, stem: boolean): boolean {
  const length = tokenEnds[k]! - tokenStarts[k]!;
  if (stem ? length < word.length : length !== word.length) return false;
  return lower.startsWith(word, tokenStarts[k]!);
}

/** The phrases starting at token `k` whose other words follow it. */
function phrasesAt(
  lower: string,
  k: number,
  count: number,
  entries: LexiconEntry[],
  hits: ConceptHit[],
): void {
  for (const entry of entries) {
    const last = entry.words.length - 1;
    if (k + last >= count) continue;
    let ok = true;
    for (let w = 1; w <= last && ok; w++)
      ok = tokenIs(lower, k + w, entry.words[w]!, entry.stem && w === last);
    if (ok) hits.push({ concepts: entry.concepts, start: tokenStarts[k]!, end: tokenEnds[k + last]! });
  }
}

/** A word not of plain ASCII: looked up as a string (exact, stems by their first three letters, German heads). */
function otherWord(lower: string, k: number, count: number, hits: ConceptHit[]): void {
  const start = tokenStarts[k]!;
  const end = tokenEnds[k]!;
  const word = lower.slice(start, end);
  const lexicon = lexiconIndex();
  const trie = wordTrie();
  const exact = trie.otherWords.get(word) ?? lexicon.exact.get(word);
  if (exact)
    phrasesAt(
      lower,
      k,
      count,
      exact.filter((e) => e.words.length > 1 || e.stem),
      hits,
    );
  for (const entry of exact ?? [])
    if (entry.words.length === 1 && !entry.stem) hits.push({ concepts: entry.concepts, start, end });
  for (const entry of trie.otherStems.get(word.slice(0, 3)) ?? lexicon.stems.get(word.slice(0, 3)) ?? [])
    if (word.startsWith(entry.words[0]!)) hits.push({ concepts: entry.concepts, start, end });
  endings(word, start, end, hits);
}

/** German compounds: a long word ending in a lexicon head ("suchwerkzeuge"). */
function endings(word: string, start: number, end: number, hits: ConceptHit[]): void {
  if (word.length < 9) return;
  for (const entry of lexiconIndex().endings.get(word.slice(-3)) ?? [])
    if (word.endsWith(entry.words[0]!)) hits.push({ concepts: entry.concepts, start, end });
}

/** Concepts of a run of Chinese, Japanese or Korean: every lexicon entry found in it. */
function unspacedHits(run: string, at: number, hits: ConceptHit[]): void {
  const { unspaced } = lexiconIndex();
  for (let i = 0; i < run.length; i++) {
    const entries = unspaced.get(run.charAt(i));
    if (!entries) continue;
    for (const { text, concepts } of entries)
      if (run.startsWith(text, i)) hits.push({ concepts, start: at + i, end: at + i + text.length });
  }
}

/**
 * The text with its leetspeak read back ("R3ad th3 .3nv f1l3" → "Read the .env file"), when it has
 * any; undefined otherwise.
 */
export function unleetText(text: string): { text: string; changed: Array<[number, number]> } | undefined {
  if (!LEET_WORD.test(text)) return undefined;
  // Addresses and code are left as they are; a word is read back when it reads as one the lexicon
  // knows (or ".env"): "123" and "gh" stay. Where two or more do, the text is written in leetspeak, and
  // every word that reads as letters is read back ("7h3", "4nd", "w3bh00k").
  const source = masked(text);
  const words: Array<{ at: number; length: number; letters: string; known: boolean }> = [];
  for (const match of source.matchAll(/\.?[\p{L}\p{N}@$]+/gu)) {
    const dotted = match[0].startsWith('.');
    const letters = unleet(dotted ? match[0].slice(1) : match[0]);
    if (letters === undefined) continue;
    const known = knownWord(letters) || (dotted && letters.toLowerCase() === 'env');
    words.push({
      at: match.index,
      length: match[0].length,
      letters: dotted ? `.${letters}` : letters,
      known,
    });
  }
  const known = words.filter((word) => word.known);
  const read = known.length >= 2 ? words : known;
  if (read.length === 0) return undefined;
  // The masked addresses and code stay as written, at the same positions.
  let out = '';
  let from = 0;
  const changed: Array<[number, number]> = [];
  for (const word of read) {
    out += text.slice(from, word.at) + word.letters;
    changed.push([word.at, word.at + word.length]);
    from = word.at + word.length;
  }
  return { text: out + text.slice(from), changed };
}

/** Whether the lexicon knows a word (a first word of an entry, or a stem it starts with). */
function knownWord(word: string): boolean {
  const lower = word.toLowerCase();
  const lexicon = lexiconIndex();
  if (lexicon.exact.has(lower)) return true;
  return (lexicon.stems.get(lower.slice(0, 3)) ?? []).some((entry) => lower.startsWith(entry.words[0]!));
}

/**
 * Every concept the text names, in order. `text` is folded (first-sight-characters.ts foldedText):
 * look-alikes read as ASCII, hidden characters gone.
 */
export function conceptHits(text: string, paths = true): ConceptHit[] {
  // Code spans and addresses are data, not words said to the model ("`refresh_token`", ".../password-realm").
  const source = masked(text);
  const { next: NEXT, stems: STEMS, wordEnds: WORD_ENDS, phraseNodes: PHRASE_NODES, phrases } = wordTrie();
  const hits: ConceptHit[] = [];
  const length = source.length;
  let count = 0;
  let phrased = false;
  let i = 0;
  while (i < length) {
    let c = source.charCodeAt(i);
    const kind = c < 128 ? ASCII_CLASS[c]! : classOf(c);
    if (kind === 0) {
      i++;
      continue;
    }
    const start = i;
    if (count === tokenStarts.length) grow();
    if (kind === UNSPACED) {
      while (i < length && classOf(source.charCodeAt(i)) === UNSPACED) i++;
      unspacedHits(source.slice(start, i).toLowerCase(), start, hits);
      // A run ends a phrase of words: it is a word of its own that no phrase has.
      tokenStarts[count] = start;
      tokenEnds[count] = start;
      tokenNodes[count++] = -1;
      continue;
    }
    // A word: letters and digits, joined by "." or "_" inside ("id_rsa", "mcp.json"), walked in the
    // trie (lower case) as it is read; a word not of plain ASCII is looked up afterwards.
    let node = 0;
    let stems = 0;
    let ascii = true;
    for (;;) {
      if (i >= length) break;
      c = source.charCodeAt(i);
      if (c < 128) {
        const y = ASCII_SYMBOL[c]!;
        if (y < 36) {
          if (node >= 0) {
            node = NEXT[node * SYMBOLS + y]! || -1;
            if (node > 0) stems |= STEMS[node]!;
          }
          i++;
          continue;
        }
        // "." and "_" join two words into one name.
        if (y < 38 && i + 1 < length && classOf(source.charCodeAt(i + 1)) === WORD) {
          if (node >= 0) node = NEXT[node * SYMBOLS + y]! || -1;
          i++;
          continue;
        }
        break;
      }
      if (classOf(c) !== WORD) break;
      ascii = false;
      i++;
    }
    tokenStarts[count] = start;
    tokenEnds[count] = i;
    tokenNodes[count++] = ascii ? node : -2;
    if (!ascii) {
      phrased = true;
      continue;
    }
    if (node > 0) {
      const concepts = stems | WORD_ENDS[node]!;
      if (concepts !== 0) hits.push({ concepts, start, end: i });
      if (PHRASE_NODES[node] === 1) phrased = true;
    } else if (stems !== 0) hits.push({ concepts: stems, start, end: i });
    if (i - start >= 9) asciiEndingHits(source, start, i, hits);
  }
  // Phrases, and words not of plain ASCII, once every word's place is known.
  if (phrased) {
    const lower = source.toLowerCase();
    for (let k = 0; k < count; k++) {
      const node = tokenNodes[k]!;
      if (node === -2) otherWord(lower, k, count, hits);
      else if (node > 0 && PHRASE_NODES[node] === 1) phrasesAt(lower, k, count, phrases.get(node)!, hits);
    }
  }
  if (paths) for (const place of placeHits(text)) hits.push(place);
  return hits.length > 1 ? hits.sort((a, b) => a.start - b.start) : hits;
}

function grow(): void {
  tokenStarts = doubled(tokenStarts);
  tokenEnds = doubled(tokenEnds);
  tokenNodes = doubled(tokenNodes);
}

/** Code in backticks, and URLs. */
const DATA = /`[^`\n]{1,200}`|\bhttps?:\/\/[^\s)"'`>\]]+/g;

/**
 * The last text masked and what it gave: a string's code and links are blanked out for the gate's
 * pass, then again for its concepts and marks.
 */
let maskedFrom: string | undefined;
let maskedTo = '';

/** The text with its code spans and URLs blanked out (same length: positions stay). */
export function masked(text: string): string {
  if (!text.includes('`') && !text.includes('://')) return text;
  if (text !== maskedFrom) {
    maskedTo = text.replace(DATA, (data) => ' '.repeat(data.length));
    maskedFrom = text;
  }
  return maskedTo;
}

/** Where secrets live (secrets/secret-locations.ts), lower case: matched as a path's trailing folders. */
const SECRET_PLACES = SECRET_PATHS.map((path) => path.toLowerCase());

/** Characters a path is made of. */
const PATH_CHAR = Uint8Array.from({ length: 128 }, (_, code) =>
  /[\w.@~$%{}/\\-]/.test(String.fromCharCode(code)) ? 1 : 0,
);

/**
 * Where a text names a place secrets live: a path or file name (`~/.ssh/id_rsa`, `.env`,
 * `$HOME/.aws/credentials`, `%USERPROFILE%\.kube\config`, `/etc/passwd`, `server.pem`) one of whose
 * folders is a place secrets live (secrets/secret-locations.ts), a `.env` file, a key file, or the
 * system's password files.
 */
export function placeHits(text: string): ConceptHit[] {
  const hits: ConceptHit[] = [];
  const length = text.length;
  let i = 0;
  while (i < length) {
    const c = text.charCodeAt(i);
    // A path has a slash in it, or starts with a dot: find one, then its ends.
    const dotStart = c === 46 && (i === 0 || PATH_CHAR[text.charCodeAt(i - 1)] !== 1) && i + 1 < length;
    if (c !== 47 && c !== 92 && !dotStart) {
      i++;
      continue;
    }
    let start = i;
    while (start > 0 && text.charCodeAt(start - 1) < 128 && PATH_CHAR[text.charCodeAt(start - 1)] === 1)
      start--;
    let end = i + 1;
    while (end < length && text.charCodeAt(end) < 128 && PATH_CHAR[text.charCodeAt(end)] === 1) end++;
    i = end;
    const path = text.slice(start, end).replace(/[.,:;]+$/, '');
    if (path.length >= 3 && namesSecretPlace(path))
      hits.push({ concepts: CONCEPT.place, start, end: start + path.length });
  }
  return hits;
}

/** Whether a path names a place secrets live. */
function namesSecretPlace(path: string): boolean {
  const parts = path.toLowerCase().replace(/\\/g, '/').split('/').filter(Boolean);
  const joined = `/${parts.join('/')}/`;
  // A place secrets live, as its folders are written (".aws", ".config/gh", "Library/Keychains").
  if (SECRET_PLACES.some((place) => joined.includes(`/${place}/`))) return true;
  return parts.some((part, k) => {
    const dotted = part.startsWith('.');
    const name = dotted ? part.slice(1) : part;
    // ".env", ".env.local"; a key file by its name or extension; the system's password files.
    if (dotted && /^env(?:\.|$)/.test(name)) return true;
    if (/^id_(?:rsa|dsa|ecdsa|ed25519)(?:\.pub)?$/.test(name)) return true;
    // MCP clients' own configuration, which holds every server's keys.
    if (name === 'mcp.json' || name === 'claude_desktop_config.json') return true;
    if (/\.(?:pem|p12|pfx|kdbx|ppk)$/.test(name) && name.length > 4) return true;
    return (name === 'passwd' || name === 'shadow') && parts[k - 1] === 'etc';
  });
}

/** A mark no description needs, found in a text: what it is and where. */
export interface MarkHit {
  mark:
    | 'turn-marker'
    | 'role-tag'
    | 'role-label'
    | 'comment'
    | 'data-link'
    | 'pipe-to-shell'
    | 'address'
    | 'personal-address'
    | 'destination';
  /** 3: enough to hold alone; less: one signal among others. */
  weight: number;
  start: number;
  end: number;
  /** What the mark says, for the reason ("<agent_instructions>", an address). */
  said: string;
}

/**
 * Chat-template turn markers of every model family: `<|im_start|>`, `<|start_header_id|>`, DeepSeek's
 * `<｜System｜>` (folded to `<|System|>`), `[INST]`, `<<SYS>>`, Gemma's `<start_of_turn>`, a line
 * that opens with a role ("System:", "### Assistant:"), and Alpaca's "### Instruction:" heading (its
 * "### Response:" follows it; "### User:" and "### Input:" are headings honest examples write too).
 */
const TURN_MARKER =
  /<\|[^|\n<>]{1,40}\|>|\[\/?INST\]|<<\/?SYS>>|<\/?(?:start_of_turn|end_of_turn|bos|eos)>|(?:^|\n)[ \t]*(?:#{1,6}[ \t]*)?(?:system|assistant|human)[ \t]*:[ \t]|(?:^|\n)[ \t]*#{1,6}[ \t]*instruction[ \t]*:\s/gi;
/** A role's name before a colon: where a line opening with a role could be. */
const ROLE_LINE = /(?:system|assistant|human)[ \t]*:|#[ \t]*instruction[ \t]*:/i;
/** A tag: its name (and attributes). */
const TAG = /<\/?[ \t]*([\p{L}][\p{L}\p{N}_:.-]{0,48})(?:[ \t][^<>\n]{0,120})?>/gu;
/** A bracketed label ("[SYSTEM MESSAGE]", "【システム】", "{{#system}}", "### SYSTEM OVERRIDE ###"), not a link's text. */
const LABEL =
  /[[【][ \t]*\/?[ \t]*([^\]】\n[【]{1,40}?)[ \t]*[\]】](?![(:])|\{\{[#/]?[ \t]*([\p{L}_ -]{1,30})[ \t]*\}\}|(?:^|\n)[ \t]*#{2,6}[ \t]*([^#\n]{1,40}?)[ \t]*#{2,6}[ \t]*(?=\n|$)/gu;
const COMMENT = /<!--([\s\S]*?)(?:-->|$)/g;
const URL = /\bhttps?:\/\/[^\s)"'`>\]]+|!\[[^\]\n]{0,100}\]\([^)\n]{1,300}\)/gi;
/** Addresses that go nowhere: documentation domains, this machine. */
const NOWHERE =
  /(?:^|[@/.])(?:example\.(?:com|org|net)|[\w-]+\.(?:example|test|invalid|localhost)|localhost|127\.0\.0\.1)(?:[/:?#]|$)/i;
/** A value filled in from what the model has: `{…}`, `<…>`, `${…}`, `$NAME`, or a placeholder in capitals. */
const PLACEHOLDER =
  /[?&#][\w.-]+=[ \t]*((?:\{\{?|\$\{|<|%7[bB])[^&)\s]{1,80}|\$[A-Z_]{3,}|[A-Z][A-Z0-9_]{5,}(?![a-z]))/g;
const PIPE_TO_SHELL =
  /\b(?:curl|wget|iwr|invoke-webrequest)\b[^\n|`]{0,200}\|[ \t]*(?:sudo[ \t]+)?(?:ba|z|k|da)?sh\b|\b(?:ba|z)?sh[ \t]+-c[ \t]+["']?\$\([ \t]*(?:curl|wget)\b/gi;

/** A parameter's name quoted: `notes`, 'sidenote', "context". */
const QUOTED_NAME = /`([A-Za-z_][\w.-]{0,40})`/g;

/**
 * The concepts of short pieces of text read so far (the lexicon never changes): a listing's descriptions
 * quote the same parameter names in backticks again and again. Up to SHORT_MAX of them, each at most
 * SHORT_CHARS long.
 */
const SHORT_CONCEPTS = new Map<string, number>();
const SHORT_MAX = 2_000;
const SHORT_CHARS = 64;

/** The concepts of a short piece of text (a tag's name, a label, a placeholder), names split as words. */
function conceptsOf(text: string): number {
  const known = SHORT_CONCEPTS.get(text);
  if (known !== undefined) return known;
  let concepts = 0;
  const words = text.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/[_:.-]+/g, ' ');
  for (const hit of conceptHits(words)) concepts |= hit.concepts;
  if (text.length <= SHORT_CHARS && SHORT_CONCEPTS.size < SHORT_MAX) SHORT_CONCEPTS.set(text, concepts);
  return concepts;
}

/**
 * Words of a tag or label that name a role the model takes or is given, or a directive: the model
 * itself ("assistant", "ai"), its instructions, and these.
 */
const ROLE_WORDS = new Set(
  (
    'system sys admin override important critical hidden secret priority directive note sistema système ' +
    'systemnachricht wichtig importante instrucciones istruzioni instruções ocultas oculto cachée nascoste ' +
    'системная системный системное важно'
  ).split(' '),
);
const ROLE_UNSPACED = ['系统', '重要', 'システム', '重要', '시스템', '중요'];
const ROLE = CONCEPT.model | CONCEPT.rules;

/** Whether a tag's name or a label names a role or a directive ("agent_instructions", "SYSTEM MESSAGE"). */
function namesRole(label: string): boolean {
  // "model" names data in XML ("<mxGraphModel>"); a role in a tag is the assistant, the AI, the system.
  const words = label.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/model/gi, ' ');
  if ((conceptsOf(words) & ROLE) !== 0) return true;
  const lower = words.toLowerCase();
  return (
    lower.split(/[^\p{L}]+/u).some((word) => ROLE_WORDS.has(word)) ||
    ROLE_UNSPACED.some((word) => lower.includes(word))
  );
}
/** A name's words that say what is in it when a link fills it in. */
const CARRIED = CONCEPT.secret | CONCEPT.place | CONCEPT.user | CONCEPT.all;

/** Every mark in a (folded) text. */
export function markHits(text: string): MarkHit[] {
  const hits: MarkHit[] = [];
  const add = (mark: MarkHit['mark'], weight: number, start: number, said: string) =>
    hits.push({ mark, weight, start, end: start + said.length, said });
  if (text.includes('<') || text.includes('[') || ROLE_LINE.test(text)) {
    for (const match of text.matchAll(TURN_MARKER)) add('turn-marker', 3, match.index, match[0]);
  }
  if (text.includes('<')) {
    for (const match of text.matchAll(TAG))
      if (namesRole(match[1]!))
        add(
          'role-tag',
          /^(?:important|critical|note|priority)$/i.test(match[1]!) ? 2 : 3,
          match.index,
          match[0],
        );
    for (const match of text.matchAll(COMMENT)) {
      const concepts = conceptsOf(match[1]!);
      const addressed = CONCEPT.model | CONCEPT.you | CONCEPT.must | CONCEPT.hand | CONCEPT.rules;
      add('comment', (concepts & addressed) !== 0 ? 2 : 1, match.index, match[0]);
    }
  }
  if (/[[【{#]/.test(text)) {
    for (const match of text.matchAll(LABEL)) {
      const label = match[1] ?? match[2] ?? match[3] ?? '';
      // "important" alone is how real descriptions mark a warning; a role or the model is not. A list
      // (quotes, commas) is no label.
      if (/['",=]/.test(label) || /^\s*(?:important|critical|note|warning)\s*$/i.test(label)) continue;
      if (namesRole(label)) add('role-label', 3, match.index, match[0]);
    }
  }
  if (text.includes('://')) {
    for (const match of text.matchAll(URL)) {
      const url = match[0];
      if (NOWHERE.test(url.replace(/^!\[[^\]]*\]\(/, ''))) continue;
      let carried = false;
      for (const placeholder of url.matchAll(PLACEHOLDER)) {
        // A query value filled in with the conversation, a file, a secret: data carried out.
        const concepts = conceptsOf(placeholder[1]!.replace(/[{}<>$%]/g, ' '));
        if ((concepts & CARRIED) !== 0 || /^[${<%7bB]*[A-Z0-9_]+[}>]*$/.test(placeholder[1]!)) carried = true;
      }
      const image = url.startsWith('![');
      // A query left open at the end ("…/t?q=") is where the model is told to put something.
      if (carried || (image && PLACEHOLDER.test(url)) || /[?&][\w.-]+=$/.test(url))
        add('data-link', 3, match.index, url);
      else add('address', 1, match.index, url);
      PLACEHOLDER.lastIndex = 0;
    }
  }
  if (text.includes('@')) {
    for (const match of text.matchAll(EMAIL))
      if (!NOWHERE.test(match[0]) && !/^[\w.+-]+@[\d.]+$/.test(match[0]))
        add('personal-address', 1, match.index, match[0]);
  }
  if (/\d{4}/.test(text)) {
    for (const match of text.matchAll(PHONE)) add('personal-address', 1, match.index, match[0]);
    for (const match of text.matchAll(IBAN)) add('personal-address', 1, match.index, match[0]);
    for (const match of text.matchAll(IP_PORT))
      if (!/^127\./.test(match[0])) add('personal-address', 1, match.index, match[0]);
  }
  // A name in backticks: where a call is told to put something (`notes`, `context`).
  if (text.includes('`'))
    for (const match of text.matchAll(QUOTED_NAME)) {
      const name = match[1]!;
      if ((conceptsOf(name) & (CONCEPT.secret | CONCEPT.place)) === 0)
        add('destination', 0, match.index, match[0]);
    }
  if ((text.includes('|') || text.includes('$(')) && /\b(?:curl|wget|iwr|invoke-webrequest|sh)\b/i.test(text))
    for (const match of text.matchAll(PIPE_TO_SHELL)) add('pipe-to-shell', 3, match.index, match[0]);
  return hits.sort((a, b) => a.start - b.start);
}
