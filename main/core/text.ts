// The product's words, in one place, for every surface: the window (renderer), the tray, the command
// line and the engine's own messages. Times ("5 min ago", "1:58 left"), counted nouns, access levels,
// registration kinds, connector choices and redirect hosts are said the same way everywhere. Imports
// nothing from Node, so the renderer uses it as it is.
import type { AccessCeiling, AccessLevel, ConnectorSelection, RegistrationKind } from './api/contract.js';
import type { SecretKind } from './api/secret-findings.js';
import type { SecretVault } from './effects.js';
import { closestWord } from './closest-word.js';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

// ── Times ───────────────────────────────────────────────────────────────────────────────────────

const unitMs: Record<string, number> = { s: SECOND, m: MINUTE, h: HOUR, d: DAY, w: 7 * DAY };

/** Parses a duration as people type it — "90s", "30m", "12h", "7d", "2w" — into ms; undefined if it is not one. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d+)\s*([smhdw])$/i.exec(text.trim());
  if (!match) return undefined;
  const ms = Number(match[1]) * (unitMs[match[2]!.toLowerCase()] ?? 0);
  return ms > 0 && Number.isSafeInteger(ms) ? ms : undefined;
}

/** A length of time, rounded down to its largest sensible unit: "45 s", "2 min", "5 h", "3 days". */
export function span(ms: number): string {
  const abs = Math.max(0, ms);
  if (abs < MINUTE) return `${Math.floor(abs / SECOND)} s`;
  if (abs < HOUR) return `${Math.floor(abs / MINUTE)} min`;
  if (abs < 2 * DAY) return `${Math.floor(abs / HOUR)} h`;
  return `${Math.floor(abs / DAY)} days`;
}

/** "2 minutes", "1 second": a time limit in a sentence for the user (whole minutes from one minute up). */
export function durationText(ms: number): string {
  const [amount, unit] =
    ms >= 60_000 ? [Math.round(ms / 60_000), 'minute'] : [Math.max(1, Math.round(ms / 1000)), 'second'];
  return `${amount} ${unit}${amount === 1 ? '' : 's'}`;
}

/**
 * What the sandbox refused a server during a tool call, from the call's Activity detail
 * (`detail.sandbox`, gateway/sandbox-marks.ts): "refused 2: a write to /x, blocked.example:443", or ''.
 */
export function sandboxMarkText(detail: Readonly<Record<string, unknown>>): string {
  const mark = detail.sandbox as
    { refused?: unknown; named?: Array<{ kind?: unknown; target?: unknown }> } | undefined;
  if (typeof mark !== 'object' || mark === null || typeof mark.refused !== 'number') return '';
  const named = (Array.isArray(mark.named) ? mark.named : [])
    .filter((n) => typeof n.target === 'string')
    .map((n) => (n.kind === 'write' ? `a write to ${String(n.target)}` : String(n.target)));
  const more = mark.refused > named.length ? ', …' : '';
  return `refused ${mark.refused}${named.length > 0 ? `: ${named.join(', ')}${more}` : ''}`;
}

/** How long a call took, in the unit that reads best: "12 ms", "4.2 s", "2 min", "2 min 5 s". */
export function tookText(ms: number): string {
  const abs = Math.max(0, Math.round(ms));
  if (abs < SECOND) return `${abs} ms`;
  if (abs < MINUTE) return `${Number((abs / SECOND).toFixed(abs < 10 * SECOND ? 1 : 0))} s`;
  const minutes = Math.floor(abs / MINUTE);
  const seconds = Math.round((abs % MINUTE) / SECOND);
  return seconds === 0 || seconds === 60
    ? `${minutes + (seconds === 60 ? 1 : 0)} min`
    : `${minutes} min ${seconds} s`;
}

/** A period the user chose, in whole days or hours when it is one ("1 hour", "2 days"), else as durationText. */
export function periodText(ms: number): string {
  const [amount, unit] =
    ms >= 86_400_000 && ms % 86_400_000 === 0
      ? [ms / 86_400_000, 'day']
      : ms >= 3_600_000 && ms % 3_600_000 === 0
        ? [ms / 3_600_000, 'hour']
        : [0, ''];
  return unit ? `${amount} ${unit}${amount === 1 ? '' : 's'}` : durationText(ms);
}

/**
 * When something happened, relative to now: "just now", "5 min ago", "3 h ago", "yesterday",
 * "4 days ago", then after 30 days the local date ("2026-10-01"); "never" for no time at all.
 */
