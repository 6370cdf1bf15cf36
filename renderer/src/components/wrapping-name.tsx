// A name that wraps where it breaks naturally — after "/", ".", "__" or "-" — rather than mid-word:
// `io.github.acme/<wbr>weather-<wbr>mcp`. CSS (.name) breaks inside a part only when one part alone is
// wider than its box.
import { Fragment } from 'react';

/**
 * The name's parts, each ending at a natural break (kept with the part before it).
 * @internal Exported for its tests only: where a long name may wrap, checked without rendering.
 */
export function nameParts(name: string): string[] {
  return name.match(/[^/._-]*(?:__|[/._-]+)?/g)?.filter((part) => part !== '') ?? [name];
}

export function WrappingName({ name }: { name: string }) {
  const parts = nameParts(name);
  return (
    <span className="name">
      {parts.map((part, index) => (
        <Fragment key={index}>
          {part}
          {index < parts.length - 1 ? <wbr /> : null}
        </Fragment>
      ))}
    </span>
  );
}
