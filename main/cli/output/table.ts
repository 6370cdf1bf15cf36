// Compact aligned tables for human output: a header row in capitals, columns two spaces apart, and
// no padding after the last column so lines never end in spaces.

export function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const all = [header.map((title) => title.toUpperCase()), ...rows];
  const widths = header.map((_, column) => Math.max(...all.map((row) => (row[column] ?? '').length)));
  return all.map((row) =>
    row
      .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
}

/** "Label:  value" lines with the values aligned, for one record (status, a client, settings). */
export function fields(entries: readonly (readonly [string, string])[]): string[] {
  const width = Math.max(...entries.map(([label]) => label.length + 1));
  return entries.map(([label, value]) => `${`${label}:`.padEnd(width)}  ${value}`.trimEnd());
}