export function ago(at: number | null, now: number): string {
  if (at === null) return 'never';
  const elapsed = Math.max(0, now - at);
  if (elapsed < MINUTE) return 'just now';
  if (elapsed < HOUR) return `${Math.floor(elapsed / MINUTE)} min ago`;
  if (elapsed < DAY) return `${Math.floor(elapsed / HOUR)} h ago`;
  if (elapsed < 2 * DAY) return 'yesterday';
  if (elapsed < 30 * DAY) return `${Math.floor(elapsed / DAY)} days ago`;
  return localTime(at).slice(0, 10);
}

/** Time left as a running clock: "1:58" under an hour, then "2 h 5 min", then "3 days"; "0:00" once passed. */
function countdown(until: number, now: number): string {
  const left = Math.max(0, until - now);
  if (left < HOUR) {
    const seconds = Math.ceil(left / SECOND);
    return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
  }
  if (left < DAY) return `${Math.floor(left / HOUR)} h ${Math.floor((left % HOUR) / MINUTE)} min`;
  return `${Math.floor(left / DAY)} days`;
}

/** Time left until a deadline, as `countdown` says it, or "expired" once it has passed. */
export function timeLeft(until: number, now: number): string {
  return until <= now ? 'expired' : countdown(until, now);
}

/**
 * The one wording for a decision that answers itself when nobody does (a consent, an approval):
 * "Denied automatically in 1:58 unless you answer" — never "Denied in 1:58", which reads as if it
 * already were.
 */
export function autoDenyText(until: number, now: number): string {
  if (until <= now) return 'Denied automatically: no answer came in time';
  return `Denied automatically in ${countdown(until, now)} unless you answer`;
}

/** A timestamp in local time, sortable and unambiguous, for logs and terminals: "2025-11-21 14:03:07". */
export function localTime(at: number): string {
  const date = new Date(at);
  const two = (value: number): string => String(value).padStart(2, '0');
  return (
    `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ` +
    `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`
  );
}

/** A local time of day to the minute, as sentences say it ("revoked by you at 00:32"). */
export function clockTime(at: number): string {
  return localTime(at).slice(11, 16);
}

/**
 * A local time in a sentence that may be read on another day ("refused until …"): the time of day
 * alone when it falls on the day of `now` ("01:28"), else with its date ("2026-11-24 01:28").
 */
export function sentenceTime(at: number, now: number): string {
  const day = localTime(at).slice(0, 10);
  return day === localTime(now).slice(0, 10) ? clockTime(at) : localTime(at).slice(0, 16);
}

/** A local date and time to the second in the user's locale on a 24-hour clock, for the window ("Nov 21, 2025, 14:03:07"). */
export function dateTime(at: number): string {
  return new Date(at).toLocaleString(undefined, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  });
}

/** Compact, for dense tables: "14:07:48" today, "Nov 21 14:07:48" this year, else with the year. */
export function shortDateTime(at: number, now: number): string {
  const date = new Date(at);
  const today = new Date(now);
  // The 24-hour clock, as the engine's own messages say a time ("revoked by you at 14:05") and the CLI.
  const time = date.toLocaleTimeString(undefined, {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  });
  if (date.toDateString() === today.toDateString()) return time;
  const day = date.toLocaleDateString(undefined, {
    month: 'short',
    day: 'numeric',
    ...(date.getFullYear() === today.getFullYear() ? {} : { year: 'numeric' }),
  });
  return `${day} ${time}`;
}

// ── Counts and sizes ────────────────────────────────────────────────────────────────────────────

/** A counted noun: "1 token", "2,048 tokens"; `plural` defaults to the singular plus "s". */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? singular : plural}`;
}

/** " Did you mean files?" for a name that is a slip of one of `names`, else "" (to end a sentence with). */
export function didYouMean(typed: string, names: readonly string[]): string {
  const close = closestWord(typed, names);
  return close === undefined ? '' : ` Did you mean ${close}?`;
}

/** Memory as people read it: "68 MB". */
export function megabytes(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024))} MB`;
}

/**
 * A part of a tool's definition as a review shows it (a title, annotations, `_meta`): text as it is,
 * anything else as indented JSON, and "(none)" where the definition has none.
 */
export function definitionPartText(value: unknown): string {
  if (value === undefined) return '(none)';
  return typeof value === 'string' ? value : JSON.stringify(value, null, 2);
}

/** One line of at most `max` characters: newlines folded, the end cut with "…". */
export function shorten(text: string, max: number): string {
  const line = text.replace(/\s*\n\s*/g, ' ').trim();
  return line.length <= max ? line : `${line.slice(0, max - 1).trimEnd()}…`;
}

