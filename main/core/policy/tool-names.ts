// The names clients see for aggregated tools and prompts, and the way back to the connector that owns
// each one (resource URIs are resource-uris.ts). Clients (and the model APIs behind them) accept tool
// names of 1–64 characters from [A-Za-z0-9_-], so an upstream name that does not fit is mapped
// deterministically — the same offering always gives the same names — and every rename is listed
// for the user.
import { createHash } from 'node:crypto';

const MAX_EXPOSED_NAME_LENGTH = 64;
const NAME_SEPARATOR = '__';

/** Whose a name is: the connector and the upstream's own name. */
export interface NameOwner {
  connector: string;
  /** The upstream's own name, sent back to the upstream unchanged. */
  original: string;
}

type RenameReason = 'invalid-characters' | 'too-long' | 'collision';

/** A name (or URI) a client is shown in another form than its owner's own, and why. */
export interface RenamedName extends NameOwner {
  exposed: string;
  reasons: RenameReason[];
  /** For the Tools page: what happened and why. */
  sentence: string;
}

/**
 * The exposed names of one kind (tools or prompts) across all connectors, with the way back to each owner
 * and what was renamed.
 */
export interface NameTable {
  /** Exposed name → owner, for routing a call. */
  byExposed: ReadonlyMap<string, NameOwner>;
  /** Every exposed name in the stable order clients see, with its owner. */
  entries: ReadonlyArray<NameOwner & { exposed: string }>;
  /** Names that are not simply `<connector>__<original>`, to show the user. */
  renamed: RenamedName[];
  /** The same (connector, name) listed twice by an upstream: served once, the repeat ignored. */
  duplicates: NameOwner[];
  /** Owner → exposed name. */
  exposedName(connector: string, original: string): string | undefined;
}

/**
 * Exposed names for tools (and, in their own table, prompts): `<connector>__<name>`.
 *
 * 1. Characters outside [A-Za-z0-9_-] become `_` (one per code point).
 * 2. A name longer than 64 characters is cut to 57 and gets `_` + the first 6 hex digits of the
 *    sha256 of the original name, so two long names with a common start stay apart.
 * 3. Names that still collide (across the whole offering, since `a_` + `__` + `b` meets `a` + `__` + `_b`):
 *    a name that needed no change keeps it; the others, in order of (connector, original name) by
 *    code unit, take `_2`, `_3`… (the first free one; re-cut to fit 64).
 * `reserved` are names already taken (Gatehouse's own tools).
 */
export function buildNameTable(
  items: ReadonlyArray<{ connector: string; name: string }>,
  options: { reserved?: Iterable<string> } = {},
): NameTable {
  const seen = new Set<string>();
  const duplicates: NameOwner[] = [];
  const candidates: Array<NameOwner & { candidate: string; reasons: RenameReason[] }> = [];
  for (const { connector, name } of items) {
    const key = ownerKey(connector, name);
    if (seen.has(key)) {
      duplicates.push({ connector, original: name });
      continue;
    }
    seen.add(key);
    candidates.push({ connector, original: name, ...candidateName(connector, name) });
  }
  candidates.sort(byOwner);

  const taken = new Set<string>(options.reserved ?? []);
  const counts = new Map<string, number>();
  for (const c of candidates) counts.set(c.candidate, (counts.get(c.candidate) ?? 0) + 1);
  const unchanged = (c: (typeof candidates)[number]): boolean => c.reasons.length === 0;

  const assigned = new Map<(typeof candidates)[number], string>();
  // First every name that is its own and unique, then unchanged names that tie with renamed ones.
  for (const pass of [
    (c: (typeof candidates)[number]) => counts.get(c.candidate) === 1,
    (c: (typeof candidates)[number]) => unchanged(c),
  ]) {
    for (const c of candidates) {
      if (assigned.has(c) || !pass(c) || taken.has(c.candidate)) continue;
      taken.add(c.candidate);
      assigned.set(c, c.candidate);
    }
  }
  const rest = candidates.filter((c) => !assigned.has(c));
  for (const c of rest) {
    let exposed = c.candidate;
    if (taken.has(exposed)) {
      c.reasons.push('collision');
      for (let n = 2; ; n++) {
        const suffix = `_${n}`;
        exposed = c.candidate.slice(0, MAX_EXPOSED_NAME_LENGTH - suffix.length) + suffix;
        if (!taken.has(exposed)) break;
      }
    }
    taken.add(exposed);
    assigned.set(c, exposed);
  }

  const byExposed = new Map<string, NameOwner>();
  const exposedByOwner = new Map<string, string>();
  const entries: Array<NameOwner & { exposed: string }> = [];
  const renamed: RenamedName[] = [];
  for (const c of candidates) {
    const exposed = assigned.get(c)!;
    const owner = { connector: c.connector, original: c.original };
    byExposed.set(exposed, owner);
    exposedByOwner.set(ownerKey(c.connector, c.original), exposed);
    entries.push({ ...owner, exposed });
    if (c.reasons.length > 0) {
      renamed.push({
        ...owner,
        exposed,
        reasons: c.reasons,
        sentence: renameSentence(owner, exposed, c.reasons),
      });
    }
  }
  return {
    byExposed,
    entries,
    renamed,
    duplicates,
    exposedName: (connector, original) => exposedByOwner.get(ownerKey(connector, original)),
  };
}

function candidateName(connector: string, name: string): { candidate: string; reasons: RenameReason[] } {
  const reasons: RenameReason[] = [];
  let tool = name.replace(/[^A-Za-z0-9_-]/gu, '_');
  if (tool === '') tool = '_';
  if (tool !== name) reasons.push('invalid-characters');
  let candidate = `${connector}${NAME_SEPARATOR}${tool}`;
  if (candidate.length > MAX_EXPOSED_NAME_LENGTH) {
    reasons.push('too-long');
    const hash = createHash('sha256').update(name, 'utf8').digest('hex').slice(0, 6);
    candidate = `${candidate.slice(0, MAX_EXPOSED_NAME_LENGTH - 7)}_${hash}`;
  }
  return { candidate, reasons };
}

function renameSentence(owner: NameOwner, exposed: string, reasons: readonly RenameReason[]): string {
  const why = reasons.map(
    (reason) =>
      ({
        'invalid-characters': 'characters other than letters, digits, _ and - became _',
        'too-long': `the name was cut to ${MAX_EXPOSED_NAME_LENGTH} characters with a short hash`,
        collision: 'another tool already had that name, so a number was added',
      })[reason],
  );
  return `${owner.connector} "${owner.original}" is exposed as ${exposed}: ${why.join('; ')}.`;
}

/** One key for a (connector, name) pair: the name may hold any character but NUL. */
export function ownerKey(connector: string, name: string): string {
  return `${connector}\u0000${name}`;
}

/** Orders owners by connector, then by name, in code units (the same in every locale). */
export function byOwner(a: NameOwner, b: NameOwner): number {
  return compareCodeUnits(a.connector, b.connector) || compareCodeUnits(a.original, b.original);
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
