// What a user reads when an operation's input is refused: one sentence per wrong field, in words.
// The schemas' own messages ("the URL must use http or https") are kept as written; zod's defaults
// ("Invalid input: expected number, received string") are replaced by sentences naming the field in
// words, never the operation's or the field's internal name ("connectors.add", "settings.url").
import type { z } from 'zod';

type Issue = z.core.$ZodIssue;
type RawIssue = z.core.$ZodRawIssue;

/** Field names as a user would say them, where splitting the camelCase is not enough. */
const FIELD_WORDS: Record<string, string> = {
  url: 'the URL',
  cwd: 'the working directory',
  id: 'the id',
  clientId: 'the client id',
  expiresInSeconds: 'the expiry',
  timeoutSeconds: 'the timeout (seconds)',
  redirectUris: 'the redirect URIs',
  accessCeiling: 'the access ceiling',
  since: 'the start time',
  until: 'the end time',
};

/** "timeoutSeconds" → "the timeout (seconds)", "rateLimitPerMinute" → "the rate limit per minute". */
function fieldWords(path: readonly PropertyKey[]): string {
  const last = [...path].reverse().find((key) => typeof key === 'string');
  if (last === undefined) return 'the input';
  const key = String(last);
  if (FIELD_WORDS[key]) return FIELD_WORDS[key];
  // A record's key (an environment variable, a header) is the user's own word: quote it.
  if (!/^[a-z][a-zA-Z]*$/.test(key)) return `"${key}"`;
  return `the ${key.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()}`;
}

const TYPE_WORDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a set of named values',
  record: 'a set of named values',
};

/**
 * The per-parse error map for zod: used only where a schema gave no message of its own (a schema's
 * message always wins), it words zod's defaults for a user.
 */
export function inputIssueText(issue: RawIssue): string {
  const field = fieldWords(issue.path ?? []);
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined
        ? `${field} is required`
        : `${field} must be ${TYPE_WORDS[issue.expected] ?? issue.expected}`;
    case 'too_small':
      return issue.origin === 'string'
        ? Number(issue.minimum) <= 1
          ? `${field} may not be empty`
          : `${field} must be at least ${issue.minimum} characters`
        : issue.origin === 'array'
          ? `${field} needs at least ${issue.minimum} item${Number(issue.minimum) === 1 ? '' : 's'}`
          : `${field} must be at least ${issue.minimum}`;
    case 'too_big':
      return issue.origin === 'string'
        ? `${field} must be at most ${issue.maximum} characters`
        : issue.origin === 'array'
          ? `${field} takes at most ${issue.maximum} items`
          : `${field} must be at most ${issue.maximum}`;
    case 'invalid_value':
      return `${field} must be one of ${issue.values.map((value) => String(value)).join(', ')}`;
    case 'invalid_format':
      return issue.format === 'url'
        ? `${field} must be an absolute URL`
        : `${field} is not in the expected form`;
    case 'unrecognized_keys':
      return `${issue.keys.map((key) => `"${key}"`).join(', ')} ${issue.keys.length === 1 ? 'is' : 'are'} not something this takes`;
    case 'invalid_union':
      return `${field} is not one of the accepted forms`;
    default:
      return `${field} is not valid`;
  }
}

/**
 * The sentences for a refused input: the first problem of each field (a URL that is not a URL is not
 * also told it lacks http), each starting with a capital and ending with a full stop.
 */
export function describeInputError(error: z.ZodError): string {
  const seen = new Set<string>();
  const sentences: string[] = [];
  for (const issue of error.issues as Issue[]) {
    const key = issue.path.map(String).join('\u0000');
    if (seen.has(key)) continue;
    seen.add(key);
    sentences.push(sentence(issueMessage(issue)));
  }
  return [...new Set(sentences)].join(' ');
}

function issueMessage(issue: Issue): string {
  // A record key that failed its own schema: the inner message says why, the path says which key.
  if (issue.code === 'invalid_key' && issue.issues[0]) {
    return `${fieldWords(issue.path)}: ${issue.issues[0].message}`;
  }
  return issue.message;
}

function sentence(text: string): string {
  const trimmed = text.trim();
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}