// ── Access, registration kinds, connector choices ──────────────────────────────────────────────

/** An access level as a label: "Read-only", "Read & write". */
export const ACCESS_LABEL = { read: 'Read-only', write: 'Read & write' } as const;

/** The access ceiling as a label: "Off", "Read-only", "Read & write". */
export const CEILING_LABEL = { off: 'Off', read: 'Read-only', write: 'Read & write' } as const;

/** Access inside a sentence: "read-only", "read & write", or "none" (no access, or the ceiling off). */
export function accessText(access: AccessCeiling | 'none'): string {
  return access === 'none' || access === 'off' ? 'none' : ACCESS_LABEL[access].toLowerCase();
}

/**
 * A grant's level as it works now: the level granted, or — when the access ceiling narrows it — the
 * level it has now and what was granted ("Read-only (granted Read & write; the access ceiling is
 * read-only)"). `now` is the client's effective access, which caps each of its grants.
 */
export function grantAccessText(
  granted: AccessLevel,
  now: AccessLevel | 'none',
  style: 'label' | 'sentence',
): string {
  const rank = { none: 0, read: 1, write: 2 } as const;
  const level = rank[now] < rank[granted] ? now : granted;
  const word = (access: AccessLevel | 'none') =>
    style === 'label' ? (access === 'none' ? 'No access' : ACCESS_LABEL[access]) : accessText(access);
  if (level === granted) return word(granted);
  const why = level === 'none' ? 'access is off' : 'the access ceiling is read-only';
  return `${word(level)} (granted ${word(granted)}; ${why})`;
}

/** How a client came to be registered, in full. */
export const KIND_LABEL: Record<RegistrationKind, string> = {
  dcr: 'Dynamic registration',
  'metadata-document': 'Metadata document',
  manual: 'Registered by hand',
};

/** How a client came to be registered, for tables. */
export const KIND_SHORT: Record<RegistrationKind, string> = {
  dcr: 'DCR',
  'metadata-document': 'Metadata doc',
  manual: 'Manual',
};

/** Which connectors a grant covers, inside a sentence: "all connectors", or their names. */
export function connectorsText(connectors: ConnectorSelection): string {
  return connectors === '*' ? 'all connectors' : connectors.join(', ');
}

/** The same at the start of a line or as a label: "All connectors", or their names. */
export function connectorsLabel(connectors: ConnectorSelection): string {
  return connectors === '*' ? 'All connectors' : connectors.join(', ');
}

// ── Revokes ──────────────────────────────────────────────────────────────────────────────────────

/**
 * What a client the user revoked is told in its own OAuth error (the `error_description` of RFC 6749
 * §4.1.2.1 and §5.2): that the user revoked it (at `revokedAt`, when known), and while its requests
 * are refused, until when. A time of another day carries its date.
 */
export function revokedClientError(
  now: number,
  revoke: { revokedAt?: number; refusedUntil: number | null },
): string {
  const revoked = `You revoked this client in Gatehouse${revoke.revokedAt === undefined ? '' : ` at ${sentenceTime(revoke.revokedAt, now)}`}`;
  return revoke.refusedUntil === null
    ? `${revoked}; it must ask for your consent again.`
    : `${revoked} and refuse its requests until ${sentenceTime(revoke.refusedUntil, now)}.`;
}

/** A grant as an edit compares it: its connectors, its level, its expiry. */
interface GrantTerms {
  connectors: ConnectorSelection;
  access: AccessLevel;
  expiresAt: number | null;
}

/**
 * What an edit changed in a grant, for the audit and the confirmation: "all connectors → files;
 * read & write → read-only; no expiry → until 2026-11-30 12:00", or "nothing changed".
 */
export function grantChangeText(before: GrantTerms, after: GrantTerms, now: number): string {
  const expiry = (at: number | null) => (at === null ? 'no expiry' : `until ${sentenceTime(at, now)}`);
  const changes = [
    connectorsText(before.connectors) !== connectorsText(after.connectors)
      ? `${connectorsText(before.connectors)} → ${connectorsText(after.connectors)}`
      : '',
    before.access !== after.access ? `${accessText(before.access)} → ${accessText(after.access)}` : '',
    before.expiresAt !== after.expiresAt ? `${expiry(before.expiresAt)} → ${expiry(after.expiresAt)}` : '',
  ].filter(Boolean);
  return changes.length === 0 ? 'nothing changed' : changes.join('; ');
}

