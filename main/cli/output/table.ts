// Compact aligned tables for human output: a header row in capitals, columns two spaces apart, and
// no padding after the last column so lines never end in spaces. Cells are made printable on one
// line: client names, reasons and arguments come from clients and upstreams, and a line break or a
// terminal escape sequence in one must not break the table or restyle the user's terminal.

/** The lines of an aligned table: the header in capitals, then the rows, every cell made printable. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const all = [header.map((title) => title.toUpperCase()), ...rows];
  const widths = columnWidths(all);
  return all.map((row) => tableRow(row, widths));
}

/** The width of each column: its longest cell. */
export function columnWidths(rows: readonly (readonly string[])[]): number[] {
  const columns = Math.max(0, ...rows.map((row) => row.length));
  return Array.from({ length: columns }, (_, column) =>
    Math.max(...rows.map((row) => printable(row[column] ?? '').length)),
  );
}

/** One row padded to `widths`, for tables that grow a row at a time (`activity --follow`). */
export function tableRow(row: readonly string[], widths: readonly number[]): string {
  return row
    .map(printable)
    .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
    .join('  ')
    .trimEnd();
}

/** "Label:  value" lines with the values aligned, for one record (status, a client, settings). */
export function fields(entries: readonly (readonly [string, string])[]): string[] {
  const width = Math.max(...entries.map(([label]) => label.length + 1));
  return entries.map(([label, value]) => `${`${label}:`.padEnd(width)}  ${printable(value)}`.trimEnd());
}

/** One line without control characters: line breaks and tabs become spaces, the rest U+FFFD. */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\r\n|[\r\n\t]/g, ' ').replace(/[\u0000-\u001f\u007f-\u009f]/g, '\ufffd');
}
