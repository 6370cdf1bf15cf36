// First-sight scanning, the phrase rules: instructions aimed at the model rather than a description of
// the tool, instructions about other tools (shadowing), and places to send data (exfiltration). Each
// rule is a set of narrow patterns written from the public attacks (Invariant Labs, Trail of Bits,
// CyberArk) and checked against real servers' definitions (test/fixtures/first-sight/), where "IMPORTANT:
// paths must be absolute" and "Use this tool when…" are ordinary and must pass.

import type { RuleStarts } from './first-sight-gate.js';
import {
  HAND_OVER_VERBS,
  PHRASE_GROUP as G,
  RULE_START as S,
  SENDING_VERBS,
  verbAlternation,
} from './first-sight-words.js';

/** One place a phrase rule matched in the (folded) text. */
export interface PhraseHit {
  rule: 'model-instruction' | 'shadowing' | 'exfiltration' | 'encoded-payload';
  start: number;
  end: number;
  reason: string;
}

interface PhraseRule {
  rule: PhraseHit['rule'];
  /** Its group in the gate (first-sight-gate.ts): the rule runs only when the gate opened it. */
  group: number;
  /** Where it can start (RULE_START: a first word or mark the gate notes); 0: anywhere. */
  start: number;
  reason: string;
  pattern: RegExp;
}

/** Files and values a tool has no business asking the model to read and pass along. */
const SECRET = String.raw`(?:~/|/|\$HOME/|%USERPROFILE%[\\/])?(?:\.ssh\b|(?<![\w.])\.env\b|\bid_(?:rsa|dsa|ecdsa|ed25519)\b|\bid[ _]rsa\b|\bssh[ _-]?(?:private[ _-]?)?keys?\b|\.aws/credentials|\.npmrc|\.netrc|\.pgpass|\.git-credentials|\.docker/config\.json|\.kube/config|\bmcp\.json\b|claude_desktop_config|/etc/(?:passwd|shadow)|\bprivate[ _-]?keys?\b|\bseed[ _-]?phrase|\bmnemonic\b|\bwallet\b|\bcookies?\b|\bsession[ _-]?tokens?\b|\bapi[ _-]?keys?\b|\bpasswords?\b|\bcredentials?\b|\bsecrets?\b|\bconversation[ _-]?history\b|\bchat[ _-]?history\b|\bsystem[ _-]?prompt\b|\benv(?:ironment)?[ _-]?var(?:iable)?s\b)`;

/** How a description asks the model to hand something over. */
const HAND_OVER = `(?:${HAND_OVER_VERBS.split(' ').join('|')})`;
/** The same verbs in any inflection ("passes", "included"), as whole words. */
const HAND_OVER_FORMS = `(?:${verbAlternation(HAND_OVER_VERBS)})\\b`;
/** Every sending verb in any inflection ("add", "adding", "emailed"), as whole words: not "address". */
const SENDING_FORMS = `(?:${verbAlternation(`${HAND_OVER_VERBS} ${SENDING_VERBS}`)})`;