/**
 * Why read & write cannot be given back to a grant the user approved read-only: its tokens carry
 * read-only access, and a token never gains rights. Said by the engine's refusal and the edit form.
 */
export function readOnlyGrantText(clientName: string): string {
  return `${clientName} was given read-only access, so the tokens it holds carry read-only access (a token never gains rights). To give it read & write, revoke it and approve read & write when it asks again.`;
}

/** A revoke on the client's page and in `clients show`: when, and until when its requests are refused. */
export function revokeMarkText(revoke: { at: number; refusedUntil: number | null }, now: number): string {
  const at = `You revoked it at ${sentenceTime(revoke.at, now)}`;
  return revoke.refusedUntil === null || revoke.refusedUntil <= now
    ? `${at}; its next request asks for your consent again.`
    : `${at} and refuse its requests until ${sentenceTime(revoke.refusedUntil, now)}, without asking you.`;
}

// ── Hosts and secrets ───────────────────────────────────────────────────────────────────────────

/**
 * How a client's redirect URI is shown: its host (127.0.0.1:53682, vscode.dev), or for a private
 * scheme with no host, the scheme (myapp://). The consent screen, the lists and the CLI agree.
 */
export function redirectHost(uri: string): string {
  try {
    const url = new URL(uri);
    return url.host || `${url.protocol}//`;
  } catch {
    return uri;
  }
}

/**
 * Where the window's user changes the registry URL, as engine messages say it; the CLI shows its own
 * command in its place (main/cli/cli-wording.ts), so this exact text is the seam between the two.
 */
export const REGISTRY_URL_IN_SETTINGS = 'the registry URL in Settings';

/**
 * An app that is connected while none of its config files has Gatehouse's entry: it came through one
 * Gatehouse wrote and has since been taken out (it keeps it until it restarts), or through one Gatehouse
 * did not write (pasted by hand, or in a file Gatehouse does not read).
 */
export const CONNECTED_WITHOUT_ENTRY = {
  removed: 'Entry removed: connected until it restarts',
  notWritten: 'Connected, not through an entry Gatehouse wrote',
} as const;

/** How an app-only tool (MCP Apps, `visibility: ["app"]`) is marked wherever tools are listed. */
export const APP_ONLY_TEXT = {
  label: 'App only — the model never sees this tool',
  detail:
    "Only its server's own app calls it, from a host that shows the app; Gatehouse lists it to no model and refuses it under its /mcp name.",
} as const;

/**
 * How a prompt, resource, template or server's instructions that first sight has yet to judge (it
 * lists while first sight's scanner still loads) is marked wherever held items are listed: kept from
 * clients, but nothing was found in it, so there are no reasons and nothing for the user to answer.
 */
export const FIRST_SIGHT_CHECKING_TEXT = {
  label: 'Being checked on first sight',
  detail: 'Clients see nothing first sight has yet to check, and there is nothing to review until it has.',
} as const;

/**
 * Why the tool list is empty while first sight is still checking what connectors listed: their new tools
 * join the list only once judged, so the list must not say that nothing was listed. The Tools page gives
 * it under "No tools yet"; `gatehouse tools list` after those words.
 */
export const TOOLS_BEING_CHECKED_TEXT =
  'First sight is still checking what your connectors listed; their tools are listed once it has.';

/** How a rule that can never match is marked, in the window and by `gatehouse rules`. */
export const RULE_MATCHES_NOTHING = 'Matches nothing';

/** How a tool that runs only as a task is marked wherever tools are listed: clients never see it. */
export const TASK_ONLY_TEXT = {
  label: 'Not offered: task-only',
  detail:
    'It runs only as a task (execution.taskSupport "required", MCP 2025-11-25), which Gatehouse does not relay: no client is offered it, and a call to it is refused with that reason.',
} as const;

/** What stands in for a secret Gatehouse holds when it is shown: never its value. */
export const MASKED = '••••';

/** What protects the stored secrets (upstream tokens, client secrets), in one sentence. */
export const SECRET_PROTECTION_TEXT = {
  'os-keychain': 'Sealed with a key kept in the OS keychain.',
  'key-file':
    'Sealed with a key file in the data folder, not the OS keychain: anyone who can read that folder can read them.',
  memory: 'Kept in memory only: lost when Gatehouse stops.',
} as const satisfies Record<SecretVault['kind'], string>;

/**
 * The first-sight rules and signals (policy/first-sight.ts, first-sight-signals.ts) in the words the
 * Tools page and the CLI show. The last three are the names of findings recorded by earlier versions.
 */
