// JSON paths into a tool call's arguments (`$.path`, `$.items[0].name`, `$["odd key"]`), as rule
// conditions name them: parsed once when a rule is saved, looked up on every call.

/** One step of a JSON path: an object key or an array index. */
export type PathSegment = string | number;

/**
 * Parses `$.path`, `$.options.mode`, `$.items[0].name`, `$["odd key"]` — and the same without the
 * `$.` the user may leave out (`city`, `options.mode`, `items[0]`), read from the arguments' root.
 * Returns the segments, or a sentence saying what is wrong.
 */
export function parseJsonPath(text: string): PathSegment[] | string {
  const example =
    'use an argument name like city, or a JSON path like $.path, $.options.mode or $.items[0].name';
  const rooted = text.startsWith('$') ? text : text.startsWith('[') ? `$${text}` : `$.${text}`;
  // Positions in messages count in what the user wrote.
  const shift = rooted.length - text.length;
  const segments: PathSegment[] = [];
  let i = 1;
  while (i < rooted.length) {
    const rest = rooted.slice(i);
    const name = /^\.([A-Za-z_$][A-Za-z0-9_$-]*)/.exec(rest);
    const index = /^\[(0|[1-9]\d{0,8})\]/.exec(rest);
    const quoted = /^\[("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')\]/.exec(rest);
    if (name) {
      segments.push(name[1]!);
      i += name[0].length;
    } else if (index) {
      segments.push(Number(index[1]));
      i += index[0].length;
    } else if (quoted) {
      const body = quoted[1]!.slice(1, -1).replace(/\\(.)/g, '$1');
      segments.push(body);
      i += quoted[0].length;
    } else {
      return `path "${text}" is not valid at character ${Math.max(1, i + 1 - shift)}; ${example}`;
    }
    if (segments.length > 32) return `path "${text}" is deeper than 32 levels`;
  }
  if (segments.length === 0) return `path "${text}" must name an argument; ${example}`;
  return segments;
}

/** Own properties only: `$.constructor` or `$.__proto__` never reach the prototype chain. */
export function valueAt(root: unknown, segments: readonly PathSegment[]): unknown {
  let current = root;
  for (const segment of segments) {
    if (typeof segment === 'number') {
      if (!Array.isArray(current) || segment >= current.length) return undefined;
      current = current[segment];
    } else {
      if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
      if (!Object.hasOwn(current, segment)) return undefined;
      current = (current as Record<string, unknown>)[segment];
    }
  }
  return current;
}