const RULES: PhraseRule[] = [
  {
    rule: 'model-instruction',
    group: G.role,
    start: S.role,
    reason: 'a tag or role marker that addresses the model (<IMPORTANT>, <system>, [INST], "Assistant:")',
    pattern:
      /<\/?\s*(?:important|system|sys|instructions?|hidden|secret|admin|critical|override|assistant_instructions|system_prompt)\s*>|<\|\s*(?:im_start|im_end|system|assistant|user|endoftext)\s*\|>|\[\/?INST\]|<<\/?SYS>>|(?:^|\n)\s*(?:#{1,4}\s*)?(?:system|assistant|human)\s*:\s|(?:^|\n)\s*#{2,4}\s*(?:system|instructions?)\b/gi,
  },
  {
    rule: 'model-instruction',
    group: G.conceal,
    start: S.conceal,
    reason: 'tells the model to keep something from the user',
    pattern:
      /\b(?:do\s+not|don'?t|never|must\s+not|should\s+not)\s+(?:\w+\s+){0,2}(?:tell|mention|inform|notify|alert|reveal|disclose|show|explain|say)\w*\s+(?:\w+\s+){0,3}(?:(?:to\s+)?the\s+user\b|users?\b|anyone\b)|\bwithout\s+(?:telling|informing|notifying|alerting|asking|showing|mentioning\s+(?:it|this)\s+to)\s+the\s+user\b|\b(?:hide|conceal|keep)\s+(?:this|it|that|them)\s+(?:\w+\s+){0,2}from\s+the\s+user\b|\bthe\s+user\s+(?:must|should|need|does|do)\s*(?:not|n'?t)\s+(?:need\s+to\s+)?(?:know|see|be\s+told|find\s+out|notice)\b|\b(?:could|might|would|will)\s+(?:even\s+)?(?:upset|scare|alarm|worry)\s+the\s+user\b|\bbe\s+(?:very\s+)?gentle\s+and\s+not\s+scary\b|\bdo\s+not\s+mention\s+(?:this|that|it)\b|\b(?:not|never)\s+visible\s+to\s+the\s+user\b|\bthe\s+user\s+(?:will\s+not|won'?t|cannot|can\s*not|can'?t|does\s*n[o']?t|do\s*n[o']?t)\s+see\b/gi,
  },
  {
    rule: 'model-instruction',
    group: G.override,
    start: S.override,
    reason: 'tells the model to ignore or override its other instructions',
    pattern:
      /\b(?:ignore|disregard|forget|override|bypass|skip)\s+(?:all\s+|any\s+)?(?:of\s+)?(?:the\s+|your\s+)?(?:previous|prior|above|earlier|other|existing|original|system|safety|user'?s?)\s+(?:\w+\s+)?(?:instructions?|prompts?|rules|directions|guidelines|guardrails|constraints|messages)\b|\b(?:new|updated|real|true)\s+(?:system\s+)?instructions\s*:|\byou\s+are\s+now\s+(?:a|an|in|the)\b|\b(?:this|these)\s+instructions?\s+(?:take|takes|has|have)\s+(?:precedence|priority)\b|\btakes?\s+precedence\s+over\s+(?:all|any|other|the\s+user)\b/gi,
  },
  // Issue 18's review: a new role for the model ("you are now DAN", "from now on you are…") and the
  // rules it was given dropped ("ignore the rules above"; "skip the previous rules" is the rule above,
  // opened by the gate's "skip"). Narrow: "you are now connected", "skip the first N rows" pass.
  {
    rule: 'model-instruction',
    group: G.override,
    start: S.newRole,
    reason: 'gives the model a new role, or tells it to drop the rules it was given',
    pattern:
      /\byou\s+are\s+now\s+(?:(?:my|our)\s+|acting\b|operating\s+as\b|playing\b|role-?playing\b|called\b|named\b|known\s+as\b|DAN\b|free\s+(?:of|from)\b|unrestricted\b|jailbroken\b|uncensored\b|no\s+longer\s+(?:bound|restricted|limited|an?\s+(?:AI|assistant))\b|(?:allowed|permitted)\s+to\s+(?:ignore|bypass|disregard|break)\b)|\bfrom\s+now\s+on,?\s+(?:you\s+(?:are|will|must|shall|act)\b|act\s+as\b|behave\b|respond\s+as\b)|\byour\s+new\s+(?:role|persona|identity|instructions|task)\s+(?:is|are)\b|\bpretend\s+(?:to\s+be|you\s+are|that\s+you\s+are)\b|\b(?:ignore|disregard|forget|skip|bypass|drop)\s+(?:all\s+|any\s+)?(?:of\s+)?(?:the\s+|your\s+|these\s+|those\s+)?(?:previous\s+|prior\s+|earlier\s+|above\s+|old\s+|original\s+)?(?:instructions?|rules|guidelines|guardrails|directions|system\s+prompt)\s+(?:above|before\s+this|so\s+far|you\s+(?:were|have\s+been)\s+given|(?:given|written)\s+(?:earlier|before|above))\b/gi,
  },
  {
    rule: 'model-instruction',
    group: G.secret,
    start: S.secret,
    reason: 'asks the model to read a file or secret and pass it along',
    pattern: new RegExp(
      String.raw`\b(?:read|cat|open|load|fetch|get|retrieve|collect|access|extract|obtain|look\s+up|grab)s?\s+(?:\w+\s+){0,4}?(?:the\s+)?(?:contents?\s+of\s+)?(?:the\s+)?(?:user'?s?\s+)?${SECRET}(?:[^.\n]|\.(?=\S)){0,160}?\b${HAND_OVER_FORMS}|\b${HAND_OVER}\s+(?:\w+\s+){0,4}?(?:the\s+)?(?:contents?\s+of\s+)?(?:the\s+)?(?:user'?s?\s+)?(?:~?/?\.ssh\b|\bid_(?:rsa|ed25519)\b|\bid[ _]rsa\b|\.aws/credentials|\bmcp\.json\b|/etc/(?:passwd|shadow)|\bprivate[ _-]?key\b|\bconversation[ _-]?history\b|\bsystem[ _-]?prompt\b)|\b(?:contents?|text)\s+(?:of|from)\s+(?:reading\s+)?(?:the\s+)?(?:~?/?\.ssh|id[ _]rsa|\.aws/credentials|mcp\.json|/etc/passwd|\.env\b)|\bcontent[ _]from[ _]reading\b`,
      'gi',
    ),
  },
  {
    rule: 'model-instruction',
    group: G.secret,
    start: S.hiddenStep,
    reason: 'makes using the tool depend on a hidden step ("before using this tool, read…")',
    pattern: new RegExp(
      String.raw`\bbefore\s+(?:using|calling|invoking|running|answering|responding)\b[^.\n]{0,120}?\b(?:read|cat|open|send|pass|include|upload|collect|retrieve)\b[^.\n]{0,80}?${SECRET}|\botherwise\s+the\s+tool\s+(?:will|would)\s+(?:not|n'?t)\s+work\b[^.\n]{0,40}|\b(?:very\s+)?important\b[^.\n]{0,40}\b(?:side[ -]effects?)\b`,
      'gi',
    ),
  },
  {
    rule: 'shadowing',
    group: G.shadowing,
    start: S.shadowing,
    reason: 'gives instructions about another tool or server',
    pattern:
      /\bwhen(?:ever)?\s+(?:you\s+|the\s+(?:model|assistant|agent)\s+)?(?:use|call|invoke|run)s?(?:ing)?\s+(?:the\s+|any\s+)?(?:[`'"]?[\w.()-]+[`'"]?\s+){1,3}?(?:tool|function|server)\b[^.\n]{0,160}?\b(?:must|always|never|instead|make\s+sure|ensure|change|replace|redirect|bcc|cc)\b|\bwhen\s+(?:the\s+)?(?:[`'"(]?[\w.-]+[`'")]?\s+){1,3}(?:tool\s+)?is\s+(?:invoked|called|used|run)\b[^.\n]{0,160}?\b(?:must|always|never|instead|make\s+sure|ensure|change|replace|redirect|bcc|cc)\b|\b(?:side[ -]effects?|effects?)\s+on\s+(?:the\s+)?(?:also\s+present\s+|other\s+)?[`'"]?[\w.-]+[`'"]?\s+(?:tool|server)s?\b|\b(?:all|any|every|other)\s+(?:other\s+)?(?:tools?|mcp\s+servers?|servers?|functions?)\s+(?:must|should|are\s+required\s+to|have\s+to)\s+(?:\w+\s+){0,2}(?:send|use|include|route|forward|call|be\s+sent)\b|\b(?:this|these)\s+(?:rules?|instructions?|requirements?)\s+(?:also\s+)?appl(?:y|ies)\s+to\s+(?:all|every|any|other)\s+(?:other\s+)?(?:tools?|servers?|functions?|emails?|messages?|calls?)\b|\btool\s+(?:must|should)\s+(?:now\s+)?(?:always|never|only)\b|\binstead\s+of\s+(?:the\s+)?(?:requested|intended|actual|user'?s?)\s+(?:recipients?|address(?:es)?|accounts?|destinations?)\b/gi,
  },
  {
    rule: 'exfiltration',
    group: G.exfiltration,
    start: S.exfiltration,
    reason: 'tells the model to send data to an address',
    pattern: new RegExp(
      String.raw`\b(?:${SENDING_FORMS}|change\s+the\s+recipients?)\b[^.\n]{0,100}?(?:\bto\b|:)\s*[<\`'"(]?(?:[\w.+-]+@(?!example\.|test\.|localhost\b)[\w-]+(?:\.[\w-]+)+|https?://(?!(?:www\.)?example\.(?:com|org|net)\b|localhost\b|127\.0\.0\.1\b)[^\s)"'\`>]+|\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b|\+?\d[\d -]{8,}\d)|\b(?:bcc|cc)\s*[:=]?\s*[\w.+-]+@(?!example\.)[\w-]+(?:\.[\w-]+)+`,
      'gi',
    ),
  },
  {
    rule: 'exfiltration',
    group: G.link,
    start: 0,
    reason: 'an image or link whose address carries data out when it is rendered or fetched',
    pattern:
      /!\[[^\]]*\]\(\s*https?:\/\/[^)\s]+[?&][\w-]+=[^)\s]*(?:\{|\$|<|%7B)[^)]*\)|https?:\/\/[^\s"'`)]+[?&][\w-]+=\s*(?:\{\{?|\$\{|<)\s*(?:data|secret|content|contents|key|token|file|password|history|conversation|message|text|output)\b/gi,
  },
];

