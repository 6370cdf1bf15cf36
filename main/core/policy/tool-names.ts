// The names clients see for aggregated tools, prompts and resources, and the way back to the connector
// that owns each one. Clients (and the model APIs behind them) accept tool names of 1–64 characters
// from [A-Za-z0-9_-], so an upstream name that does not fit is mapped deterministically — the same
// offering always gives the same names — and every rename is listed for the user.
import { createHash } from 'node:crypto';

const MAX_EXPOSED_NAME_LENGTH = 64;
const NAME_SEPARATOR = '__';

interface NameOwner {
  connector: string;
  /** The upstream's own name, sent back to the upstream unchanged. */
  original: string;
}

type RenameReason = 'invalid-characters' | 'too-long' | 'collision';

interface RenamedName extends NameOwner {
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

function ownerKey(connector: string, name: string): string {
  return `${connector}\u0000${name}`;
}

function byOwner(a: NameOwner, b: NameOwner): number {
  return compareCodeUnits(a.connector, b.connector) || compareCodeUnits(a.original, b.original);
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---- Resources ----------------------------------------------------------------------------------

/**
 * Resources keep their upstream URIs: tool results link to them (`resource_link`) and clients read
 * them back by the same URI, so rewriting every URI would break those links. Gatehouse records the
 * owner of each listed URI and routes `resources/read` by it. When two connectors list the same URI,
 * neither keeps it (picking one would silently serve the other's links from the wrong server): both
 * are exposed as `gatehouse://<connector>/<percent-encoded original URI>`. Resource templates are
 * treated the same way: a template whose expansions another connector's template could also produce
 * (one literal prefix — the text before the first `{` — starts the other) is exposed as
 * `gatehouse://<connector>/<original template>`, so what a client expands from it says whose it is.
 * Both explicit forms (the original URI percent-encoded, or as it is) are accepted for any resource.
 * Other URIs that were not listed (expanded from a template) route to the connector whose template
 * has the longest literal prefix matching the URI; a tie between connectors is ambiguous and must use
 * an explicit form. URIs going back to a client (read results, links in tool results) are shown in
 * the form it would use for them.
 */
export interface ResourceTable {
  /** Every listed resource with the URI clients see. */
  entries: ReadonlyArray<{ connector: string; original: string; exposed: string }>;
  /** URIs listed by more than one connector, now exposed in the explicit form. */
  renamed: RenamedName[];
  /** Every resource template with the URI template clients see. */
  templates: ReadonlyArray<{ connector: string; original: string; exposed: string }>;
  /** The exposed URI for a listed resource. */
  exposedUri(connector: string, original: string): string | undefined;
  /** How a URI of `connector` is shown to a client of the aggregate: the form that routes back to it. */
  shownUri(connector: string, original: string): string;
  resolve(uri: string): ResourceRoute;
}

type ResourceRoute =
  | { kind: 'routed'; connector: string; uri: string }
  | { kind: 'ambiguous'; connectors: string[] }
  | { kind: 'unknown' };

/**
 * The `gatehouse://<connector>/<percent-encoded uri>` form of a resource URI, used when several
 * connectors list the same URI so a read routes to one of them.
 */
export function explicitResourceUri(connector: string, original: string): string {
  return `gatehouse://${connector}/${encodeURIComponent(original)}`;
}

/**
 * The resource URIs clients see across all connectors: a URI one connector owns is passed through, a
 * shared one gets the explicit form; `knownConnectors` lets the explicit form route to connectors that
 * list nothing.
 */
export function buildResourceTable(
  resources: ReadonlyArray<{ connector: string; uri: string }>,
  templates: ReadonlyArray<{ connector: string; uriTemplate: string }> = [],
  knownConnectors?: Iterable<string>,
): ResourceTable {
  const owners = new Map<string, Set<string>>();
  for (const { connector, uri } of resources) {
    const set = owners.get(uri) ?? new Set<string>();
    set.add(connector);
    owners.set(uri, set);
  }
  const connectors = new Set<string>([
    ...(knownConnectors ?? []),
    ...resources.map((r) => r.connector),
    ...templates.map((t) => t.connector),
  ]);

  const entries: Array<{ connector: string; original: string; exposed: string }> = [];
  const renamed: RenamedName[] = [];
  const exposedByOwner = new Map<string, string>();
  const seen = new Set<string>();
  for (const { connector, uri } of [...resources].sort((a, b) =>
    byOwner({ connector: a.connector, original: a.uri }, { connector: b.connector, original: b.uri }),
  )) {
    const key = ownerKey(connector, uri);
    if (seen.has(key)) continue;
    seen.add(key);
    const shared = (owners.get(uri)?.size ?? 0) > 1;
    const exposed = shared ? explicitResourceUri(connector, uri) : uri;
    entries.push({ connector, original: uri, exposed });
    exposedByOwner.set(key, exposed);
    if (shared) {
      renamed.push({
        connector,
        original: uri,
        exposed,
        reasons: ['collision'],
        sentence: `${connector} resource "${uri}" is exposed as ${exposed}: another connector lists the same URI.`,
      });
    }
  }

  const prefixes = templates.map((t) => ({ connector: t.connector, prefix: t.uriTemplate.split('{')[0]! }));
  const overlaps = (a: { connector: string; prefix: string }) =>
    prefixes.some(
      (b) => b.connector !== a.connector && (a.prefix.startsWith(b.prefix) || b.prefix.startsWith(a.prefix)),
    );
  const exposedTemplates = templates.map((template, i) => ({
    connector: template.connector,
    original: template.uriTemplate,
    exposed: overlaps(prefixes[i]!)
      ? `gatehouse://${template.connector}/${template.uriTemplate}`
      : template.uriTemplate,
  }));

  const resolve = (uri: string): ResourceRoute => {
    if (uri.startsWith('gatehouse://')) {
      const rest = uri.slice('gatehouse://'.length);
      const slash = rest.indexOf('/');
      const connector = slash > 0 ? rest.slice(0, slash) : '';
      if (!connectors.has(connector)) return { kind: 'unknown' };
      const inner = rest.slice(slash + 1);
      // As it is (expanded from an exposed template: it starts with its scheme) or percent-encoded.
      if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(inner)) return { kind: 'routed', connector, uri: inner };
      try {
        return { kind: 'routed', connector, uri: decodeURIComponent(inner) };
      } catch {
        return { kind: 'unknown' };
      }
    }
    const listed = owners.get(uri);
    if (listed !== undefined) {
      return listed.size === 1
        ? { kind: 'routed', connector: [...listed][0]!, uri }
        : { kind: 'ambiguous', connectors: [...listed].sort() };
    }
    let best = -1;
    let matches = new Set<string>();
    for (const { connector, prefix } of prefixes) {
      if (!uri.startsWith(prefix) || prefix.length < best) continue;
      if (prefix.length > best) {
        best = prefix.length;
        matches = new Set();
      }
      matches.add(connector);
    }
    if (matches.size === 1) return { kind: 'routed', connector: [...matches][0]!, uri };
    if (matches.size > 1) return { kind: 'ambiguous', connectors: [...matches].sort() };
    return { kind: 'unknown' };
  };

  const shownUri = (connector: string, original: string): string => {
    const listed = exposedByOwner.get(ownerKey(connector, original));
    if (listed !== undefined) return listed;
    const route = resolve(original);
    return route.kind === 'routed' && route.connector === connector && route.uri === original
      ? original
      : `gatehouse://${connector}/${original}`;
  };

  return {
    entries,
    renamed,
    templates: exposedTemplates,
    exposedUri: (connector, original) => exposedByOwner.get(ownerKey(connector, original)),
    shownUri,
    resolve,
  };
}
