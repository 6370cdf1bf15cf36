// First sight reads text as concepts: every word (or, in Chinese, Japanese and Korean, every run of
// characters) that the lexicon knows becomes the concepts it stands for, wherever it stands. Leetspeak
// ("p4ssw0rd") is read as the word it spells. Also the marks no description needs: chat-template turn
// markers, tags and bracketed labels that name a role, comments, links that carry data out, and a
// download piped into a shell.
import { CONCEPT, LEXICON_INDEX, placeNames, type LexiconEntry } from './first-sight-lexicon.js';

/** Concepts found at one place of a text. */
export interface ConceptHit {
  concepts: number;
  start: number;
  end: number;
  /** Read through a disguise: leetspeak ("p4ssw0rd"). */
  disguised?: boolean;
}

/** Runs written without spaces (Han, kana, Hangul), and words of every other script. */
const TOKEN = /[\p{L}\p{N}\p{M}@$]+(?:[._][\p{L}\p{N}\p{M}@$]+)*/gu;
/** Within a token, the runs written without spaces and those written with them. */
const RUNS =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}ー]+|[^\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}ー]+/gu;
const UNSPACED_RUN = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}ー]/u;
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
const HAS_LEET = /[013457@$]/;
const HAS_LETTER = /\p{L}/u;

/** A word as leetspeak spells it ("p4ssw0rd" → "password"); undefined when it is not leetspeak. */
function unleet(word: string): string | undefined {
  if (word.length < 4 || !HAS_LEET.test(word) || !HAS_LETTER.test(word)) return undefined;
  let out = '';
  for (const char of word) out += LEET[char] ?? char;
  return /^\p{L}+$/u.test(out) ? out : undefined;
}

interface Token {
  word: string;
  start: number;
  end: number;
}

/** Whether `token` is `word` (or, `stem`, starts with it). */
function same(token: string, word: string, stem: boolean): boolean {
  return stem ? token.startsWith(word) : token === word;
}

/** The entries that start at token `i`: exact first words, and one-word stems. */
function entriesAt(tokens: Token[], i: number, word: string, hits: ConceptHit[], disguised = false): void {
  const { exact, stems } = LEXICON_INDEX;
  const tryEntries = (entries: LexiconEntry[] | undefined) => {
    if (!entries) return;
    for (const entry of entries) {
      const last = entry.words.length - 1;
      if (i + last >= tokens.length) continue;
      let ok = true;
      for (let k = 0; k <= last && ok; k++) {
        const token = k === 0 ? word : tokens[i + k]!.word;
        ok = same(token, entry.words[k]!, entry.stem && k === last);
      }
      if (ok)
        hits.push({
          concepts: entry.concepts,
          start: tokens[i]!.start,
          end: tokens[i + last]!.end,
          ...(disguised ? { disguised } : {}),
        });
    }
  };
  tryEntries(exact.get(word));
  if (word.length >= 3) tryEntries(stems.get(word.slice(0, 3)));
}

/** Concepts of a run of Chinese, Japanese or Korean: every lexicon entry found in it. */
function unspacedHits(run: string, at: number, hits: ConceptHit[]): void {
  const { unspaced } = LEXICON_INDEX;
  for (let i = 0; i < run.length; i++) {
    const entries = unspaced.get(run.charAt(i));
    if (!entries) continue;
    for (const { text, concepts } of entries)
      if (run.startsWith(text, i)) hits.push({ concepts, start: at + i, end: at + i + text.length });
  }
}

/** Lexicon entries of languages with spaces, Latin ones spelled in leetspeak included. */
const SPACED_ENTRY = /[\p{L}]/u;

/**
 * Every concept the text names, in order. `text` is folded (first-sight-characters.ts foldedText):
 * look-alikes read as ASCII, hidden characters gone.
 */