/** Each rule's pattern tried at one place only (where the gate saw one of its first words). */
const STICKY = RULES.map((rule) => new RegExp(rule.pattern.source, 'iy'));

/** Base64 or hex runs long enough to hide a sentence. */
const ENCODED =
  /(?<![\w+/=-])(?:[A-Za-z0-9+/]{32,}={0,2}|[A-Za-z0-9_-]{40,}|(?:[0-9a-fA-F]{2}){20,})(?![\w+/=])/g;
/** The same, tried at one place only (at the runs the gate saw: a global scan costs ~40 ns a character). */
const ENCODED_AT = new RegExp(ENCODED.source, 'y');

/** Decoded text that reads as words: mostly printable ASCII, with spaces. */
function readsAsText(decoded: string): boolean {
  if (decoded.length < 16) return false;
  let printable = 0;
  let spaces = 0;
  for (let i = 0; i < decoded.length; i++) {
    const code = decoded.charCodeAt(i);
    if (code === 32) spaces++;
    if ((code >= 32 && code < 127) || code === 10 || code === 9) printable++;
  }
  return printable / decoded.length > 0.95 && spaces >= 2 && /[a-z]{3}/i.test(decoded);
}

function decodePayload(run: string): string | undefined {
  if (/^(?:[0-9a-fA-F]{2})+$/.test(run)) return Buffer.from(run, 'hex').toString('latin1');
  if (/[^A-Za-z0-9+/=_-]/.test(run)) return undefined;
  return Buffer.from(run, run.includes('-') || run.includes('_') ? 'base64url' : 'base64').toString('latin1');
}

