// Resource URIs in what goes back to a client of /mcp, in the form that client uses for them
// (tool-names.ts, "Resources"): a read's contents, a tool result's or prompt's resource links and
// embedded resources. A URI two connectors could both own comes back as gatehouse://<connector>/…,
// so reading what a result links to reaches the connector that linked it.

type Show = (uri: string) => string;

interface WithUri {
  uri: string;
}

/** `items` with each `uri` shown; the same array when nothing changes. */
export function showUris<T extends WithUri>(items: T[], show: Show): T[] {
  let changed = false;
  const shown = items.map((item) => {
    const uri = show(item.uri);
    if (uri === item.uri) return item;
    changed = true;
    return { ...item, uri };
  });
  return changed ? shown : items;
}

/** Content blocks (tool results, prompt messages) with their resource links and resources shown. */
export function showContentUris<T>(content: T[], show: Show): T[] {
  let changed = false;
  const shown = content.map((block) => {
    const next = showBlock(block, show);
    if (next !== block) changed = true;
    return next;
  });
  return changed ? shown : content;
}

function showBlock<T>(block: T, show: Show): T {
  const value = block as { type?: unknown; uri?: unknown; resource?: { uri?: unknown } };
  if (value.type === 'resource_link' && typeof value.uri === 'string') {
    const uri = show(value.uri);
    return uri === value.uri ? block : ({ ...value, uri } as T);
  }
  if (value.type === 'resource' && typeof value.resource?.uri === 'string') {
    const uri = show(value.resource.uri);
    return uri === value.resource.uri ? block : ({ ...value, resource: { ...value.resource, uri } } as T);
  }
  return block;
}