export function conceptHits(text: string): ConceptHit[] {
  const lower = text.toLowerCase();
  const hits: ConceptHit[] = [];
  const tokens: Token[] = [];
  for (const match of lower.matchAll(TOKEN)) {
    const token = match[0];
    // Chinese, Japanese and Korean can run straight into a Latin word ("用户的SSH私钥").
    const parts = token.charCodeAt(token.length - 1) >= 0x1100 || token.charCodeAt(0) >= 0x1100 ? token.matchAll(RUNS) : [Object.assign([token], { index: 0 })];
    for (const part of parts) {
      const word = part[0];
      const start = match.index + part.index;
      if (UNSPACED_RUN.test(word)) {
        unspacedHits(word, start, hits);
        // A run ends a phrase of words.
        tokens.push({ word: '', start, end: start + word.length });
      } else tokens.push({ word, start, end: start + word.length });
    }
  }
  for (let i = 0; i < tokens.length; i++) {
    const word = tokens[i]!.word;
    if (word === '' || !SPACED_ENTRY.test(word)) continue;
    entriesAt(tokens, i, word, hits);
    const read = unleet(word);
    if (read !== undefined) entriesAt(tokens, i, read, hits, true);
  }
  for (const place of placeHits(text)) hits.push(place);
  return hits.sort((a, b) => a.start - b.start);
}

/**
 * A path or file name written into text: `~/.ssh/id_rsa`, `.env`, `$HOME/.aws/credentials`,
 * `%USERPROFILE%\.kube\config`, `/etc/passwd`, `server.pem`.
 */
const PATH = /(?:~|\$home|%userprofile%|\$\{?home\}?)?(?:[\\/]?[\w.@-]*[\\/])*\.?[\w@-]+(?:\.[\w-]+)*/giu;
const PATHLIKE = /[\\/.]/;

/**
 * Where a text names a place secrets live: a path or file name one of whose parts is a secret place's
 * name (secrets/secret-locations.ts), a `.env` file, a key file (`.pem`, `.key`, `id_*`), or the
 * system's password files.
 */
