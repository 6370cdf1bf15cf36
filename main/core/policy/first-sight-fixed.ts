// What a tool does when the AI passes nothing (first-sight-fields.ts): a schema's `default`, its
// `const`, or its one `enum` value, each fixed by the server. One that names somewhere to reach or pay
// someone (an email address, an IBAN, a phone number in international form, an IP address with a port)
// is a recipient the server chose: a call that names none sends there, or, fixed, every call does. An
// ask split across fields leaves each field harmless but this one ("Where the reset link is delivered;
// see default."), and it is written in no language. No real definition in first sight's corpora fixes
// one (docs/measurements.md): the finding holds whatever the layer says (first-sight-decision.ts).
import { hardHold } from './first-sight-decision.js';
import { HOLD_AT } from './first-sight-weight.js';
import { excerpt, push, spelled, type Scan } from './first-sight-scan.js';
import { EMAIL, IBAN, IP_PORT, PHONE } from './first-sight-addresses.js';
import { visibleText } from '../visible-text.js';

/** The first address in `text` (this machine's own left out): where it starts and ends. */
function addressIn(text: string): [number, number] | undefined {
  if (!text.includes('@') && !/\d/.test(text)) return undefined;
  for (const pattern of [EMAIL, IBAN, PHONE, IP_PORT])
    for (const match of text.matchAll(pattern))
      if (pattern !== IP_PORT || !match[0].startsWith('127.'))
        return [match.index, match.index + match[0].length];
  return undefined;
}

/** What each fixed value does to a call, in words. */
const FIXED = {
  default: ['defaults to', 'unless the AI passes another, a call uses it'],
  const: ['is fixed to', 'every call uses it'],
  enum: ['can only be', 'every call uses it'],
} as const;

/** Strings of a `default` (or `const`) read, at most, and how deep: a hostile schema may be huge. */
const MAX_VALUES = 16;
const MAX_DEPTH = 4;

/**
 * The strings of a fixed value (a string, or those in a list or object, at any depth), each with its path;
 * at most MAX_VALUES keys or items of any one list or object are looked at.
 */
function* stringsOf(
  value: unknown,
  at: Array<string | number>,
  depth = 0,
): Generator<[Array<string | number>, string]> {
  if (typeof value === 'string') yield [at, value];
  else if (Array.isArray(value)) {
    for (let i = 0; i < value.length && i < MAX_VALUES && depth < MAX_DEPTH; i++)
      yield* stringsOf(value[i], [...at, i], depth + 1);
  } else if (typeof value === 'object' && value !== null && depth < MAX_DEPTH) {
    let looked = 0;
    for (const key in value) {
      if (++looked > MAX_VALUES) return;
      yield* stringsOf((value as Record<string, unknown>)[key], [...at, key], depth + 1);
    }
  }
}

/** Adds a finding for the first address in `value` (fixed as `how`, at `at` under the scan's path). */
function pushFixed(scan: Scan, how: keyof typeof FIXED, value: unknown, at: Array<string | number>): void {
  let read = 0;
  for (const [path, text] of stringsOf(value, at)) {
    if (++read > MAX_VALUES) return;
    const found = addressIn(text);
    if (found === undefined) continue;
    const [verb, effect] = FIXED[how];
    push(
      scan,
      {
        rule: 'fixed-address',
        // The names on the path are the server's: any character no one can see in them is written out.
        reason: `${visibleText(spelled(scan.path, undefined))} ${verb} an address the server chose ("${text.slice(found[0], found[1])}"): ${effect}.`,
        where: visibleText(spelled([...scan.path, ...path], undefined)),
        excerpt: excerpt(text, found[0], found[1]),
      },
      {
        rule: 'fixed-address',
        weight: HOLD_AT,
        stretch: HOLD_AT,
        field: 'schema-value',
        view: 'written',
        own: false,
        hard: hardHold('fixed-address', 'written', undefined),
      },
    );
    return;
  }
}

/** Reads what a schema (`record`, at the scan's path) fixes for a call: its default, const and one enum value. */
export function readFixedValues(scan: Scan, record: Record<string, unknown>): void {
  if ('default' in record) pushFixed(scan, 'default', record.default, ['default']);
  if ('const' in record) pushFixed(scan, 'const', record.const, ['const']);
  if (Array.isArray(record.enum) && record.enum.length === 1)
    pushFixed(scan, 'enum', record.enum[0], ['enum', 0]);
}
