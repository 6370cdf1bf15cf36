// The resource URIs clients see on /mcp across every connector, and the way back to the connector
// that owns each one. Resources keep their upstream URIs wherever one connector owns them: tool results
// link to them (`resource_link`) and clients read them back by the same URI, so rewriting every URI
// would break those links. Only a URI two connectors could both own is shown in a form that says whose
// it is — for an MCP App's UI resource one that is still `ui://`, which the extension requires.
import { byOwner, ownerKey, type RenamedName } from './tool-names.js';

/**
 * The table of one aggregate offering's resource URIs. Gatehouse records the owner of each listed URI,
 * and of each UI resource a tool names (`_meta.ui.resourceUri`: a server may leave it out of
 * resources/list, as MCP Apps allows), and routes `resources/read` by it. When two connectors own the
 * same URI, neither keeps it (picking one would silently serve the other's links from the wrong
 * server): an MCP App's `ui://<rest>` is shown as `ui://<connector>.<rest>` (a connector name has no
 * dot, so it reads as the connector's own app), any other URI as `gatehouse://<connector>/<the
 * original percent-encoded>`. Resource templates are treated alike: a template whose expansions
 * another connector's template could also produce (one literal prefix — the text before the first `{`
 * — starts the other) is shown as `gatehouse://<connector>/<original template>`, so what a client
 * expands from it says whose it is. Both gatehouse:// forms (the original percent-encoded, or as it
 * is) are accepted for any resource, and `ui://<connector>.<rest>` for any UI resource. Other URIs
 * (expanded from a template) route to the connector whose template has the longest literal prefix
 * matching the URI; a tie between connectors is ambiguous and must use an explicit form. URIs going
 * back to a client (read results, links in tool results, a tool's UI resource) are shown in the form
 * it would use for them.
 */
export interface ResourceTable {
  /** Every listed resource with the URI clients see. */
  entries: ReadonlyArray<{ connector: string; original: string; exposed: string }>;
  /** URIs two connectors own, now shown in their connector's form. */
  renamed: RenamedName[];
  /** Every resource template with the URI template clients see. */
  templates: ReadonlyArray<{ connector: string; original: string; exposed: string }>;
  /** The URI a client sees for a listed resource, or a UI resource one of the connector's tools names. */
  exposedUri(connector: string, original: string): string | undefined;
  /** How a URI of `connector` is shown to a client of the aggregate: the form that routes back to it. */
  shownUri(connector: string, original: string): string;
  resolve(uri: string): ResourceRoute;
}

type ResourceRoute =
  | { kind: 'routed'; connector: string; uri: string }
  | { kind: 'ambiguous'; connectors: string[] }
  | { kind: 'unknown' };

const UI_SCHEME = 'ui://';
const EXPLICIT_SCHEME = 'gatehouse://';

/**
 * The `gatehouse://<connector>/<percent-encoded uri>` form of a resource URI, used when several
 * connectors list the same URI so a read routes to one of them.
 * @internal Exported for its tests only: each URI shape, checked without a call.
 */
export function explicitResourceUri(connector: string, original: string): string {
  return `${EXPLICIT_SCHEME}${connector}/${encodeURIComponent(original)}`;
}

/**
 * The `ui://<connector>.<rest>` form of an MCP App's `ui://<rest>` (the extension: a UI resource URI
 * MUST start with ui://); `n` tells apart a form some connector already owns as it is.
 */
function connectorUiUri(connector: string, original: string, n = 1): string {
  return `${UI_SCHEME}${connector}${n > 1 ? `-${n}` : ''}.${original.slice(UI_SCHEME.length)}`;
}

/**
 * The resource URIs clients see across all connectors: a URI one connector owns is passed through, a
 * shared one gets its connector's form; `uiResources` are the UI resources the connectors' tools name
 * (routed like listed ones, never listed); `knownConnectors` lets the explicit forms route to
 * connectors that list nothing.
 */