function placeHits(text: string): ConceptHit[] {
  const hits: ConceptHit[] = [];
  if (!PATHLIKE.test(text)) return hits;
  for (const match of text.matchAll(PATH)) {
    const path = match[0];
    if (!PATHLIKE.test(path) || path.length < 3) continue;
    const parts = path.toLowerCase().split(/[\\/]/).filter(Boolean);
    const named = parts.some((part, k) => {
      const dotted = part.startsWith('.');
      const name = dotted ? part.slice(1) : part;
      // ".env", ".env.local"; a dotfile or folder whose name is a secret place; a key file by its extension.
      if (dotted && /^env(?:\.|$)/.test(name)) return true;
      if ((dotted || k > 0 || parts.length > 1) && placeNames.has(name)) return true;
      if (/^id_(?:rsa|dsa|ecdsa|ed25519)(?:\.pub)?$/.test(name)) return true;
      if (/\.(?:pem|p12|pfx|kdbx|ppk)$/.test(name) && name.length > 4) return true;
      return (name === 'passwd' || name === 'shadow') && parts[k - 1] === 'etc';
    });
    if (named) hits.push({ concepts: CONCEPT.place, start: match.index, end: match.index + path.length });
  }
  return hits;
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
 * `<｜System｜>` (folded to `<|System|>`), `[INST]`, `<<SYS>>`, Gemma's `<start_of_turn>`, and a line
 * that opens with a role ("System:", "### Assistant:").
 */
const TURN_MARKER =
  /<\|[^|\n<>]{1,40}\|>|\[\/?INST\]|<<\/?SYS>>|<\/?(?:start_of_turn|end_of_turn|bos|eos)>|(?:^|\n)[ \t]*(?:#{1,6}[ \t]*)?(?:system|assistant|human)[ \t]*:[ \t]/gi;
/** A tag: its name (and attributes). */
const TAG = /<\/?[ \t]*([\p{L}][\p{L}\p{N}_:.-]{0,48})(?:[ \t][^<>\n]{0,120})?>/gu;
/** A bracketed label ("[SYSTEM MESSAGE]", "【システム】", "{{#system}}", "### SYSTEM OVERRIDE ###"), not a link's text. */
const LABEL =
  /[[【][ \t]*\/?[ \t]*([^\]】\n[【]{1,40}?)[ \t]*[\]】](?![(:])|\{\{[#/]?[ \t]*([\p{L}_ -]{1,30})[ \t]*\}\}|(?:^|\n)[ \t]*#{2,6}[ \t]*([^#\n]{1,40}?)[ \t]*#{2,6}[ \t]*(?=\n|$)/gu;
const COMMENT = /<!--([\s\S]*?)(?:-->|$)/g;
const URL = /\bhttps?:\/\/[^\s)"'`>\]]+|!\[[^\]\n]{0,100}\]\([^)\n]{1,300}\)/gi;
const EMAIL = /[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}/gi;
const PHONE = /(?<![\w.])\+\d[\d -]{7,}\d(?![\w.])/g;
const IBAN = /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){3,}(?: ?[A-Z0-9]{1,4})?\b/g;
/** Addresses that go nowhere: documentation domains, this machine. */
const NOWHERE = /(?:^|[@/.])(?:example\.(?:com|org|net)|[\w-]+\.(?:example|test|invalid|localhost)|localhost|127\.0\.0\.1)(?:[/:?#]|$)/i;
/** A value filled in from what the model has: `{…}`, `<…>`, `${…}`, `$NAME`, or a placeholder in capitals. */
const PLACEHOLDER = /[?&#][\w.-]+=[ \t]*((?:\{\{?|\$\{|<|%7[bB])[^&)\s]{1,80}|\$[A-Z_]{3,}|[A-Z][A-Z0-9_]{5,}(?![a-z]))/g;
const PIPE_TO_SHELL =
  /\b(?:curl|wget|iwr|invoke-webrequest)\b[^\n|`]{0,200}\|[ \t]*(?:sudo[ \t]+)?(?:ba|z|k|da)?sh\b|\b(?:ba|z)?sh[ \t]+-c[ \t]+["']?\$\([ \t]*(?:curl|wget)\b/gi;

/** A parameter's name quoted: `notes`, 'sidenote', "context". */
const QUOTED_NAME = /`([A-Za-z_][\w.-]{0,40})`/g;

/** The concepts of a short piece of text (a tag's name, a label, a placeholder), names split as words. */
function conceptsOf(text: string): number {
  let concepts = 0;
  const words = text.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/[_:.-]+/g, ' ');
  for (const hit of conceptHits(words)) concepts |= hit.concepts;
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
  return lower.split(/[^\p{L}]+/u).some((word) => ROLE_WORDS.has(word)) || ROLE_UNSPACED.some((word) => lower.includes(word));
}
/** A name's words that say what is in it when a link fills it in. */
const CARRIED = CONCEPT.secret | CONCEPT.place | CONCEPT.user | CONCEPT.all;

/** Every mark in a (folded) text. */
export function markHits(text: string): MarkHit[] {
  const hits: MarkHit[] = [];
  const add = (mark: MarkHit['mark'], weight: number, start: number, said: string) =>
    hits.push({ mark, weight, start, end: start + said.length, said });
  if (text.includes('<') || text.includes('[') || text.includes(':')) {
    for (const match of text.matchAll(TURN_MARKER)) add('turn-marker', 3, match.index, match[0]);
  }
  if (text.includes('<')) {
    for (const match of text.matchAll(TAG))
      if (namesRole(match[1]!)) add('role-tag', (conceptsOf(match[1]!) & CONCEPT.model) !== 0 ? 3 : 2, match.index, match[0]);
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
        if ((concepts & CARRIED) !== 0 || /^\$?[A-Z0-9_]+$/.test(placeholder[1]!)) carried = true;
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
  }
  // A name in backticks: where a call is told to put something (`notes`, `context`).
  if (text.includes('`'))
    for (const match of text.matchAll(QUOTED_NAME)) {
      const name = match[1]!;
      if ((conceptsOf(name) & (CONCEPT.secret | CONCEPT.place)) === 0) add('destination', 0, match.index, match[0]);
    }
  if (/\b(?:curl|wget|iwr|invoke-webrequest|sh)\b/i.test(text))
    for (const match of text.matchAll(PIPE_TO_SHELL)) add('pipe-to-shell', 3, match.index, match[0]);
  return hits.sort((a, b) => a.start - b.start);
}