export const FIRST_SIGHT_RULE_WORDS: Record<string, string> = {
  'hidden-characters': 'hidden characters',
  'terminal-escape': 'terminal escapes',
  'whitespace-run': 'text pushed out of view',
  'look-alike': 'look-alike, display or spaced-out letters',
  'encoded-payload': 'encoded hidden text',
  'secret-material': 'asks for your secrets',
  concealment: 'keeps something from you',
  'skip-consent': 'acts without asking you',
  override: 'overrides the AI’s instructions',
  'role-marker': 'text aimed at the AI',
  'other-tools': 'instructions about other tools',
  'recipient-change': 'changes where things go',
  egress: 'sends data elsewhere',
  authority: 'invokes an authority',
  'tool-preference': 'steers the AI from other tools',
  manipulation: 'misleads you',
  obfuscation: 'disguised words',
  'addresses-model': 'speaks to the AI',
  'reads-as-instructions': 'reads like instructions to the AI',
  'fixed-address': 'sends to an address the server chose',
  'not-judged': 'not checked on first sight',
  'model-instruction': 'instructions aimed at the AI',
  shadowing: 'instructions about other tools',
  exfiltration: 'sends data elsewhere',
};

/**
 * Each kind of secret material (api/secret-findings.ts) as a sentence names it ("an OpenSSH private
 * key"), and the marker a masked result carries in its place: what was there, never the value.
 */
export const SECRET_KIND_WORDS: Record<SecretKind, { name: string; marker: string }> = {
  'sealed-value': {
    name: 'a secret Gatehouse keeps for a connector',
    marker: '[connector secret removed by Gatehouse]',
  },
  'private-key-pem': { name: 'a private key', marker: '[private key removed by Gatehouse]' },
  'private-key-openssh': { name: 'an OpenSSH private key', marker: '[private key removed by Gatehouse]' },
  'private-key-putty': { name: 'a PuTTY private key', marker: '[private key removed by Gatehouse]' },
  'aws-credentials': { name: 'AWS credentials', marker: '[AWS credentials removed by Gatehouse]' },
  'gcp-service-account': {
    name: 'a Google Cloud service-account key',
    marker: '[Google Cloud key removed by Gatehouse]',
  },
  'azure-connection-string': {
    name: 'an Azure key',
    marker: '[Azure key removed by Gatehouse]',
  },
  'github-token': { name: 'a GitHub token', marker: '[GitHub token removed by Gatehouse]' },
  'gitlab-token': { name: 'a GitLab token', marker: '[GitLab token removed by Gatehouse]' },
  'slack-token': { name: 'a Slack token', marker: '[Slack token removed by Gatehouse]' },
  'stripe-live-key': { name: 'a Stripe live key', marker: '[Stripe key removed by Gatehouse]' },
  'npm-token': { name: 'an npm token', marker: '[npm token removed by Gatehouse]' },
  'openai-key': { name: 'an OpenAI API key', marker: '[OpenAI key removed by Gatehouse]' },
  'anthropic-key': { name: 'an Anthropic API key', marker: '[Anthropic key removed by Gatehouse]' },
  'huggingface-token': {
    name: 'a Hugging Face token',
    marker: '[Hugging Face token removed by Gatehouse]',
  },
  jwt: { name: 'a signed JSON Web Token', marker: '[token removed by Gatehouse]' },
  'env-dump': {
    name: 'the secrets of a .env or credentials file',
    marker: '[secret removed by Gatehouse]',
  },
};

/** "`body` holds an OpenSSH private key": one finding, by its kind and field path, never its value. */
function secretFindingText(finding: { kind: SecretKind; path: string }): string {
  return `\`${finding.path}\` holds ${SECRET_KIND_WORDS[finding.kind].name}`;
}

/**
 * Several findings in one sentence: "`body` holds an OpenSSH private key and `env` holds AWS
 * credentials"; past three, "… and 2 more".
 */
export function secretFindingsText(findings: ReadonlyArray<{ kind: SecretKind; path: string }>): string {
  const said = findings.slice(0, 3).map(secretFindingText);
  if (findings.length > 3) said.push(`${findings.length - 3} more`);
  return listText(said);
}

/** The kinds of secret material found, each once: "an OpenSSH private key and AWS credentials". */
export function secretKindsText(findings: ReadonlyArray<{ kind: SecretKind }>): string {
  return listText([...new Set(findings.map((finding) => SECRET_KIND_WORDS[finding.kind].name))]);
}

/** "a", "a and b", "a, b and c". */
function listText(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}