/** The encoded rule's matches: at `runs` (encodedRunStarts() of this very text) or anywhere. */
function encodedMatches(text: string, runs: ArrayLike<number> | undefined): RegExpExecArray[] {
  if (runs === undefined) return [...text.matchAll(ENCODED)];
  const matches: RegExpExecArray[] = [];
  for (let i = 0; i < runs.length; i++) {
    ENCODED_AT.lastIndex = runs[i]!;
    const match = ENCODED_AT.exec(text);
    if (match !== null) matches.push(match);
  }
  return matches;
}

/**
 * The phrase rules' hits in one (folded) string: the rules of the groups the gate opened. `runs` and
 * `starts`: where the gate saw encoded runs and the rules' first words in this same text
 * (encodedRunStarts(), ruleStarts()), if it read this text; without them every rule reads everywhere.
 */
export function phraseHits(
  text: string,
  groups: number = G.all,
  runs?: ArrayLike<number>,
  starts?: RuleStarts,
): PhraseHit[] {
  const hits: PhraseHit[] = [];
  if (text.length >= 32 && (groups & G.encoded) !== 0) {
    for (const match of encodedMatches(text, runs)) {
      const decoded = decodePayload(match[0]);
      if (decoded !== undefined && readsAsText(decoded)) {
        hits.push({
          rule: 'encoded-payload',
          start: match.index,
          end: match.index + match[0].length,
          reason: `an encoded payload that decodes to text: "${decoded.slice(0, 120).replace(/\s+/g, ' ')}"`,
        });
      }
    }
  }
  for (let r = 0; r < RULES.length; r++) {
    const { rule, group, start, reason, pattern } = RULES[r]!;
    if ((groups & group) === 0) continue;
    if (starts === undefined || start === 0) {
      // exec on the rule's own (global) pattern: matchAll would copy the pattern for every string.
      pattern.lastIndex = 0;
      for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
        hits.push({ rule, reason, start: match.index, end: match.index + match[0].length });
        if (match[0] === '') pattern.lastIndex++;
      }
      continue;
    }
    // Tried only where one of its first words (or marks) occurs, in order, each from where the last
    // match ended: what the global pattern finds, since a match can start nowhere else. A role marker
    // may also start the text (`^`).
    const sticky = STICKY[r]!;
    let from = 0;
    for (let k = start === S.role ? -1 : 0; k < starts.count; k++) {
      let at = 0;
      if (k >= 0) {
        if ((starts.rules[k]! & start) === 0) continue;
        at = starts.at[k]!;
      }
      if (at < from) continue;
      sticky.lastIndex = at;
      const match = sticky.exec(text);
      if (match === null) continue;
      hits.push({ rule, reason, start: at, end: at + match[0].length });
      from = at + Math.max(1, match[0].length);
    }
  }
  return hits;
}