export function buildResourceTable(
  resources: ReadonlyArray<{ connector: string; uri: string }>,
  templates: ReadonlyArray<{ connector: string; uriTemplate: string }> = [],
  knownConnectors?: Iterable<string>,
  uiResources: ReadonlyArray<{ connector: string; uri: string }> = [],
): ResourceTable {
  const owners = new Map<string, Set<string>>();
  for (const { connector, uri } of [...resources, ...uiResources]) {
    const set = owners.get(uri) ?? new Set<string>();
    set.add(connector);
    owners.set(uri, set);
  }
  const connectors = new Set<string>([
    ...(knownConnectors ?? []),
    ...resources.map((r) => r.connector),
    ...templates.map((t) => t.connector),
    ...uiResources.map((r) => r.connector),
  ]);

  const entries: Array<{ connector: string; original: string; exposed: string }> = [];
  const renamed: RenamedName[] = [];
  const exposedByOwner = new Map<string, string>();
  /** The shown form of each renamed URI → its owner: looked up before anything else. */
  const renamedOwner = new Map<string, { connector: string; uri: string }>();
  const listed = new Set(resources.map(({ connector, uri }) => ownerKey(connector, uri)));
  const sorted = [...resources, ...uiResources].sort((a, b) =>
    byOwner({ connector: a.connector, original: a.uri }, { connector: b.connector, original: b.uri }),
  );
  for (const { connector, uri } of sorted) {
    const key = ownerKey(connector, uri);
    if (exposedByOwner.has(key)) continue;
    const shared = (owners.get(uri)?.size ?? 0) > 1;
    let exposed = uri;
    if (shared && uri.startsWith(UI_SCHEME)) {
      // Never a form another resource has as it is, nor one given already.
      for (let n = 1; ; n++) {
        exposed = connectorUiUri(connector, uri, n);
        if (!owners.has(exposed) && !renamedOwner.has(exposed)) break;
      }
    } else if (shared) {
      exposed = explicitResourceUri(connector, uri);
    }
    exposedByOwner.set(key, exposed);
    if (listed.has(key)) entries.push({ connector, original: uri, exposed });
    if (!shared) continue;
    renamedOwner.set(exposed, { connector, uri });
    renamed.push({
      connector,
      original: uri,
      exposed,
      reasons: ['collision'],
      sentence: `${connector} resource "${uri}" is exposed as ${exposed}: another connector ${
        listed.has(key) ? 'lists' : 'serves'
      } the same URI.`,
    });
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
      ? `${EXPLICIT_SCHEME}${template.connector}/${template.uriTemplate}`
      : template.uriTemplate,
  }));

  const resolve = (uri: string): ResourceRoute => {
    const shown = renamedOwner.get(uri);
    if (shown) return { kind: 'routed', ...shown };
    if (uri.startsWith(EXPLICIT_SCHEME)) return resolveExplicit(uri, connectors);
    const owned = owners.get(uri);
    if (owned !== undefined) {
      return owned.size === 1
        ? { kind: 'routed', connector: [...owned][0]!, uri }
        : { kind: 'ambiguous', connectors: [...owned].sort() };
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
    return resolveConnectorUi(uri, connectors);
  };

  const shownUri = (connector: string, original: string): string => {
    const known = exposedByOwner.get(ownerKey(connector, original));
    if (known !== undefined) return known;
    const routesBack = (uri: string) => {
      const route = resolve(uri);
      return route.kind === 'routed' && route.connector === connector && route.uri === original;
    };
    if (routesBack(original)) return original;
    if (original.startsWith(UI_SCHEME) && routesBack(connectorUiUri(connector, original)))
      return connectorUiUri(connector, original);
    return `${EXPLICIT_SCHEME}${connector}/${original}`;
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

/** `gatehouse://<connector>/<uri>`, the URI as it is (expanded from a shown template) or percent-encoded. */
function resolveExplicit(uri: string, connectors: ReadonlySet<string>): ResourceRoute {
  const rest = uri.slice(EXPLICIT_SCHEME.length);
  const slash = rest.indexOf('/');
  const connector = slash > 0 ? rest.slice(0, slash) : '';
  if (!connectors.has(connector)) return { kind: 'unknown' };
  const inner = rest.slice(slash + 1);
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(inner)) return { kind: 'routed', connector, uri: inner };
  try {
    return { kind: 'routed', connector, uri: decodeURIComponent(inner) };
  } catch {
    return { kind: 'unknown' };
  }
}

/**
 * `ui://<connector>.<rest>` for a UI resource nobody lists nor names (a link in a result): the
 * connector's own `ui://<rest>`. Tried last, so a URI some connector owns as it is stays its.
 */
function resolveConnectorUi(uri: string, connectors: ReadonlySet<string>): ResourceRoute {
  if (!uri.startsWith(UI_SCHEME)) return { kind: 'unknown' };
  const rest = uri.slice(UI_SCHEME.length);
  const dot = rest.indexOf('.');
  const connector = dot > 0 ? rest.slice(0, dot) : '';
  return connectors.has(connector)
    ? { kind: 'routed', connector, uri: `${UI_SCHEME}${rest.slice(dot + 1)}` }
    : { kind: 'unknown' };
}
